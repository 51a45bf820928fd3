// The compiler builds with the esbuild it is given (the extension resolves one at run time: the VSIX
// cannot carry its native binary), and an esbuild that cannot build makes tasks invalid, not a crash.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createCompiler, type EsbuildApi } from '../../src/core/tasks/compile';

const FIXTURE = path.join(__dirname, '../fixtures/tasks/ws');
const API = path.join(__dirname, '../../src/api/index.ts');

function copy(): { ws: string; cache: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-compile-esbuild-'));
  fs.cpSync(FIXTURE, path.join(root, 'ws'), { recursive: true });
  return { ws: path.join(root, 'ws'), cache: path.join(root, 'cache') };
}

describe('tasks: compile with an injected esbuild', function () {
  this.timeout(30_000);

  it('builds with the esbuild passed in, and touches it only when something must be built', async () => {
    const { ws, cache } = copy();
    let builds = 0;
    let versionReads = 0;
    const counting: EsbuildApi = {
      get version() { versionReads++; return esbuild.version; },
      build: ((o: esbuild.BuildOptions) => { builds++; return esbuild.build(o); }) as EsbuildApi['build'],
    };
    const compiler = createCompiler({ workspaceFolder: ws, cacheDir: cache, apiModulePath: API, esbuild: counting });
    assert.strictEqual(versionReads, 0, 'creating a compiler reads nothing from esbuild');
    const file = path.join(ws, 'scripts/plain.task.ts');
    const r = await compiler.compile([file]);
    assert.deepStrictEqual(r.diagnostics, []);
    assert.ok(r.outputs.get(file), 'compiled');
    assert.strictEqual(builds, 1);
    const again = await createCompiler({ workspaceFolder: ws, cacheDir: cache, apiModulePath: API, esbuild: counting }).compile([file]);
    assert.strictEqual(again.stats.cached, 1);
    assert.strictEqual(builds, 1, 'a warm cache needs no build');
  });

  it('an esbuild that refuses every build lists each task as failed with its message, at line 1', async () => {
    const { ws, cache } = copy();
    const text = 'Task Scheduler needs esbuild to compile task files';
    const missing: EsbuildApi = {
      version: 'unavailable',
      build: (async () => {
        throw Object.assign(new Error(text), { errors: [{ id: '', pluginName: '', text, location: null, notes: [], detail: { code: 'compile.esbuild-missing' } }], warnings: [] });
      }) as unknown as EsbuildApi['build'],
    };
    const files = ['scripts/plain', 'scripts/fetch-data'].map((f) => path.join(ws, `${f}.task.ts`));
    const r = await createCompiler({ workspaceFolder: ws, cacheDir: cache, apiModulePath: API, esbuild: missing }).compile(files);
    assert.strictEqual(r.outputs.size, 0);
    assert.deepStrictEqual([...r.failed.keys()].sort(), [...files].sort());
    for (const f of files) {
      const [d] = r.failed.get(f)!;
      assert.deepStrictEqual({ file: d.file, line: d.line, code: d.code, message: d.message }, { file: f, line: 1, code: 'compile.esbuild-missing', message: text });
    }
  });
});
