// The warm spare: a runner started ahead of time, used once, replaced in the background.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { createProcessExecutor, type ProcessExecutor } from '../../src/core/exec/processExecutor';
import { isAlive } from '../../src/core/exec/killTree';
import type { RunRequest } from '../../src/core/ports';
import { FIXTURES, moduleRequest, pidsRunning, runnerPath, waitFor } from '../fixtures/runner/harness';

/** Host start() → first line of run() in the child, in ms, on the system-wide monotonic clock. */
async function startLatency(executor: ProcessExecutor, req: RunRequest = moduleRequest('timestamp.js')): Promise<number> {
  const t0 = process.hrtime.bigint();
  const out = await executor.start(req).done;
  assert.strictEqual(out.status, 'succeeded', out.error);
  return Number(BigInt((out.result as { at: string }).at) - t0) / 1e6;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const envRequest = (task: Parameters<typeof moduleRequest>[1] = {}): RunRequest => moduleRequest('environment.js', task, { secrets: { API_TOKEN: 'x' } });
const pidOf = async (executor: ProcessExecutor, req: RunRequest): Promise<number> => ((await executor.start(req).done).result as { pid: number }).pid;

describe('exec: warm spare runner', function () {
  this.timeout(60_000);
  let executor: ProcessExecutor;
  const logs: string[] = [];
  beforeEach(async () => {
    logs.length = 0;
    executor = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: true, log: (l) => logs.push(l) });
    await executor.warm.ready();
  });
  afterEach(async () => {
    await executor.dispose();
    assert.deepStrictEqual(pidsRunning(runnerPath()), [], 'dispose() leaves no runner behind');
  });

  it('keeps one idle runner ready', () => {
    const pid = executor.warm.pid();
    assert.ok(pid && isAlive(pid));
    assert.deepStrictEqual(pidsRunning(runnerPath()), [pid]);
  });

  it('runs a due task in the spare, then starts a new spare; a process is never used twice', async () => {
    const spare = executor.warm.pid();
    const first = await pidOf(executor, envRequest());
    assert.strictEqual(first, spare, 'the run used the spare');
    assert.ok(await waitFor(() => !isAlive(first), 2000), 'the used runner is gone');
    await executor.warm.ready();
    const next = executor.warm.pid();
    assert.ok(next && next !== first && isAlive(next), 'a new spare appeared');
    const second = await pidOf(executor, envRequest());
    assert.strictEqual(second, next);
    assert.notStrictEqual(second, first);
  });

  it('starts run() faster than a cold start', async () => {
    const cold = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: false });
    try {
      const warmMs: number[] = [];
      const coldMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        await executor.warm.ready();
        warmMs.push(await startLatency(executor));
        coldMs.push(await startLatency(cold));
      }
      assert.ok(median(warmMs) * 2 < median(coldMs), `warm ${warmMs.map((x) => x.toFixed(1))} vs cold ${coldMs.map((x) => x.toFixed(1))} ms`);
    } finally {
      await cold.dispose();
    }
  });

  it('gives a task with another memory limit a cold start with its own heap flag, leaving the spare', async () => {
    const spare = executor.warm.pid();
    const out = await executor.start(envRequest({ memoryLimitMb: 128 })).done;
    const r = out.result as { pid: number; heapLimitMb: number };
    assert.notStrictEqual(r.pid, spare);
    assert.ok(r.heapLimitMb >= 128 && r.heapLimitMb < 200, `heap ${r.heapLimitMb} MB`);
    assert.strictEqual(executor.warm.pid(), spare, 'the spare is still waiting');
    const warm = await executor.start(envRequest()).done;
    const w = warm.result as { pid: number; heapLimitMb: number };
    assert.strictEqual(w.pid, spare);
    assert.ok(w.heapLimitMb >= 512, 'the spare has the default limit (512 MB)');
  });

  it('gives a task that sets NODE_OPTIONS a cold start, since Node reads it only at start', async () => {
    const spare = executor.warm.pid();
    const pid = await pidOf(executor, envRequest({ env: { NODE_OPTIONS: '--max-old-space-size=200' } }));
    assert.notStrictEqual(pid, spare);
  });

  it('replaces a spare that died while idle', async () => {
    const spare = executor.warm.pid()!;
    process.kill(spare, 'SIGKILL');
    assert.ok(await waitFor(() => executor.warm.pid() !== undefined && executor.warm.pid() !== spare, 5000), 'a new spare was started');
    await executor.warm.ready();
    assert.match(logs.join('\n'), /the warm runner exited while idle \(signal SIGKILL\); starting another in 1000 ms/);
    const next = executor.warm.pid();
    assert.strictEqual(await pidOf(executor, envRequest()), next, 'the replacement serves the next run');
  });

  const idleHost = (mode: 'forget' | 'dispose') => spawnSync(process.execPath,
    ['-r', path.join(__dirname, '../register.js'), path.join(FIXTURES, 'idleHost.ts'), runnerPath(), mode],
    { encoding: 'utf8', timeout: 15_000 });

  it('an idle spare does not keep a host alive that forgot dispose(), and follows it out', async () => {
    const r = idleHost('forget');
    assert.strictEqual(r.status, 0, r.stderr);
    const pid = Number(r.stdout.trim());
    assert.ok(pid > 0, r.stdout);
    assert.ok(await waitFor(() => !isAlive(pid), 3000), `the orphaned spare ${pid} exited`);
  });

  it('a host with nothing else to do still gets past `await dispose()`', () => {
    const r = idleHost('dispose');
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\d+\ndisposed\n$/);
  });
});
