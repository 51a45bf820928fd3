import * as assert from 'assert';
import * as path from 'path';
import { TASK_DEFAULTS } from '../../src/core/config/defaults';
import type { Path } from '../../src/core/config/types';
import { resolveTaskSpec, validateTaskOptions } from '../../src/core/options';

const FILE = '/ws/scripts/backup.task.ts';
/** A resolver like the task-file loader's: it knows one line per top-level option. */
const at = (p: Path) => ({ line: 10 + ['schedule', 'timeout', 'retries', 'dependsOn'].indexOf(String(p[0])), column: p.length });
const validate = (raw: unknown, context?: Parameters<typeof validateTaskOptions>[4]) => validateTaskOptions(raw, at, FILE, 'scripts/backup', context);
const messages = (raw: unknown, context?: Parameters<typeof validateTaskOptions>[4]) => validate(raw, context).diagnostics.map((d) => d.message);

describe('config: task options (shared by task files and .scheduler.yaml)', () => {
  it('normalises every option of a task file', () => {
    const { options, diagnostics } = validate({
      name: 'Nightly backup',
      description: 'dump the dev database',
      schedule: ['daily at 01:00', { type: 'weekly', day_of_week: 0, hour: 10, minute: 0 }],
      timezone: 'Europe/Berlin',
      timeout: '10m',
      retries: { max: 3, backoff: 'exponential', delay: '30s', maxDelay: '10m', jitter: true },
      overlap: 'queue',
      catchUp: 'all',
      catchUpWindow: '2h',
      priority: 'high',
      dependsOn: ['fetch-data', { task: 'scripts/prepare', on: 'completion' }],
      tags: 'maintenance',
      enabled: false,
      env: { PGHOST: 'localhost', PGPORT: 5432, DEBUG: true },
      params: { keep: 7 },
      memoryLimit: '1GB',
      output: 'logs/backup.log',
      pauseAfterFailures: 5,
      run: 'function', // code keys are the task loader's business
      onFailure: 'function',
    });
    assert.deepStrictEqual(diagnostics, []);
    assert.deepStrictEqual(options, {
      name: 'Nightly backup',
      description: 'dump the dev database',
      schedule: ['daily at 01:00', { type: 'weekly', day_of_week: 0, hour: 10, minute: 0 }],
      timezone: 'Europe/Berlin',
      timeout: 600_000,
      retries: { max: 3, backoff: 'exponential', delay: 30_000, maxDelay: 600_000, jitter: true },
      overlap: 'queue',
      catchUp: 'all',
      catchUpWindow: 7_200_000,
      priority: 'high',
      dependsOn: [{ task: 'fetch-data', on: 'success' }, { task: 'scripts/prepare', on: 'completion' }],
      tags: ['maintenance'],
      enabled: false,
      env: { PGHOST: 'localhost', PGPORT: '5432', DEBUG: 'true' },
      params: { keep: 7 },
      memoryLimitMb: 1024,
      output: { file: 'logs/backup.log', mode: 'append' },
      pauseAfterFailures: 5,
    });
  });

  it('positions each problem through the resolver and marks it with the task id', () => {
    const { diagnostics } = validate({ timeout: 'soon', retries: { max: -1 } });
    assert.deepStrictEqual(diagnostics.map((d) => [d.line, d.column, d.severity, d.taskId, d.file]), [
      [11, 1, 'error', 'scripts/backup', FILE],
      [12, 2, 'error', 'scripts/backup', FILE],
    ]);
  });

  it('rejects negative and fractional counts', () => {
    assert.deepStrictEqual(messages({ retries: 1.5, pauseAfterFailures: -2 }), [
      '`retries` must be a whole number ≥ 0; got 1.5',
      '`pauseAfterFailures` must be a whole number ≥ 0; got -2',
    ]);
  });

  it('rejects bad durations, and warns when a bare number is surely seconds', () => {
    assert.deepStrictEqual(messages({ timeout: 0, catchUpWindow: '1 day' }), [
      '`timeout` must be longer than 0; got 0',
      '`catchUpWindow` must be a duration like "30s", "10m", "2h", "1d" or a number of milliseconds; got "1 day"',
    ]);
    const { options, diagnostics } = validate({ timeout: 300 });
    assert.strictEqual(options.timeout, 300);
    assert.strictEqual(diagnostics[0].severity, 'warning');
    assert.strictEqual(diagnostics[0].message, '`timeout: 300` means 300 milliseconds; write "300s" for seconds');
  });

  it('checks retries field by field', () => {
    assert.deepStrictEqual(messages({ retries: { max: 2, backoff: 'exponentail', delay: '1m', maxDelay: '10s', jitter: 'yes' } }), [
      '`retries.backoff` must be one of fixed, linear, exponential; got "exponentail" (did you mean "exponential"?)',
      '`retries.jitter` must be true or false; got "yes"',
      '`retries.maxDelay` must be at least `delay` ("1m"); got "10s"',
    ]);
    assert.deepStrictEqual(messages({ retries: 'three' }), ['`retries` must be a number of retries or { max, backoff, delay, maxDelay, jitter }; got "three"']);
  });

  it('checks dependsOn entries: string id or { task, on }', () => {
    assert.deepStrictEqual(messages({ dependsOn: [{ task: 'a', on: 'done' }, { on: 'success' }, 42, 'b', 'b'] }), [
      '`dependsOn[0].on` must be one of success, failure, completion; got "done"',
      '`dependsOn[1]` needs `task`: the id of the task it waits for',
      '`dependsOn[2]` must be a task id or { task: id, on: success | failure | completion }; got 42',
      '`dependsOn[4]`: `b` is already listed; this entry is ignored',
    ]);
    assert.deepStrictEqual(validate({ dependsOn: 'fetch' }).options.dependsOn, [{ task: 'fetch', on: 'success' }]);
  });

  it('checks the structured schedule form: keys, type and ranges', () => {
    assert.deepStrictEqual(messages({ schedule: [{ type: 'weekly', day_of_week: 7, hour: 24, minute: 30, dayOfMonth: 1 }, { hour: 1 }, 5] }), [
      'unknown key `dayOfMonth`: did you mean `day_of_month`?',
      '`schedule[0].hour` must be a whole number from 0 to 23; got 24',
      '`schedule[0].day_of_week` must be a whole number from 0 to 6; got 7',
      '`schedule[1]` needs `type`: one of minutes, hourly, daily, weekly, monthly',
      '`schedule[2]` must be a schedule like "daily at 09:30" or "0 2 * * *", a { type: daily, hour: 9, minute: 30 } object, or a list of them; got 5',
    ]);
  });

  it('checks env values and output', () => {
    assert.deepStrictEqual(messages({ env: { A: null, B: ['x'] }, output: { mode: 'truncate' } }), [
      '`env.A` must be a string; got null',
      '`env.B` must be a string; got a list',
      '`output` needs `file`: where the output is written',
      '`output.mode` must be one of append, overwrite; got "truncate"',
    ]);
  });

  it('checks the memory limit', () => {
    assert.strictEqual(validate({ memoryLimit: 256 }).options.memoryLimitMb, 256);
    assert.strictEqual(validate({ memoryLimit: '512mb' }).options.memoryLimitMb, 512);
    assert.strictEqual(validate({ memoryLimit: 0 }).options.memoryLimitMb, 0);
    assert.deepStrictEqual(messages({ memoryLimit: 8 }), ['`memoryLimit` must be megabytes: a whole number ≥ 16 (or "512MB", "1GB"; 0 = no limit); got 8']);
    assert.deepStrictEqual(messages({ memoryLimit: '2TB' }).length, 1);
  });

  it('decides which keys each place accepts', () => {
    assert.deepStrictEqual(messages({ command: 'ls' }), [
      '`command` is not allowed here: it belongs to a job under `jobs:` in .scheduler.yaml; a task file runs its `run` function',
    ]);
    assert.deepStrictEqual(messages({ run: 'x', command: 'ls' }, 'job'), ['`run` is not allowed here: it needs code: write a *.task.ts file']);
    assert.deepStrictEqual(messages({ command: 'ls' }, 'override'), [
      '`command` is not allowed here: an override changes how a task runs, not what it runs; define a job under `jobs:`',
    ]);
    assert.deepStrictEqual(messages({ dependsOn: ['a'], timeout: '1m' }, 'defaults'), [
      '`dependsOn` is not allowed here: `dependsOn` belongs to one task: set it in the task or under `overrides:`',
    ]);
  });

  it('brings the names other schedulers use home', () => {
    assert.deepStrictEqual(messages({ maxRetries: 3, retry_delay: 60, cron: '0 2 * * *', dependencies: ['a'], title: 'x' }), [
      'unknown key `maxRetries`: use `retries: { max: N }` (or `retries: N`)',
      'unknown key `retry_delay`: use `retries: { delay: "5m" }`',
      'unknown key `cron`: use `schedule: "0 2 * * *"`',
      'unknown key `dependencies`: use `dependsOn: [other-task]`',
      'unknown key `title`: use `name:`',
    ]);
  });

  it('says what it wants when the options are not an object', () => {
    assert.deepStrictEqual(messages(null), ['the file must be an object of task options; got null']);
  });
});

describe('config: resolving a TaskSpec (built-in < defaults < task file < override)', () => {
  const WS = '/ws';

  it('is all built-in defaults for a bare task', () => {
    const spec = resolveTaskSpec('hello', 'module', '/ws/hello.task.ts', WS, {});
    assert.deepStrictEqual(spec, {
      id: 'hello', name: 'hello', kind: 'module', file: '/ws/hello.task.ts', workspaceFolder: WS,
      schedule: [], timeout: TASK_DEFAULTS.timeout, retries: { ...TASK_DEFAULTS.retries },
      overlap: 'skip', catchUp: 'latest', catchUpWindow: 86_400_000, priority: 'normal',
      dependsOn: [], tags: [], enabled: true, env: {}, params: {}, pauseAfterFailures: 0, memoryLimitMb: 512,
    });
  });

  it('layers each level over the one before', () => {
    const spec = resolveTaskSpec('scripts/backup', 'module', FILE, WS,
      { schedule: ['daily at 02:00'], timeout: 60_000, retries: { max: 2 }, env: { A: 'file', B: 'file' }, params: { x: 1 }, tags: ['db'], overlap: 'queue' },
      { timezone: 'Europe/Berlin', timeout: 1_000, retries: { backoff: 'fixed', delay: 5_000 }, env: { A: 'default', C: 'default' }, tags: ['ws'], priority: 'low' },
      { schedule: ['daily at 03:00'], retries: { delay: 9_000 }, env: { B: 'override' }, params: { y: 2 }, enabled: false });
    assert.deepStrictEqual(spec.schedule, ['daily at 03:00'], 'override beats the task file');
    assert.strictEqual(spec.timeout, 60_000, 'task file beats the defaults');
    assert.strictEqual(spec.priority, 'low', 'defaults beat the built-in');
    assert.strictEqual(spec.timezone, 'Europe/Berlin', "the config's zone applies when the task names none");
    assert.strictEqual(spec.overlap, 'queue');
    assert.strictEqual(spec.enabled, false);
    assert.deepStrictEqual(spec.retries, { max: 2, backoff: 'fixed', delay: 9_000, maxDelay: TASK_DEFAULTS.retries.maxDelay, jitter: true }, 'retries merge field by field');
    assert.deepStrictEqual(spec.env, { A: 'file', B: 'override', C: 'default' });
    assert.deepStrictEqual(spec.params, { x: 1, y: 2 });
    assert.deepStrictEqual(spec.tags, ['ws', 'db'], 'default tags are added to the task\'s own');
  });

  it('lets an override replace the task\'s own tags but not the default ones', () => {
    const spec = resolveTaskSpec('t', 'module', FILE, WS, { tags: ['a'] }, { tags: ['ws'] }, { tags: ['b'] });
    assert.deepStrictEqual(spec.tags, ['ws', 'b']);
  });

  it('fills the fields of each job kind and resolves paths from the workspace folder', () => {
    const cmd = resolveTaskSpec('c', 'command', '/ws/.scheduler.yaml', WS, { command: 'ls', cwd: 'tmp', output: { file: 'logs/c.log', mode: 'overwrite' } });
    assert.strictEqual(cmd.command, 'ls');
    assert.strictEqual(cmd.cwd, path.resolve(WS, 'tmp'));
    assert.deepStrictEqual(cmd.output, { file: path.resolve(WS, 'logs/c.log'), mode: 'overwrite' });
    assert.strictEqual(resolveTaskSpec('c', 'command', '/ws/.scheduler.yaml', WS, { command: 'ls' }).cwd, WS);
    const vc = resolveTaskSpec('v', 'vscodeCommand', '/ws/.scheduler.yaml', WS, { vscodeCommand: 'editor.action.formatDocument' });
    assert.deepStrictEqual([vc.vscodeCommand, vc.args], ['editor.action.formatDocument', []]);
    const vt = resolveTaskSpec('t', 'vscodeTask', '/ws/.scheduler.yaml', WS, { vscodeTask: 'npm: build' });
    assert.strictEqual(vt.vscodeTask, 'npm: build');
    assert.strictEqual(vt.command, undefined);
  });

  it('takes memoryLimit 0 as no limit', () => {
    assert.strictEqual(resolveTaskSpec('t', 'module', FILE, WS, { memoryLimitMb: 0 }).memoryLimitMb, undefined);
  });
});
