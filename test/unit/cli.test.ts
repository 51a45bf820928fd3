// The built CLI as a user runs it: a real process over real workspaces.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const examples = path.join(root, 'examples');

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cli', function () {
  this.timeout(60_000);
  before(() => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
  });

  it('list --json shows every example with a description and next runs', () => {
    const r = run('list', '--workspace', examples, '--json');
    assert.strictEqual(r.code, 0, r.err);
    const { tasks, invalid } = JSON.parse(r.out) as { tasks: Array<{ id: string; description: string; nextRuns: string[]; schedule: string }>; invalid: unknown[] };
    assert.deepStrictEqual(invalid, []);
    const ids = tasks.map((t) => t.id);
    for (const id of ['tasks/hello-world', 'tasks/daily-report', 'tasks/weekly-cleanup', 'tasks/monthly-invoice', 'tasks/weekday-standup',
      'tasks/sync-twice-daily', 'tasks/flaky-api-ping', 'tasks/pipeline/fetch-data', 'tasks/pipeline/process-data',
      'tasks/pipeline/report', 'disk-usage', 'save-all']) assert.ok(ids.includes(id), `${id} listed`);
    for (const t of tasks) {
      assert.ok(t.description.length > 5, `${t.id} has a description`);
      if (t.schedule !== 'manual') assert.strictEqual(t.nextRuns.length, 3, `${t.id} has next runs`);
    }
    const hello = tasks.find((t) => t.id === 'tasks/hello-world')!;
    assert.strictEqual(hello.description, 'Every 10 minutes (Europe/Berlin)');
    for (const at of hello.nextRuns) assert.strictEqual(new Date(at).getUTCMinutes() % 10, 0, at);
  });

  it('validate passes on the examples', () => {
    const r = run('validate', '--workspace', examples);
    assert.strictEqual(r.code, 0, r.out + r.err);
    assert.match(r.out, /^0 error\(s\), 0 warning\(s\)$/m);
  });

  it('validate exits 1 with one positioned error per broken task file', () => {
    const ws = path.join(root, 'test/fixtures/tasks/ws');
    const r = run('validate', '--workspace', ws);
    assert.strictEqual(r.code, 1, r.out);
    for (const f of fs.readdirSync(path.join(ws, 'broken'))) {
      const lines = r.out.split('\n').filter((l) => l.startsWith(`broken/${f}:`));
      assert.strictEqual(lines.length, 1, `${f}: ${r.out}`);
      assert.match(lines[0], /^broken\/[\w-]+\.task\.ts:\d+:\d+: error: .+/);
    }
  });

  it('validate exits 1 and positions the problem of every bad config fixture', () => {
    const dir = path.join(root, 'test/fixtures/config/bad');
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const r = run('validate', ...files);
    assert.strictEqual(r.code, 1);
    // Paths print relative to the workspace folder (here the current folder, the repository).
    for (const f of files) assert.match(r.out, new RegExp(`^${path.relative(root, f).replace(/[.]/g, '\\.')}:\\d+:\\d+: (error|warning): `, 'm'), f);
  });

  it('next simulates a schedule across the spring DST gap', () => {
    const r = run('next', 'daily at 02:30', '--tz', 'America/New_York', '--from', '2026-03-07T00:00:00Z', '--count', '3');
    assert.strictEqual(r.code, 0, r.err);
    // 2026-03-08 02:30 does not exist in New York: the run moves to 03:00 EDT, once.
    assert.deepStrictEqual(r.out.trim().split('\n').slice(1).map((l) => l.trim()), [
      '2026-03-07 02:30 EST (2026-03-07T07:30:00Z)',
      '2026-03-08 03:00 EDT (2026-03-08T07:00:00Z)',
      '2026-03-09 02:30 EDT (2026-03-09T06:30:00Z)',
    ]);
  });

  it('next takes a task id from the workspace', () => {
    const r = run('next', 'tasks/monthly-invoice', '--workspace', examples, '--from', '2026-01-20T00:00:00Z', '--count', '2');
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /2026-02-15 12:00 CET \(2026-02-15T11:00:00Z\)\n.*2026-03-15 12:00 CET \(2026-03-15T11:00:00Z\)/);
  });

  it('next --json gives the schedule, its words and the runs as ISO times', () => {
    const r = run('next', 'daily at 02:30', '--tz', 'America/New_York', '--from', '2026-03-07T00:00:00Z', '--count', '2', '--json');
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(JSON.parse(r.out), {
      schedule: 'daily at 02:30', description: JSON.parse(r.out).description, timezone: 'America/New_York',
      nextRuns: ['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z'],
    });
    assert.match(JSON.parse(r.out).description, /02:30/);
    const task = JSON.parse(run('next', 'tasks/monthly-invoice', '--workspace', examples, '--from', '2026-01-20T00:00:00Z', '--count', '1', '--json').out);
    assert.strictEqual(task.task, 'tasks/monthly-invoice');
    assert.deepStrictEqual(task.nextRuns, ['2026-02-15T11:00:00.000Z']);
  });

  it('next points at the mistake in a bad schedule', () => {
    const r = run('next', 'daily at 25:00');
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /daily at 25:00\n\s+\^/);
  });

  it('an unknown command exits 2 with usage', () => {
    const r = run('frobnicate');
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /unknown command "frobnicate"/);
  });
});

describe('cli: a workspace with a broken job', function () {
  this.timeout(60_000);
  it('lists the broken job as invalid with its reason and keeps the others', () => {
    const ws = fs.mkdtempSync(path.join(require('os').tmpdir(), 'ts-cli-'));
    fs.writeFileSync(path.join(ws, '.scheduler.yaml'), [
      'jobs:',
      '  good: { command: "echo hi", schedule: "daily at 09:00" }',
      '  both: { command: "echo hi", vscodeCommand: "x.y", schedule: "daily" }',
      '  badsched: { command: "echo hi", schedule: "daily at 25:00" }',
      '',
    ].join('\n'));
    const r = spawnSync(process.execPath, [cli, 'list', '--workspace', ws, '--json'], { encoding: 'utf8' });
    fs.rmSync(ws, { recursive: true, force: true });
    assert.strictEqual(r.status, 0, r.stderr);
    const { tasks, invalid } = JSON.parse(r.stdout) as { tasks: Array<{ id: string }>; invalid: Array<{ id: string; reason: string }> };
    assert.deepStrictEqual(tasks.map((t) => t.id), ['good']);
    assert.deepStrictEqual(invalid.map((t) => t.id).sort(), ['badsched', 'both']);
    assert.match(invalid.find((t) => t.id === 'badsched')!.reason, /25/);
  });
});

describe('cli: init-types', function () {
  this.timeout(30_000);
  it('writes the declarations once and then reports them up to date', () => {
    const ws = fs.mkdtempSync(path.join(require('os').tmpdir(), 'ts-cli-types-'));
    const first = spawnSync(process.execPath, [cli, 'init-types', '--workspace', ws], { encoding: 'utf8' });
    const second = spawnSync(process.execPath, [cli, 'init-types', '--workspace', ws], { encoding: 'utf8' });
    const declared = fs.readFileSync(path.join(ws, 'node_modules/@types/task-scheduler/index.d.ts'), 'utf8');
    fs.rmSync(ws, { recursive: true, force: true });
    assert.strictEqual(first.status, 0, first.stderr);
    assert.match(first.stdout, /^wrote \d+ file/);
    assert.match(second.stdout, /is up to date/);
    assert.match(declared, /export declare function defineTask/);
  });
});

describe('cli: reset', function () {
  this.timeout(60_000);
  it('needs --task or --all, and dry-runs over the recurring tasks only', () => {
    const home = fs.mkdtempSync(path.join(require('os').tmpdir(), 'ts-cli-home-'));
    const env = { ...process.env, TASK_SCHEDULER_HOME: home };
    const none = spawnSync(process.execPath, [cli, 'reset', '--workspace', examples], { encoding: 'utf8', env });
    assert.strictEqual(none.status, 2);
    const dry = spawnSync(process.execPath, [cli, 'reset', '--all', '--dry-run', '--workspace', examples], { encoding: 'utf8', env });
    fs.rmSync(home, { recursive: true, force: true });
    assert.strictEqual(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^would reset tasks\/hello-world: last slot .* → next \d{4}-/m);
    assert.doesNotMatch(dry.stdout, /process-data/, 'manual tasks are not listed');
    assert.match(dry.stdout, /^10 task\(s\) would be reset$/m);
  });
});
