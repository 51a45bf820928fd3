// The limits that keep a hostile task from harming the host: timeout, cancel, memory, output flood,
// infinite loops and processes left behind — each with a real child process.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { createProcessExecutor, type ProcessExecutor } from '../../src/core/exec/processExecutor';
import { isAlive } from '../../src/core/exec/killTree';
import type { RunObserver } from '../../src/core/ports';
import { FIXTURES, moduleRequest, pidsRunning, runnerPath, waitFor } from '../fixtures/runner/harness';

/** Memory figures need a full GC; mocha runs without --expose-gc, so the flag is set from here. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Short enough to keep the suite quick, long enough that a loaded machine still starts the child in time. */
const TIMEOUT_MS = 1_500;
const GRACE_MS = 400;

describe('exec: limits on a module task', function () {
  this.timeout(60_000);
  let executor: ProcessExecutor;
  before(() => runnerPath());
  beforeEach(() => {
    executor = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: false, graceMs: GRACE_MS });
  });
  afterEach(async () => {
    await executor.dispose();
    assert.deepStrictEqual(pidsRunning(runnerPath()), [], 'no runner process is left behind');
  });

  it('times out: aborts the signal, and a task that honours it ends timed-out within the grace period', async () => {
    const t0 = Date.now();
    const out = await executor.start(moduleRequest('cooperative.js', { timeout: TIMEOUT_MS })).done;
    const took = Date.now() - t0;
    assert.strictEqual(out.status, 'timed-out');
    assert.match(out.error ?? '', /^timed out after 1\.5s|^timed out after 2s/);
    assert.doesNotMatch(out.error ?? '', /killed/);
    assert.match(out.output, /\[log\] aborted: TimeoutError: timed out after/);
    assert.match(out.output, /\[log\] after: timed-out/, 'the after hook ran within the grace period');
    assert.ok(took >= TIMEOUT_MS && took < TIMEOUT_MS + GRACE_MS + 1000, `took ${took} ms`);
  });

  it('times out: a task that ignores its signal is killed after the grace period', async () => {
    const t0 = Date.now();
    const out = await executor.start(moduleRequest('stubborn.js', { timeout: TIMEOUT_MS })).done;
    const took = Date.now() - t0;
    assert.strictEqual(out.status, 'timed-out');
    assert.match(out.error ?? '', /still running 400ms after it was asked to stop, so it was killed/);
    assert.strictEqual(out.signal, 'SIGKILL');
    assert.match(out.output, /abort seen, ignoring it/);
    assert.ok(took >= TIMEOUT_MS + GRACE_MS && took < TIMEOUT_MS + GRACE_MS + 1500, `took ${took} ms`);
  });

  it('kills an infinite loop at the timeout (it cannot even read its abort message)', async () => {
    const t0 = Date.now();
    const out = await executor.start(moduleRequest('loop.js', { timeout: TIMEOUT_MS })).done;
    assert.strictEqual(out.status, 'timed-out');
    assert.strictEqual(out.signal, 'SIGKILL');
    assert.ok(Date.now() - t0 < TIMEOUT_MS + GRACE_MS + 1500);
  });

  /** Resolves when the task's run() has written a line starting with `prefix` (so it is past loading, listening to its signal). */
  function whenLogged(prefix: string): { observer: RunObserver; logged: Promise<void> } {
    let seen!: () => void;
    const logged = new Promise<void>((r) => { seen = r; });
    return { observer: { output: (l) => { if (l.startsWith(prefix)) seen(); } }, logged };
  }

  it('cancels: aborts the signal with an AbortError and ends cancelled', async () => {
    const { observer, logged } = whenLogged('[log] waiting');
    const handle = executor.start(moduleRequest('cooperative.js'), observer);
    await logged;
    handle.cancel('cancelled');
    const out = await handle.done;
    assert.strictEqual(out.status, 'cancelled');
    assert.strictEqual(out.error, 'cancelled');
    assert.match(out.output, /\[log\] aborted: AbortError: cancelled/);
    assert.match(out.output, /\[log\] after: cancelled/);
  });

  it('cancels a stubborn task by killing it after the grace period, naming the reason', async () => {
    const { observer, logged } = whenLogged('[log] stubborn: running');
    const handle = executor.start(moduleRequest('stubborn.js'), observer);
    await logged;
    handle.cancel('replaced');
    const out = await handle.done;
    assert.strictEqual(out.status, 'cancelled');
    assert.match(out.error ?? '', /^cancelled \(replaced\); still running 400ms after it was asked to stop, so it was killed/);
  });

  it('a cancel before the runner is even ready ends the run without starting the task', async () => {
    const handle = executor.start(moduleRequest('ok.js'));
    handle.cancel('shutdown');
    const out = await handle.done;
    assert.strictEqual(out.status, 'cancelled');
    assert.strictEqual(out.output, '');
  });

  it('records a heap exhausted under memoryLimit as out of memory', async () => {
    const out = await executor.start(moduleRequest('alloc.js', { memoryLimitMb: 64 })).done;
    assert.strictEqual(out.status, 'failed');
    assert.strictEqual(out.error, 'out of memory (limit 64 MB)');
    assert.match(out.output, /heap out of memory/);
  });

  it('starts the child with the task\'s heap limit', async () => {
    const out = await executor.start(moduleRequest('environment.js', { memoryLimitMb: 96 }, { secrets: { API_TOKEN: 'x' } })).done;
    const limit = (out.result as { heapLimitMb: number }).heapLimitMb;
    assert.ok(limit >= 96 && limit < 160, `heap limit ${limit} MB`);
  });

  it('caps a 100 MB flood to head and tail without growing the host or blocking its event loop', async function () {
    // A first, smaller flood lets the host reach its steady state (read buffers awaiting GC, JIT), so
    // what is measured next is growth that scales with the flood.
    await executor.start(moduleRequest('flood.js', {}, { params: { mb: 20 } })).done;
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    // The host's CPU time between two turns of its event loop: what the host itself spent in one
    // stretch. (Wall-clock lag would also count time the OS gave other processes on a busy machine.)
    let maxBusyMs = 0;
    let maxLagMs = 0;
    let last = Date.now();
    let lastCpu = process.cpuUsage();
    const ticker = setInterval(() => {
      const cpu = process.cpuUsage(lastCpu);
      lastCpu = process.cpuUsage();
      maxBusyMs = Math.max(maxBusyMs, (cpu.user + cpu.system) / 1000);
      maxLagMs = Math.max(maxLagMs, Date.now() - last - 10);
      last = Date.now();
    }, 10);
    let peakRss = rssBefore;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 25);
    let liveLines = 0;
    const out = await executor.start(moduleRequest('flood.js', {}, { params: { mb: 100 } }), { output: () => { liveLines++; } }).done;
    clearInterval(ticker);
    clearInterval(sampler);
    assert.strictEqual(out.status, 'succeeded', out.error);
    assert.strictEqual(out.outputTruncated, true);
    assert.ok(out.output.startsWith('FIRST LINE\n'), 'the head is kept');
    assert.ok(out.output.endsWith('LAST LINE\n'), `the tail is kept: …${JSON.stringify(out.output.slice(-40))}`);
    const omitted = /\n… (\d+) bytes omitted …\n/.exec(out.output);
    assert.ok(omitted, 'the marker says how much was left out');
    assert.ok(Number(omitted[1]) > 99 * 1024 * 1024);
    assert.ok(out.output.length < 70 * 1024, `kept ${out.output.length} chars`);
    const growthMb = (peakRss - rssBefore) / 1048576;
    assert.ok(growthMb < 40, `host RSS grew ${growthMb.toFixed(1)} MB during a 100 MB flood`);
    collectGarbage();
    const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
    assert.ok(retainedMb < 5, `host heap kept ${retainedMb.toFixed(1)} MB after the run`);
    assert.ok(maxBusyMs < 100, `host busy ${maxBusyMs.toFixed(0)} ms between two event-loop turns (wall-clock lag ${maxLagMs} ms)`);
    assert.ok(liveLines < 200, `live view got ${liveLines} lines of 64 KB: it thins out a flood`);
  });

  it('kills a grandchild the task left running when the run ends', async () => {
    const out = await executor.start(moduleRequest('grandchild.js')).done;
    assert.strictEqual(out.status, 'succeeded', out.error);
    const { pid } = out.result as { pid: number };
    assert.ok(pid > 0);
    assert.ok(await waitFor(() => !isAlive(pid), 2000), `sleep (pid ${pid}) is gone`);
  });

  describe('when the host dies mid-run (kill -9 of the editor)', () => {
    /** Starts a host running `fixture`, waits for the runner's pid in its output, kills the host. */
    async function orphanRunner(fixture: string): Promise<number> {
      const host = spawn(process.execPath, ['-r', path.join(__dirname, '../register.js'), path.join(FIXTURES, 'idleHost.ts'), runnerPath(), 'run', fixture],
        { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      const pid = await new Promise<number>((resolve, reject) => {
        host.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          const m = /\(pid (\d+)\)/.exec(text);
          if (m) resolve(Number(m[1]));
        });
        host.on('exit', () => reject(new Error(`host exited early: ${text}`)));
      });
      host.kill('SIGKILL');
      return pid;
    }

    it('a runner whose task honours its signal ends at once', async () => {
      const pid = await orphanRunner('cooperative.js');
      assert.ok(await waitFor(() => !isAlive(pid), 2000), `orphaned runner ${pid} is gone`);
    });

    it('a runner whose task ignores its signal kills its own group after the grace period', async () => {
      const pid = await orphanRunner('stubborn.js');
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(isAlive(pid), 'still within its grace period');
      assert.ok(await waitFor(() => !isAlive(pid), 7000), `orphaned runner ${pid} is gone`);
    });
  });

  it('dispose() ends running children at once, as cancelled (shutdown)', async () => {
    const patient = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: false, graceMs: 10_000 });
    const { observer, logged } = whenLogged('[log] stubborn: running');
    const handle = patient.start(moduleRequest('stubborn.js'), observer);
    await logged;
    const t0 = Date.now();
    await patient.dispose();
    const out = await handle.done;
    assert.strictEqual(out.status, 'cancelled');
    assert.match(out.error ?? '', /^cancelled \(shutdown\)/);
    assert.ok(Date.now() - t0 < 3_000, 'no 10 s grace period on shutdown');
    const late = await patient.start(moduleRequest('ok.js')).done;
    assert.strictEqual(late.status, 'cancelled');
  });
});
