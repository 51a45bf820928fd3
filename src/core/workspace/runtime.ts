// The files the product ships beside its bundles, found from the folder that holds them (dist/).
// The extension passes `<extensionPath>/dist`; the CLI passes its own folder.
import * as path from 'path';
import { createCompiler, type EsbuildApi } from '../tasks/compile';
import type { TaskFileLoader } from '../tasks/load';

export interface Runtime {
  /** The child-process entry: `runner.js --serve` runs a task, `--describe` reads options. */
  runnerPath: string;
  /** What `import … from "task-scheduler"` is bound to in compiled task files. */
  apiModulePath: string;
  /** `types/` with task-scheduler's declarations, for IntelliSense in task files. */
  typesDir: string;
  /** The Node-compatible binary that runs children (VS Code's Electron, run as Node, in the host). */
  execPath: string;
}

export function runtimeFromDist(distDir: string, execPath = process.execPath): Runtime {
  return {
    runnerPath: path.join(distDir, 'runner.js'),
    apiModulePath: path.join(distDir, 'api.js'),
    typesDir: path.join(distDir, '..', 'types'),
    execPath,
  };
}

/** `esbuild`: the one to compile with when the caller found it at run time (default: `require('esbuild')`). */
export function taskFileLoader(folder: string, runtime: Runtime, cacheDir?: string, esbuild?: EsbuildApi): TaskFileLoader {
  return {
    compiler: createCompiler({ workspaceFolder: folder, apiModulePath: runtime.apiModulePath, cacheDir, esbuild }),
    describe: {
      execPath: runtime.execPath,
      args: [runtime.runnerPath, '--describe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    },
  };
}
