import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../../src/core/config/defaults';
import { formatDiagnostic } from '../../src/core/model';
import { createCompiler } from '../../src/core/tasks/compile';
import { loadTaskFiles, type TaskFileLoader } from '../../src/core/tasks/load';

const FIXTURE = path.join(__dirname, '../fixtures/tasks/ws');
const API = path.join(__dirname, '../../src/api/index.ts');
const DESCRIBE = path.join(__dirname, '../../src/runner/describe.ts');
const REGISTER = path.join(__dirname, '../register.js');

function setup(): { ws: string; loader: TaskFileLoader } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-load-'));
  const ws = path.join(root, 'ws');
  fs.cpSync(FIXTURE, ws, { recursive: true });
  const compiler = createCompiler({ workspaceFolder: ws, cacheDir: path.join(root, 'cache'), apiModulePath: API });
  return { ws, loader: { compiler, describe: { args: ['-r', REGISTER, DESCRIBE, '--describe'], timeoutMs: 1_500 } } };
}

describe('tasks: loading a folder of task files', function () {
  this.timeout(30_000);

  it('loads the good tasks and makes each broken one invalid, with one positioned reason', async () => {
    const { ws, loader } = setup();
    const r = await loadTaskFiles(ws, loader);
    assert.deepStrictEqual(r.tasks.map((t) => [t.id, t.hooks]), [
      ['scripts/fetch-data', ['run']], ['scripts/nightly-backup', ['run', 'when', 'onFailure']], ['scripts/plain', ['run']],
    ]);
    const nightly = r.tasks[1];
    assert.deepStrictEqual(nightly.options.retries, { max: 3, backoff: 'exponential', delay: 30_000, maxDelay: 600_000, jitter: true });
    assert.deepStrictEqual(nightly.options.schedule, ['0 2 * * *']);
    assert.ok(fs.existsSync(nightly.compiledPath));
    assert.deepStrictEqual(r.invalid.map((t) => [t.id, t.reason]), [
      ['broken/invalid-options', '`overlap` must be one of skip, queue, allow, replace; got "sometimes"'],
      ['broken/loops-on-import', 'loading the task did not finish within 1500 ms (an endless loop at import time?)'],
      ['broken/missing-package', 'does not compile: Cannot find package "@aws-sdk/client-s3". Install it in the workspace: npm install @aws-sdk/client-s3'],
      ['broken/no-run', 'a task file must export a `run` function: export default defineTask({ schedule, run(ctx) { … } })'],
      ['broken/syntax-error', 'does not compile: Unexpected ")"'],
      ['broken/throws-on-import', 'loading the task threw: cannot load: DATABASE_URL is not set'],
    ]);
    assert.deepStrictEqual(r.diagnostics.map((d) => formatDiagnostic(d, ws)).sort(), [
      'broken/invalid-options.task.ts:5:12: error: `overlap` must be one of skip, queue, allow, replace; got "sometimes"',
      'broken/loops-on-import.task.ts:1:1: error: loading the task did not finish within 1500 ms (an endless loop at import time?)',
      'broken/missing-package.task.ts:2:26: error: Cannot find package "@aws-sdk/client-s3". Install it in the workspace: npm install @aws-sdk/client-s3',
      'broken/no-run.task.ts:1:16: error: a task file must export a `run` function: export default defineTask({ schedule, run(ctx) { … } })',
      'broken/syntax-error.task.ts:6:18: error: Unexpected ")"',
      'broken/throws-on-import.task.ts:3:7: error: loading the task threw: cannot load: DATABASE_URL is not set',
    ]);
    for (const d of r.diagnostics) assert.strictEqual(d.taskId, path.relative(ws, d.file).replace(/\.task\.ts$/, ''), d.message);
  });

  it('warns about a misspelt hook and a function where data belongs', async () => {
    const { ws, loader } = setup();
    fs.rmSync(path.join(ws, 'broken'), { recursive: true });
    const f = path.join(ws, 'scripts/hooks.task.ts');
    fs.writeFileSync(f, 'export default {\n  schedule: () => "daily",\n  onSucess() {},\n  run() {},\n};\n');
    const r = await loadTaskFiles(ws, loader);
    const mine = r.diagnostics.filter((d) => d.file === f).map((d) => formatDiagnostic(d, ws));
    assert.deepStrictEqual(mine, [
      'scripts/hooks.task.ts:2:13: error: `schedule` must be a value, not a function',
      'scripts/hooks.task.ts:3:3: warning: unknown key `onSucess`: did you mean `onSuccess`?',
    ]);
    assert.deepStrictEqual(r.invalid.map((t) => t.id), ['scripts/hooks']);
  });

  it('uses the config\'s globs, and applies its defaults and overrides to each spec', async () => {
    const { ws, loader } = setup();
    const config = defaultConfig();
    config.tasks.exclude.push('broken/**');
    config.defaults = { timeout: 60_000, tags: ['team'] };
    config.overrides = { 'scripts/plain': { priority: 'low' } };
    const r = await loadTaskFiles(ws, loader, config);
    assert.deepStrictEqual(r.invalid, []);
    const plain = r.tasks.find((t) => t.id === 'scripts/plain')!;
    assert.deepStrictEqual([plain.spec?.timeout, plain.spec?.priority, plain.spec?.tags, plain.spec?.kind], [60_000, 'low', ['team'], 'module']);
    assert.deepStrictEqual(r.tasks.find((t) => t.id === 'scripts/nightly-backup')?.spec?.timeout, 600_000);
  });

  it('reuses the compiled files on a second load', async () => {
    const { ws, loader } = setup();
    fs.rmSync(path.join(ws, 'broken'), { recursive: true });
    await loadTaskFiles(ws, loader);
    const second = await loadTaskFiles(ws, loader);
    assert.deepStrictEqual([second.compile.built, second.compile.cached], [0, 3]);
  });
});
