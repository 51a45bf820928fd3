import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createCompiler } from '../../src/core/tasks/compile';
import { readTaskOptions, type DescribeLauncher } from '../../src/core/tasks/readOptions';
import { describeModule } from '../../src/runner/describe';

const FIXTURE = path.join(__dirname, '../fixtures/tasks/ws');
const API = path.join(__dirname, '../../src/api/index.ts');
const DESCRIBE = path.join(__dirname, '../../src/runner/describe.ts');
const REGISTER = path.join(__dirname, '../register.js');
const launcher = (cwd: string, timeoutMs = 2_000): DescribeLauncher => ({ args: ['-r', REGISTER, DESCRIBE, '--describe'], cwd, timeoutMs });

/** Compiles the fixture workspace once; tests read options from its outputs. */
async function compiled(): Promise<{ ws: string; outputs: Map<string, string> }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-describe-'));
  const ws = path.join(root, 'ws');
  fs.cpSync(FIXTURE, ws, { recursive: true });
  const compiler = createCompiler({ workspaceFolder: ws, cacheDir: path.join(root, 'cache'), apiModulePath: API });
  const files = ['scripts/nightly-backup', 'scripts/plain', 'broken/throws-on-import', 'broken/loops-on-import', 'broken/invalid-options', 'broken/no-run']
    .map((f) => path.join(ws, `${f}.task.ts`));
  const r = await compiler.compile(files);
  assert.strictEqual(r.outputs.size, files.length);
  return { ws, outputs: r.outputs };
}
const only = (outputs: Map<string, string>, ...names: string[]) =>
  new Map([...outputs].filter(([f]) => names.some((n) => f.endsWith(`${n}.task.ts`))));

describe('tasks: reading options in a child process', function () {
  this.timeout(30_000);
  let ws: string;
  let outputs: Map<string, string>;
  before(async () => ({ ws, outputs } = await compiled()));

  it('describes a task: plain-data options, and which hooks exist', async () => {
    const r = await readTaskOptions(only(outputs, 'nightly-backup', 'plain'), launcher(ws));
    assert.deepStrictEqual(r.get(path.join(ws, 'scripts/plain.task.ts')), { options: { schedule: 'every 5 minutes' }, hooks: ['run'] });
    const nightly = r.get(path.join(ws, 'scripts/nightly-backup.task.ts'))!;
    assert.deepStrictEqual(nightly.hooks, ['run', 'when', 'onFailure']);
    assert.deepStrictEqual(nightly.options, {
      name: 'Nightly backup', description: 'Copies the dev database', schedule: '0 2 * * *', timezone: 'Europe/Berlin',
      timeout: '10m', retries: { max: 3, backoff: 'exponential', delay: '30s', maxDelay: '10m', jitter: true },
      overlap: 'skip', catchUp: 'latest', priority: 'high', dependsOn: [{ task: 'scripts/fetch-data', on: 'success' }],
      tags: ['maintenance'], params: { keep: 7 },
    });
  });

  it('never loads a task file in this process', async () => {
    const before = new Set(Object.keys(require.cache));
    await readTaskOptions(only(outputs, 'plain'), launcher(ws));
    assert.deepStrictEqual(Object.keys(require.cache).filter((k) => !before.has(k)), []);
  });

  it('reports an import-time throw at its line, and goes on with the others', async () => {
    const r = await readTaskOptions(only(outputs, 'throws-on-import', 'plain'), launcher(ws));
    assert.deepStrictEqual(r.get(path.join(ws, 'broken/throws-on-import.task.ts')), {
      hooks: [], error: 'loading the task threw: cannot load: DATABASE_URL is not set',
      errorAt: { file: path.join(ws, 'broken/throws-on-import.task.ts'), line: 3, column: 7 },
    });
    assert.deepStrictEqual(r.get(path.join(ws, 'scripts/plain.task.ts'))?.hooks, ['run']);
  });

  it('marks a file that loops at import time, and still describes the files before and after it', async () => {
    // The looping file second: one before it, two after it.
    const order = ['scripts/nightly-backup', 'broken/loops-on-import', 'scripts/plain', 'broken/no-run'];
    const mid = new Map(order.map((n) => [path.join(ws, `${n}.task.ts`), outputs.get(path.join(ws, `${n}.task.ts`))!]));
    const started = Date.now();
    const r = await readTaskOptions(mid, launcher(ws, 1_000));
    assert.ok(Date.now() - started < 15_000);
    assert.deepStrictEqual(r.get(path.join(ws, 'broken/loops-on-import.task.ts')), {
      hooks: [], error: 'loading the task did not finish within 1000 ms (an endless loop at import time?)',
    });
    assert.deepStrictEqual(r.get(path.join(ws, 'broken/no-run.task.ts')), { options: { schedule: 'daily' }, hooks: [] });
    assert.deepStrictEqual(r.get(path.join(ws, 'scripts/plain.task.ts'))?.hooks, ['run']);
    assert.deepStrictEqual(r.get(path.join(ws, 'scripts/nightly-backup.task.ts'))?.hooks, ['run', 'when', 'onFailure']);
  });

  it('blames a task that ends the process while loading, and goes on', async () => {
    const exits = path.join(ws, 'exits.js');
    fs.writeFileSync(exits, 'process.exit(3);\n');
    const r = await readTaskOptions(new Map([['/ws/exits.task.ts', exits], ...only(outputs, 'plain')]), launcher(ws));
    assert.deepStrictEqual(r.get('/ws/exits.task.ts'), { hooks: [], error: 'loading the task ended its process (exit code 3)' });
    assert.deepStrictEqual(r.get(path.join(ws, 'scripts/plain.task.ts'))?.hooks, ['run']);
  });

  it('marks every file when the reader cannot start, and does not retry for each', async () => {
    const r = await readTaskOptions(only(outputs, 'plain', 'no-run'), { args: ['/no/such/describe.js', '--describe'], cwd: ws });
    assert.strictEqual(r.size, 2);
    for (const d of r.values()) assert.match(d.error ?? '', /^the options reader ended its process \(exit code 1\)/);
  });

  it('is runnable by hand: --describe with files prints JSON', () => {
    const out = execFileSync(process.execPath, ['-r', REGISTER, DESCRIBE, '--describe', outputs.get(path.join(ws, 'scripts/plain.task.ts'))!], { encoding: 'utf8' });
    assert.deepStrictEqual(JSON.parse(out).map((r: { options: unknown; hooks: string[] }) => [r.options, r.hooks]), [[{ schedule: 'every 5 minutes' }, ['run']]]);
  });

  describe('describeModule', () => {
    const write = (text: string): string => {
      const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ts-describe-mod-')), 'm.js');
      fs.writeFileSync(f, text);
      return f;
    };
    it('takes module.exports when there is no default export', () => {
      assert.deepStrictEqual(describeModule(write('module.exports = { schedule: "hourly", run() {} };')), { options: { schedule: 'hourly' }, hooks: ['run'] });
    });
    it('turns values into JSON-safe data', () => {
      const r = describeModule(write(`const o = { schedule: "daily", at: new Date(Date.UTC(2026, 0, 2)), n: Infinity, nested: { f() {}, x: 1 }, list: [1, () => 2], run() {} };
        o.self = o; exports.default = o;`));
      assert.deepStrictEqual(r.options, { schedule: 'daily', at: '2026-01-02T00:00:00.000Z', n: 'Infinity', nested: { x: 1 }, list: [1, null], self: '[Circular]' });
    });
    it('says when nothing usable is exported', () => {
      assert.match(describeModule(write('exports.default = 5;')).error ?? '', /no default export of an options object/);
    });
    it('lists unknown functions after the known hooks', () => {
      assert.deepStrictEqual(describeModule(write('module.exports = { onSucess() {}, run() {}, before() {} };')).hooks, ['run', 'before', 'onSucess']);
    });
  });
});
