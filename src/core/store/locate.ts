// Where the store's two runtime files are: sql.js's WebAssembly and the worker script. Bundled, both
// sit beside the running bundle in dist/ (esbuild.js copies the .wasm and builds dist/store-worker.js);
// under tests the sources run as TypeScript, so the .wasm comes from node_modules and the worker from
// the .ts file, loaded through test/register.js.
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

const WASM = 'sql-wasm.wasm';

/** The sql.js WebAssembly file: beside the bundle in production, from node_modules in development. */
export function locateWasm(dir: string = __dirname): string {
  const beside = path.join(dir, WASM);
  if (fs.existsSync(beside)) return beside;
  return require.resolve(`sql.js/dist/${WASM}`);
}

export interface WorkerEntry {
  file: string;
  execArgv: string[];
}

/** The worker script: dist/store-worker.js beside the bundle, or worker.ts when running from source. */
export function workerEntry(dir: string = __dirname): WorkerEntry {
  const bundled = path.join(dir, 'store-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = path.join(dir, 'worker.ts');
  if (!fs.existsSync(source)) throw new Error(`history worker not found: neither ${bundled} nor ${source}`);
  // src/core/store → repo root; the hook transpiles .ts on require, as it does for mocha.
  const register = path.resolve(dir, '../../../test/register.js');
  return { file: source, execArgv: ['--require', register] };
}

/** Load sql.js with its WebAssembly from `wasm` (default: locateWasm()). */
export async function loadSqlJs(wasm: string = locateWasm()): Promise<SqlJsStatic> {
  return initSqlJs({ locateFile: () => wasm });
}
