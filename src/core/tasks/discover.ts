// Finds task files in a workspace folder: a recursive walk that matches files against the include
// globs and prunes excluded directories before descending (node_modules is never read).
import { promises as fsp } from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';

/** Task files are TypeScript files named for what they are, so helpers beside them are not tasks. */
export const DEFAULT_TASK_INCLUDE: readonly string[] = ['**/*.task.ts'];

/** Dependencies, VCS data, build outputs and test sandboxes: never hand-written tasks, often huge. */
export const DEFAULT_TASK_EXCLUDES: readonly string[] = [
  '**/node_modules/**', '**/.git/**', '**/out/**', '**/dist/**', '**/build/**', '**/.vscode-test/**', '**/coverage/**',
];

export interface DiscoverOptions {
  /** Workspace-relative globs (picomatch). Default {@link DEFAULT_TASK_INCLUDE}. */
  include?: readonly string[];
  /** Workspace-relative globs; a matching directory is not entered. Default {@link DEFAULT_TASK_EXCLUDES}. */
  exclude?: readonly string[];
}

/** Absolute paths of the task files under `folder`, sorted. */
export async function discoverTaskFiles(folder: string, options: DiscoverOptions = {}): Promise<string[]> {
  const include = options.include?.length ? options.include : DEFAULT_TASK_INCLUDE;
  const isIncluded = picomatch([...include]);
  const isExcluded = picomatch([...(options.exclude ?? DEFAULT_TASK_EXCLUDES)]);
  // Globs without a leading dot never match dot-folders (picomatch's `dot: false`), so those folders
  // (.git, .venv, .cache …) are skipped unread unless some include pattern names one.
  const enterDotDirs = include.some((g) => g.startsWith('.') || g.includes('/.'));
  const found: string[] = [];

  async function walk(dir: string, rel: string): Promise<void> {
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return; // vanished or unreadable mid-walk: it holds no tasks we can load anyway
    }
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      // Symbolic links are not followed: they can loop, and a linked task would get two ids.
      if (e.isDirectory()) {
        if (e.name.startsWith('.') && !enterDotDirs) continue;
        if (isExcluded(childRel)) continue;
        subdirs.push(walk(path.join(dir, e.name), childRel));
      } else if (e.isFile() && isIncluded(childRel) && !isExcluded(childRel)) {
        found.push(path.join(dir, e.name));
      }
    }
    await Promise.all(subdirs);
  }

  await walk(folder, '');
  return found.sort();
}

/** `scripts/nightly-backup` for `<folder>/scripts/nightly-backup.task.ts`: stable, unique, readable. */
export function taskIdOf(folder: string, file: string): string {
  const rel = path.relative(folder, file).split(path.sep).join('/');
  return rel.replace(/\.task\.[cm]?[jt]sx?$/, '').replace(/\.[cm]?[jt]sx?$/, '');
}
