// The exact command that installs a missing package with the workspace's own package manager,
// told by the lockfile nearest to the importing file.
import * as fs from 'fs';
import * as path from 'path';

/** Checked in this order within one folder; the first folder (walking up) with any of them wins. */
const LOCKFILES: ReadonlyArray<[file: string, command: string]> = [
  ['pnpm-lock.yaml', 'pnpm add'],
  ['yarn.lock', 'yarn add'],
  ['bun.lockb', 'bun add'],
  ['bun.lock', 'bun add'],
  ['package-lock.json', 'npm install'],
];

export function installCommand(pkg: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    for (const [file, command] of LOCKFILES) {
      if (fs.existsSync(path.join(dir, file))) return `${command} ${pkg}`;
    }
    if (path.dirname(dir) === dir) return `npm install ${pkg}`;
  }
}

/** `lodash` for `lodash/fp`, `@scope/pkg` for `@scope/pkg/sub`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Whether a folder `node_modules/<pkg>` exists at or above `fromDir` (installed, even if broken). */
export function packageInstalled(pkg: string, fromDir: string): boolean {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', pkg))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}
