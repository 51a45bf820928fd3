// Gives task files IntelliSense for `import … from "task-scheduler"` with nothing installed from npm.
//
// The declarations are written as a types-only package, `<workspace>/node_modules/@types/task-scheduler`.
// TypeScript looks there for a bare import in every setup a workspace can have: VS Code's inferred
// project for a folder with no tsconfig, a user's tsconfig with `types: []` or its own `typeRoots`,
// and moduleResolution node10, node16/nodenext and bundler alike (test/unit/tasks.types.test.ts proves
// each with the TypeScript compiler and tsserver). Nothing of the user's is edited: no tsconfig,
// no `paths`. The alternatives fall short: an ambient `declare module` file elsewhere (say .vscode/)
// is not part of an inferred project, and `paths` needs a tsconfig that includes the task files.
// The folder carries a `.gitignore` of `*`, so it never shows in git even where node_modules is not
// ignored; `npm ci` or `npm prune` may remove it, and the next activation writes it again.
import * as fs from 'fs';
import * as path from 'path';

/** Marks the package as ours: one without it (a real @types/task-scheduler) is left alone. */
const MARKER = 'taskSchedulerGenerated';

export interface EnsureTypesResult {
  /** The folder the declarations are in. */
  dir: string;
  /** Files written this time (empty when everything was already up to date). */
  written: string[];
  /** Set when nothing could be or was written, with why. */
  skipped?: string;
}

/**
 * Writes (or refreshes) `node_modules/@types/task-scheduler` in `workspaceFolder` from
 * `typesSourceDir` (the shipped `types/` folder, or `types/task-scheduler/` that holds `index.d.ts`). Idempotent: unchanged files are
 * not rewritten. Call only in a trusted workspace.
 */
export function ensureTypes(workspaceFolder: string, typesSourceDir: string): EnsureTypesResult {
  const dir = path.join(workspaceFolder, 'node_modules', '@types', 'task-scheduler');
  const manifestPath = path.join(dir, 'package.json');
  const existing = readJson(manifestPath);
  if (existing && !existing[MARKER]) {
    return { dir, written: [], skipped: 'a @types/task-scheduler package not written by Task Scheduler is installed; it is left as it is' };
  }
  // The shipped `types/` folder or its `task-scheduler/` subfolder: either names the declarations.
  const declarations = readText(path.join(typesSourceDir, 'index.d.ts')) ?? readText(path.join(typesSourceDir, 'task-scheduler', 'index.d.ts'));
  if (declarations === undefined) return { dir, written: [], skipped: `no task-scheduler declarations in ${typesSourceDir}` };
  const files: Record<string, string> = {
    'index.d.ts': declarations,
    'package.json': JSON.stringify({
      name: '@types/task-scheduler',
      version: '0.0.0',
      description: 'Types for task files (*.task.ts), written by the Task Scheduler extension. Rewritten when it starts; do not edit.',
      types: 'index.d.ts',
      [MARKER]: true,
    }, null, 2) + '\n',
    '.gitignore': '# Written by the Task Scheduler extension\n*\n',
  };
  const written: string[] = [];
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, name);
      if (readText(file) === text) continue;
      fs.writeFileSync(file, text);
      written.push(file);
    }
  } catch (e) {
    return { dir, written, skipped: `could not write the task file types: ${(e as Error).message}` };
  }
  return { dir, written };
}

function readText(file: string): string | undefined {
  try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
}

function readJson(file: string): Record<string, unknown> | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  try { return JSON.parse(text) as Record<string, unknown>; } catch { return {}; }
}
