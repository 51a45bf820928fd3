// Real `task-scheduler run` processes on one workspace: one executes, the other stands by; kill -9 of
// the executor loses no finished run, leaves nothing `running`, and the survivor takes over with no
// slot run twice.
import * as assert from 'assert';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunRecord } from '../../src/core/ports';

const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const HEARTBEAT_MS = 200;
const TTL_MS = 800;

interface Env { home: string; ws: string; env: NodeJS.ProcessEnv }

function makeWorkspace(yaml: string): Env {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-svc-'));
  const ws = path.join(base, 'ws');
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, '.scheduler.yaml'), yaml);
  const home = path.join(base, 'home');
  const env = { ...process.env, TASK_SCHEDULER_HOME: home, TASK_SCHEDULER_LEASE_HEARTBEAT_MS: String(HEARTBEAT_MS), TASK_SCHEDULER_LEASE_TTL_MS: String(TTL_MS) };
  return { home, ws, env };
}

function startRun(e: Env, log: string[]): ChildProcess {
  const child = spawn(process.execPath, [cli, 'run', '--workspace', e.ws], { env: e.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => log.push(String(d)));
  child.stderr!.on('data', (d) => log.push(String(d)));
  return child;
}

function history(e: Env, task: string): RunRecord[] {
  const r = spawnSync(process.execPath, [cli, 'history', task, '--workspace', e.ws, '--limit', '5000', '--json'], { env: e.env, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as RunRecord[];
}

function leaseHolderPid(e: Env): number | undefined {
  try {
    const dirs = fs.readdirSync(path.join(e.home, 'workspaces'));
    return JSON.parse(fs.readFileSync(path.join(e.home, 'workspaces', dirs[0], 'executor.lease'), 'utf8')).owner.pid;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function stopChild(c: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => c.kill('SIGKILL'), 20_000);
    c.once('exit', () => { clearTimeout(t); resolve(); });
    c.kill(signal);
  });
}

describe('service: real executor processes', function () {
  this.timeout(120_000);
  const children: ChildProcess[] = [];
  before(() => execFileSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' }));
  afterEach(async () => { await Promise.all(children.splice(0).map((c) => stopChild(c, 'SIGKILL'))); });

  it('two `run` processes: one executes, kill -9 hands over, no slot runs twice, nothing left running', async () => {
    const e = makeWorkspace('jobs:\n  tick:\n    command: "echo tick"\n    schedule: "every 1 seconds"\n    catchUp: skip\n');
    const logs: string[][] = [[], []];
    const a = startRun(e, logs[0]);
    children.push(a);
    const firstPid = await waitFor('an executor', () => leaseHolderPid(e), 20_000);
    const b = startRun(e, logs[1]);
    children.push(b);
    await sleep(4_000);
    const killedAt = Date.now();
    (firstPid === a.pid ? a : b).kill('SIGKILL');
    const survivor = firstPid === a.pid ? b : a;
    await waitFor('a new executor', () => { const p = leaseHolderPid(e); return p && p !== firstPid ? p : undefined; }, 10_000);
    await sleep(3_000);
    await stopChild(survivor);

    const runs = history(e, 'tick');
    const slots = runs.filter((r) => r.trigger === 'schedule' || r.trigger === 'catch-up').map((r) => r.scheduledFor);
    assert.ok(slots.length >= 5, `ran ${slots.length} slots\n${logs.flat().join('')}`);
    assert.strictEqual(new Set(slots).size, slots.length, 'a slot ran twice');
    assert.deepStrictEqual(runs.filter((r) => r.status === 'running' || r.status === 'queued'), [], 'runs left running');
    const executors = new Set(runs.map((r) => r.executor));
    assert.strictEqual(executors.size, 2, 'both processes executed, one after the other');
    const firstAfter = Math.min(...runs.filter((r) => (r.startedAt ?? 0) > killedAt).map((r) => r.startedAt!));
    assert.ok(firstAfter - killedAt <= TTL_MS + 3 * HEARTBEAT_MS + 2_000, `took over after ${firstAfter - killedAt} ms`);
  });

  it('kill -9 mid-run: the run becomes interrupted on the next start and is retried by its policy', async () => {
    const e = makeWorkspace([
      'jobs:',
      '  slow:',
      // The first attempt outlasts any delay before the kill, even on a loaded machine; the retry is quick.
      '    command: "if [ -e slow-started ]; then echo done; else touch slow-started && sleep 30; fi"',
      '    schedule: manual',
      '    retries: { max: 1, backoff: fixed, delay: 1s }',
      '  quick:',
      '    command: "echo quick"',
      '    schedule: "every 1 seconds"',
      '',
    ].join('\n'));
    const log: string[] = [];
    const first = startRun(e, log);
    children.push(first);
    await waitFor('an executor', () => leaseHolderPid(e), 20_000);
    const runNow = spawnSync(process.execPath, [cli, 'run-now', 'slow', '--workspace', e.ws], { env: e.env, encoding: 'utf8' });
    assert.strictEqual(runNow.status, 0, runNow.stderr + runNow.stdout);
    await waitFor('slow to start', () => (log.join('').includes('slow started') ? true : undefined), 10_000);
    await sleep(1_500);
    const finishedBefore = history(e, 'quick').filter((r) => r.status === 'succeeded').map((r) => r.id);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = startRun(e, log);
    children.push(second);
    await waitFor('the retry to succeed', () => (history(e, 'slow').some((r) => r.status === 'succeeded') ? true : undefined), 30_000);
    await stopChild(second);

    const slow = history(e, 'slow').sort((x, y) => x.attempt - y.attempt);
    assert.deepStrictEqual(slow.map((r) => [r.attempt, r.status]), [[1, 'interrupted'], [2, 'succeeded']]);
    assert.strictEqual(slow[1].trigger, 'retry');
    const quick = new Set(history(e, 'quick').map((r) => r.id));
    for (const id of finishedBefore) assert.ok(quick.has(id), `finished run ${id} lost`);
    assert.ok(finishedBefore.length >= 1, 'quick ran before the kill');
  });
});

describe('service: one-shot commands with no executor running', function () {
  this.timeout(60_000);
  it('run-now executes only the task asked for (and its dependents), nothing else that is due', () => {
    const e = makeWorkspace([
      'jobs:',
      '  due-now: { command: "echo should-not-run", schedule: now }',
      '  target: { command: "echo target-ran", schedule: manual }',
      '  after-target: { command: "echo dependent-ran", schedule: manual, dependsOn: [target] }',
      '',
    ].join('\n'));
    const r = spawnSync(process.execPath, [cli, 'run-now', 'target', '--workspace', e.ws], { env: e.env, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /target-ran/);
    assert.deepStrictEqual(history(e, 'due-now'), [], 'a task that was due ran during a one-shot command');
    assert.deepStrictEqual(history(e, 'target').map((x) => x.status), ['succeeded']);
    assert.deepStrictEqual(history(e, 'after-target').map((x) => [x.trigger, x.status]), [['dependency', 'succeeded']]);
    assert.match(r.stdout, /dependent-ran/);
  });
});

describe('service: live reload under `run`', function () {
  this.timeout(60_000);
  it('an edited .scheduler.yaml is applied without a restart; a removed task stops and keeps its history', async () => {
    const e = makeWorkspace('jobs:\n  old: { command: "echo old", schedule: "every 1 seconds" }\n');
    const log: string[] = [];
    const child = startRun(e, log);
    try {
      await waitFor('old to run', () => (log.join('').includes('old succeeded') ? true : undefined), 20_000);
      fs.writeFileSync(path.join(e.ws, '.scheduler.yaml'), 'jobs:\n  fresh: { command: "echo fresh", schedule: "every 1 seconds" }\n');
      const changedAt = Date.now();
      await waitFor('fresh to run', () => (log.join('').includes('fresh succeeded') ? true : undefined), 20_000);
      await sleep(1_500);
      await stopChild(child);
      const old = history(e, 'old');
      assert.ok(old.length >= 1, 'old keeps its history');
      const lateOld = old.filter((r) => (r.startedAt ?? 0) > changedAt + 2_000);
      assert.deepStrictEqual(lateOld, [], 'the removed task kept running');
      assert.ok(history(e, 'fresh').some((r) => r.status === 'succeeded'));
      assert.strictEqual((log.join('').match(/executing this workspace's tasks/g) ?? []).length, 1, 'no restart');
    } finally {
      await stopChild(child, 'SIGKILL');
    }
  });
});
