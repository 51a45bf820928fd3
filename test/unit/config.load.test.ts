import * as assert from 'assert';
import { loadConfig } from '../../src/core/config';
import { CONFIG_DEFAULTS, defaultConfig } from '../../src/core/config/defaults';
import { formatDiagnostic, type Diagnostic } from '../../src/core/model';

const FILE = '/ws/.scheduler.yaml';
const load = (text: string) => loadConfig(FILE, text);
/** `line:col severity message` per diagnostic, for assertions that read like the CLI's output. */
const lines = (ds: Diagnostic[]) => ds.map((d) => formatDiagnostic(d).slice(FILE.length + 1));

describe('config: loading .scheduler.yaml', () => {
  it('gives the built-in defaults for an empty or comment-only file, without diagnostics', () => {
    for (const text of ['', '# nothing yet\n', '---\n']) {
      const { config, diagnostics } = load(text);
      assert.deepStrictEqual(diagnostics, []);
      assert.deepStrictEqual(config, defaultConfig());
    }
  });

  it('takes an empty section as empty, not as a mistake', () => {
    const { config, diagnostics } = load('defaults:\njobs:\n  # cleanup: { command: x }\noverrides:\n');
    assert.deepStrictEqual(diagnostics, []);
    assert.deepStrictEqual(config, defaultConfig());
  });

  it('reads every top-level setting', () => {
    const { config, diagnostics } = load([
      'version: 1',
      'timezone: Europe/Berlin',
      'concurrency: 4',
      'paused: true',
      'tasks:',
      '  include: ["scripts/**/*.task.ts", "jobs/*.task.ts"]',
      '  exclude: "**/fixtures/**"',
      'history: { retentionDays: 7, maxRunsPerTask: 100 }',
      'notifications: { onFailure: false, onSuccess: true }',
    ].join('\n'));
    assert.deepStrictEqual(diagnostics, []);
    assert.strictEqual(config.timezone, 'Europe/Berlin');
    assert.strictEqual(config.defaults.timezone, 'Europe/Berlin', 'the zone is a default every task inherits');
    assert.strictEqual(config.concurrency, 4);
    assert.strictEqual(config.paused, true);
    assert.deepStrictEqual(config.tasks.include, ['scripts/**/*.task.ts', 'jobs/*.task.ts']);
    assert.deepStrictEqual(config.tasks.exclude, [...CONFIG_DEFAULTS.exclude, '**/fixtures/**'], 'a user exclude adds to the built-in ones');
    assert.deepStrictEqual(config.history, { retentionDays: 7, maxRunsPerTask: 100 });
    assert.deepStrictEqual(config.notifications, { onFailure: false, onSuccess: true });
  });

  it('reads defaults, overrides and the three kinds of job', () => {
    const { config, diagnostics } = load(`
defaults:
  timeout: 5m
  retries: 3
  tags: [workspace]
overrides:
  scripts/nightly-backup: { schedule: "daily at 03:00", enabled: false }
jobs:
  cleanup-tmp: { command: "rm -rf tmp/*", schedule: "daily at 04:00", cwd: tmp }
  format-all:  { vscodeCommand: editor.action.formatDocument, args: [1, "two"], schedule: manual }
  build:       { vscodeTask: "npm: build", schedule: ["weekdays at 09:00", { type: daily, hour: 18, minute: 0 }] }
`);
    assert.deepStrictEqual(diagnostics, []);
    assert.deepStrictEqual(config.defaults, { timeout: 300_000, retries: { max: 3 }, tags: ['workspace'] });
    assert.deepStrictEqual(config.overrides['scripts/nightly-backup'], { schedule: ['daily at 03:00'], enabled: false });
    assert.deepStrictEqual(config.jobs['cleanup-tmp'], { kind: 'command', command: 'rm -rf tmp/*', schedule: ['daily at 04:00'], cwd: 'tmp' });
    assert.deepStrictEqual(config.jobs['format-all'], { kind: 'vscodeCommand', vscodeCommand: 'editor.action.formatDocument', args: [1, 'two'], schedule: ['manual'] });
    assert.deepStrictEqual(config.jobs.build, {
      kind: 'vscodeTask', vscodeTask: 'npm: build', schedule: ['weekdays at 09:00', { type: 'daily', hour: 18, minute: 0 }],
    });
  });

  it('warns about an unknown key at its position, with the nearest name, at any depth', () => {
    const { diagnostics } = load([
      'timzone: UTC',
      'defaults:',
      '  retries: { max: 2, backof: linear }',
      'jobs:',
      '  a: { command: x, overlapp: skip }',
    ].join('\n'));
    assert.deepStrictEqual(lines(diagnostics), [
      '1:1: warning: unknown key `timzone`: did you mean `timezone`?',
      '3:22: warning: unknown key `backof`: did you mean `backoff`?',
      '5:20: warning: unknown key `overlapp`: did you mean `overlap`?',
    ]);
    assert.ok(diagnostics.every((d) => d.code === 'config.unknown-key'));
    assert.strictEqual(diagnostics[2].taskId, 'a', 'a problem inside a job belongs to that job');
    assert.strictEqual(diagnostics[0].endColumn, 8, 'the whole key is marked');
  });

  it('names the right place for a key written at the wrong level', () => {
    const { diagnostics } = load('overlap: queue\nretentionDays: 3\ndefaults:\n  schedule: hourly\n  timezone: UTC\n');
    assert.deepStrictEqual(lines(diagnostics), [
      '1:1: warning: `overlap` is not allowed here: put it under `defaults:` (for every task) or under a task in `overrides:`',
      '2:1: warning: `retentionDays` is not allowed here: put it under `history:`',
      '4:3: warning: `schedule` is not allowed here: `schedule` belongs to one task: set it in the task or under `overrides:`',
      '5:3: warning: `timezone` is not allowed here: set `timezone` at the top level of .scheduler.yaml',
    ]);
  });

  it('points a job written under `tasks:` to `jobs:`', () => {
    const { diagnostics, config } = load('tasks:\n  backup: { command: "pg_dump db", schedule: daily }\n');
    assert.deepStrictEqual(lines(diagnostics), [
      '2:3: warning: `backup` is not allowed here: tasks with no TypeScript go under `jobs:`; `tasks:` only says which files are tasks (include, exclude)',
    ]);
    assert.deepStrictEqual(config.jobs, {});
  });

  it('errors on wrong types and values with the expected form, and keeps the default', () => {
    const { diagnostics, config } = load([
      'concurrency: 0',
      'paused: yes',
      'history: { retentionDays: -1, maxRunsPerTask: 1.5 }',
      'defaults: { overlap: sometimes, timeout: 10 minutes, priority: urgent, catchUp: Latest }',
    ].join('\n'));
    assert.deepStrictEqual(lines(diagnostics), [
      '1:14: error: `concurrency` must be a whole number ≥ 1; got 0',
      '2:9: error: `paused` must be true or false; got "yes"',
      '3:27: error: `history.retentionDays` must be a whole number ≥ 0; got -1',
      '3:47: error: `history.maxRunsPerTask` must be a whole number ≥ 0; got 1.5',
      '4:22: error: `overlap` must be one of skip, queue, allow, replace; got "sometimes"',
      '4:42: error: `timeout` must be a duration like "30s", "10m", "2h", "1d" or a number of milliseconds; got "10 minutes"',
      '4:64: error: `priority` must be one of critical, high, normal, low, background; got "urgent"',
      '4:81: error: `catchUp` must be one of skip, latest, all; got "Latest" (did you mean "latest"?)',
    ]);
    assert.strictEqual(config.concurrency, CONFIG_DEFAULTS.concurrency);
    assert.strictEqual(config.paused, false);
    assert.deepStrictEqual(config.history, defaultConfig().history);
    assert.deepStrictEqual(config.defaults, {}, 'every bad default is dropped');
  });

  it('keeps the good parts when one part is bad ("changes nothing else")', () => {
    const { config, diagnostics } = load([
      'concurrency: many',
      'timezone: UTC',
      'jobs:',
      '  good: { command: "echo ok", schedule: hourly }',
      '  bad: { command: "echo no", timeout: soon }',
    ].join('\n'));
    assert.strictEqual(diagnostics.length, 2);
    assert.strictEqual(config.timezone, 'UTC');
    assert.deepStrictEqual(config.jobs.good, { kind: 'command', command: 'echo ok', schedule: ['hourly'] });
    assert.deepStrictEqual(config.jobs.bad, { kind: 'command', command: 'echo no' });
    assert.strictEqual(diagnostics[1].taskId, 'bad', 'the job with an error is marked, so the engine shows it invalid');
  });

  it('checks the timezone, suggesting the nearest zone', () => {
    const { diagnostics, config } = load('timezone: Europe/Berln\n');
    assert.deepStrictEqual(lines(diagnostics), [
      '1:11: error: `timezone` must be an IANA time zone like "Europe/Berlin" or "UTC"; got "Europe/Berln" (did you mean "Europe/Berlin"?)',
    ]);
    assert.strictEqual(config.timezone, undefined);
  });

  it('rejects versions it does not know', () => {
    assert.deepStrictEqual(lines(load('version: 2\n').diagnostics), ['1:10: error: `version` must be 1 (the version this extension reads); got 2']);
  });

  it('requires exactly one of command, vscodeCommand, vscodeTask per job', () => {
    const { diagnostics, config } = load('jobs:\n  none: { schedule: hourly }\n  two: { command: x, vscodeTask: y }\n');
    assert.deepStrictEqual(lines(diagnostics), [
      '2:3: error: a job needs one of `command` (a shell command), `vscodeCommand` (a VS Code command id) or `vscodeTask` (a tasks.json label)',
      '3:22: error: a job runs one thing: `command` and `vscodeTask` are both given; keep one',
    ]);
    assert.strictEqual(config.jobs.none.kind, undefined);
    assert.strictEqual(config.jobs.two.kind, undefined);
  });

  it('rejects job ids that cannot be task ids', () => {
    const { diagnostics, config } = load('jobs:\n  "my job": { command: x }\n  ok/nested-id: { command: y }\n');
    assert.strictEqual(diagnostics.length, 1);
    assert.match(diagnostics[0].message, /job id "my job" must be letters, digits/);
    assert.deepStrictEqual(Object.keys(config.jobs), ['ok/nested-id']);
  });

  it('reports YAML syntax errors with their position, once per line', () => {
    const { diagnostics } = load('jobs:\n  a:\n    command: echo hi: there\n');
    assert.deepStrictEqual(lines(diagnostics), [
      '3:14: error: Nested mappings are not allowed in compact mappings; a value containing ": " must be quoted',
    ]);
    const tabs = load('jobs:\n\ta: { command: x }\n').diagnostics;
    assert.strictEqual(tabs[0].line, 2);
    assert.strictEqual(tabs[0].code, 'config.syntax');
  });

  it('explains an unquoted cron expression starting with * and an unquoted @nickname', () => {
    const star = load('jobs:\n  a:\n    command: x\n    schedule: */5 * * * *   # every 5 minutes\n').diagnostics;
    assert.deepStrictEqual(lines(star), ['4:15: error: YAML reads a value starting with `*` as an alias; quote it: "*/5 * * * *"']);
    const at = load('jobs:\n  a: { command: x }\n  b:\n    command: y\n    schedule: @daily\n').diagnostics;
    assert.deepStrictEqual(lines(at), ['5:15: error: YAML reserves `@` at the start of a value; quote it: "@daily"']);
  });

  it('reports an alias without an anchor instead of failing the whole file', () => {
    const { diagnostics, config } = load('concurrency: 3\njobs:\n  a: { command: x, schedule: *nightly }\n');
    assert.deepStrictEqual(lines(diagnostics), [
      '3:30: error: `*nightly` refers to no anchor `&nightly`; a value that starts with `*` must be quoted',
    ]);
    assert.strictEqual(config.concurrency, 3);
    assert.deepStrictEqual(config.jobs.a, { kind: 'command', command: 'x' });
  });

  it('applies anchors and `<<` merge keys, positions still pointing into the file', () => {
    const { config, diagnostics } = load([
      'x-common: &common { timeout: 2m, overlap: queue }',
      'jobs:',
      '  a: { <<: *common, command: x }',
      '  b:',
      '    <<: *common',
      '    command: y',
      '    overlap: allow',
    ].join('\n'));
    assert.deepStrictEqual(lines(diagnostics), [], '`x-…` keys are the user\'s own, for anchors');
    assert.deepStrictEqual(config.jobs.a, { kind: 'command', command: 'x', timeout: 120_000, overlap: 'queue' });
    assert.strictEqual(config.jobs.b.overlap, 'allow', 'own keys win over merged ones');
  });

  it('still warns about other unknown keys at the top', () => {
    assert.deepStrictEqual(lines(load('common: &c { timeout: 1m }\n').diagnostics), [
      '1:1: warning: unknown key `common`: expected one of version, timezone, concurrency, tasks, defaults, history, notifications, paused, overrides, jobs, store (or start it with `x-` to keep it for anchors)',
    ]);
  });

  it('reports a duplicate key', () => {
    const { diagnostics } = load('concurrency: 1\nconcurrency: 2\n');
    assert.deepStrictEqual(lines(diagnostics), ['2:1: error: Map keys must be unique']);
  });

  it('wants a mapping at the top', () => {
    assert.deepStrictEqual(lines(load('- a\n- b\n').diagnostics), ['1:1: error: the file must be a mapping of settings (timezone, defaults, jobs, …); got a list']);
  });

  it('records where jobs, overrides and their dependsOn entries are written', () => {
    const { locations } = load([
      'overrides:',
      '  scripts/report: { dependsOn: [fetch, { task: process, on: completion }] }',
      'jobs:',
      '  fetch: { command: x }',
      '  process:',
      '    command: y',
      '    dependsOn: fetch',
    ].join('\n'));
    assert.deepStrictEqual(locations.overrides['scripts/report'], { line: 2, column: 3, endLine: 2, endColumn: 17 });
    assert.deepStrictEqual(locations.jobs.fetch, { line: 4, column: 3, endLine: 4, endColumn: 8 });
    assert.deepStrictEqual(locations.dependsOn['scripts/report'].map((p) => [p.line, p.column]), [[2, 33], [2, 40]]);
    assert.deepStrictEqual(locations.dependsOn.process.map((p) => [p.line, p.column]), [[7, 16]]);
  });
});
