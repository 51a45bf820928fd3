// Module tasks in real runner processes: results, errors, predicates, hooks, ctx.enqueue, and what the
// child can see of secrets and its environment.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createProcessExecutor, type ProcessExecutor } from '../../src/core/exec/processExecutor';
import type { EnqueueRequest, RunObserver } from '../../src/core/ports';
import { moduleRequest, pidsRunning, runnerPath, waitFor } from '../fixtures/runner/harness';

describe('exec: module tasks in a runner process', function () {
  this.timeout(30_000);
  let executor: ProcessExecutor;
  before(() => runnerPath());
  beforeEach(() => {
    executor = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: false, graceMs: 500 });
  });
  afterEach(async () => {
    await executor.dispose();
    assert.deepStrictEqual(pidsRunning(runnerPath()), [], 'no runner process is left behind');
  });

  it('runs run(ctx) and keeps its JSON result, with ctx filled from the request', async () => {
    const lines: string[] = [];
    let started: number | undefined;
    const req = moduleRequest('ok.js', { env: { FOO: 'bar' } }, {
      params: { a: 2, b: 3 }, attempt: 2, trigger: 'schedule', scheduledFor: Date.UTC(2026, 0, 2, 3, 4, 5),
    });
    const out = await executor.start(req, { output: (l) => lines.push(l), started: (at) => { started = at; } }).done;
    assert.strictEqual(out.status, 'succeeded', out.error);
    assert.deepStrictEqual(out.result, {
      sum: 5, attempt: 2, trigger: 'schedule', scheduledFor: '2026-01-02T03:04:05.000Z', taskId: 'ok',
      workspaceFolder: req.task.workspaceFolder, cwd: req.task.workspaceFolder, aborted: false, foo: 'bar', ctxFoo: 'bar',
    });
    assert.strictEqual(out.exitCode, 0);
    assert.ok(started !== undefined && started >= out.startedAt - 1 && out.endedAt >= started);
    for (const line of ["[log] hello { from: 'ok' }", '[warn] careful', '[error] not really an error', 'plain stdout']) {
      assert.ok(out.output.includes(`${line}\n`), `output has ${line}: ${out.output}`);
      assert.ok(lines.includes(line), `live lines have ${line}`);
    }
    assert.strictEqual(out.outputTruncated, false);
  });

  it('records a thrown error with its message and stack', async () => {
    const out = await executor.start(moduleRequest('throws.js')).done;
    assert.strictEqual(out.status, 'failed');
    assert.match(out.error ?? '', /^Error: boom from the task\n\s+at failDeepInside \(.*throws\.js:\d+:\d+\)/);
  });

  it("ends the error's stack at the task's own frames, and logs the whole stack", async () => {
    const logged: string[] = [];
    const own = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: false, log: (l) => logged.push(l) });
    try {
      const out = await own.start(moduleRequest('throwsAsync.js')).done;
      assert.strictEqual(out.status, 'failed');
      assert.match(out.error ?? '', /^Error: boom after a wait\n\s+at failLater \(.*throwsAsync\.js:\d+:\d+\)\n\s+at Object\.run \(.*throwsAsync\.js/);
      assert.doesNotMatch(out.error ?? '', /runner\.js|node:/, out.error);
      const full = logged.join('\n');
      assert.match(full, /the run's error with the runner's and Node's frames:\nError: boom after a wait/);
      assert.ok(full.includes(`${runnerPath()}:`), full);
    } finally {
      await own.dispose();
    }
  });

  it("ends a hook error's stack in the output at the task's own frames, and logs the whole stack", async () => {
    const logged: string[] = [];
    const own = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: false, log: (l) => logged.push(l) });
    try {
      const out = await own.start(moduleRequest('hookThrowsAsync.js')).done;
      assert.strictEqual(out.status, 'succeeded', 'a hook that throws does not change the outcome');
      assert.match(out.output, /\[error\] onSuccess\(\) threw \(the run's outcome is unchanged\): Error: hook boom after a wait\n\s+at notifyLater \(.*hookThrowsAsync\.js:\d+:\d+\)/);
      assert.doesNotMatch(out.output, /runner\.js|node:/, out.output);
      const full = logged.join('\n');
      assert.match(full, /a hook's error with the runner's and Node's frames:\nError: hook boom after a wait/);
      assert.ok(full.includes(`${runnerPath()}:`), full);
    } finally {
      await own.dispose();
    }
  });

  it('records a throw at import time as failed, with the error and stack', async () => {
    const out = await executor.start(moduleRequest('importThrow.js')).done;
    assert.strictEqual(out.status, 'failed');
    assert.match(out.error ?? '', /threw while loading: Error: config missing at import time\n\s+at readConfigAtImport \(.*importThrow\.js:\d+/);
  });

  it('refuses a file that does not export a task, saying what is expected', async () => {
    const out = await executor.start(moduleRequest('notATask.js')).done;
    assert.strictEqual(out.status, 'failed');
    assert.match(out.error ?? '', /does not export a task: its default export must be an object with a run\(ctx\) function/);
  });

  it('records process.exit(0) before run() finished as failed', async () => {
    const out = await executor.start(moduleRequest('exitMidRun.js')).done;
    assert.strictEqual(out.status, 'failed');
    assert.match(out.error ?? '', /exited with code 0 before run\(\) finished/);
    assert.strictEqual(out.exitCode, 0);
  });

  it('records an exception thrown where run() cannot catch it', async () => {
    const out = await executor.start(moduleRequest('uncaught.js')).done;
    assert.strictEqual(out.status, 'failed');
    assert.match(out.error ?? '', /^uncaught exception: Error: thrown from a timer/);
  });

  it('keeps a result JSON cannot hold as text, succeeds, and warns in the output', async () => {
    const out = await executor.start(moduleRequest('notJson.js')).done;
    assert.strictEqual(out.status, 'succeeded');
    assert.strictEqual(typeof out.result, 'string');
    assert.match(out.result as string, /name: 'cyclic'.*big: 10n.*\[Circular \*1\]/);
    assert.match(out.output, /\[warn\] run\(\) returned a value that is not JSON-serialisable \(Do not know how to serialize a BigInt\); kept as text/);
  });

  describe('when / skip', () => {
    it('when() returning false skips the run, calling no hook', async () => {
      const out = await executor.start(moduleRequest('predicates.js', {}, { params: { when: false } })).done;
      assert.strictEqual(out.status, 'skipped');
      assert.strictEqual(out.error, 'when() returned false');
      assert.strictEqual(out.output, '');
    });
    it('skip() returning a string skips with that reason', async () => {
      const out = await executor.start(moduleRequest('predicates.js', {}, { params: { skip: 'holiday freeze' } })).done;
      assert.strictEqual(out.status, 'skipped');
      assert.strictEqual(out.error, 'holiday freeze');
    });
    it('skip() returning true skips with a generic reason', async () => {
      const out = await executor.start(moduleRequest('predicates.js', {}, { params: { skip: true } })).done;
      assert.deepStrictEqual([out.status, out.error], ['skipped', 'skip() returned true']);
    });
    it('runs when neither objects', async () => {
      const out = await executor.start(moduleRequest('predicates.js')).done;
      assert.deepStrictEqual([out.status, out.result, out.output], ['succeeded', 'ran', '[log] before\n[log] run\n[log] after\n']);
    });
  });

  describe('hooks', () => {
    const logged = (output: string): string[] => output.split('\n').filter((l) => l.startsWith('[log] ')).map((l) => l.slice(6));

    it('calls when, skip, before, run, onSuccess, after in that order', async () => {
      const out = await executor.start(moduleRequest('hooks.js')).done;
      assert.strictEqual(out.status, 'succeeded');
      assert.deepStrictEqual(logged(out.output), ['when', 'skip', 'before', 'run', 'onSuccess {"ok":true}', 'after succeeded']);
    });
    it('calls onFailure on the final attempt, then after with the error', async () => {
      const out = await executor.start(moduleRequest('hooks.js', {}, { params: { fail: true } })).done;
      assert.strictEqual(out.status, 'failed');
      assert.deepStrictEqual(logged(out.output), ['when', 'skip', 'before', 'run', 'onFailure run failed', 'after failed run failed']);
    });
    it('does not call onFailure when a retry follows', async () => {
      const req = moduleRequest('hooks.js', { retries: { max: 2, backoff: 'fixed', delay: 1, maxDelay: 1, jitter: false } }, { params: { fail: true }, attempt: 2 });
      const out = await executor.start(req).done;
      assert.deepStrictEqual(logged(out.output), ['when', 'skip', 'before', 'run', 'after failed run failed']);
    });
    it('a throwing before() fails the attempt without calling run()', async () => {
      const out = await executor.start(moduleRequest('hooks.js', {}, { params: { failBefore: true } })).done;
      assert.strictEqual(out.status, 'failed');
      assert.match(out.error ?? '', /^Error: before failed/);
      assert.deepStrictEqual(logged(out.output), ['when', 'skip', 'before', 'onFailure before failed', 'after failed before failed']);
    });
    it('a throwing onSuccess() is reported but the run still succeeded', async () => {
      const out = await executor.start(moduleRequest('hooks.js', {}, { params: { failOnSuccess: true } })).done;
      assert.strictEqual(out.status, 'succeeded');
      assert.match(out.output, /\[error\] onSuccess\(\) threw \(the run's outcome is unchanged\): Error: onSuccess failed/);
      assert.deepStrictEqual(logged(out.output).slice(-1), ['after succeeded']);
    });
  });

  it('ctx.enqueue reaches the observer with durations in ms, and a refusal rejects in the task', async () => {
    const requests: EnqueueRequest[] = [];
    const observer: RunObserver = { enqueue: (r) => { requests.push(r); } };
    const out = await executor.start(moduleRequest('enqueue.js'), observer).done;
    assert.strictEqual(out.status, 'succeeded', out.error);
    assert.deepStrictEqual(requests, [
      { taskId: 'reports/daily', params: { day: '2026-01-02' }, retries: { max: 2 }, delay: 5000 },
      { taskId: 'cleanup', retries: { max: 1, backoff: 'fixed', delay: 60_000 } },
    ]);
    assert.deepStrictEqual(out.result, { refused: 'ctx.enqueue: taskId must be a non-empty string' });
  });

  it('ctx.enqueue rejects in the task when the observer takes no enqueues', async () => {
    const out = await executor.start(moduleRequest('enqueue.js')).done;
    assert.strictEqual(out.status, 'failed');
    assert.match(out.error ?? '', /ctx\.enqueue: this scheduler does not accept enqueued runs here/);
  });

  describe('runs that cannot start', () => {
    it('fails when the node binary cannot be started', async () => {
      const ex = createProcessExecutor({ runnerPath: runnerPath(), nodePath: '/nonexistent/node', workspaceFolder: process.cwd(), warmSpare: false });
      const out = await ex.start(moduleRequest('ok.js')).done;
      await ex.dispose();
      assert.strictEqual(out.status, 'failed');
      assert.match(out.error ?? '', /^could not start the runner: spawn \/nonexistent\/node ENOENT/);
    });

    it('fails with the cause when the runner itself is broken, and the spare backs off', async () => {
      const logs: string[] = [];
      const ex = createProcessExecutor({ runnerPath: '/nonexistent/runner.js', workspaceFolder: process.cwd(), warmSpare: true, log: (l) => logs.push(l) });
      const out = await ex.start(moduleRequest('ok.js')).done;
      assert.strictEqual(out.status, 'failed');
      assert.match(out.error ?? '', /^the runner exited before it was ready \(code 1\)$/);
      assert.match(out.output, /Cannot find module '\/nonexistent\/runner\.js'/);
      assert.ok(await waitFor(() => logs.length >= 2, 5000), 'the pool tried again');
      await ex.dispose();
      assert.match(logs.join('\n'), /^the warm runner exited before it was ready \(code 1\); starting another in 1000 ms\n.*starting another in 2000 ms$/);
    });

    it('fails a module task without a compiled file, and kinds it does not run', async () => {
      const noFile = await executor.start({ ...moduleRequest('ok.js'), compiledPath: undefined }).done;
      assert.deepStrictEqual([noFile.status, noFile.error], ['failed', 'the task has not been compiled (no compiled file was given)']);
      const other = await executor.start(moduleRequest('ok.js', { kind: 'vscodeCommand' })).done;
      assert.deepStrictEqual([other.status, other.error], ['failed', "tasks of kind 'vscodeCommand' are not run in a child process"]);
      assert.deepStrictEqual(executor.kinds, ['module', 'command']);
    });
  });

  it('masks secret values in output, live lines, output file, result and error', async () => {
    const secret = `tok-${Math.random().toString(36).slice(2)}`;
    const lines: string[] = [];
    const req = moduleRequest('leaky.js', { output: { file: 'leak.log', mode: 'overwrite' } }, { secrets: { API_TOKEN: secret } });
    const out = await executor.start(req, { output: (l) => lines.push(l) }).done;
    assert.strictEqual(out.status, 'succeeded', out.error);
    assert.strictEqual(out.output, '[log] token is ***\nsplit: *** end\n');
    assert.deepStrictEqual(lines, ['[log] token is ***', 'split: *** end']);
    assert.deepStrictEqual(out.result, { echoed: '***', '***': 'as a key' });
    assert.strictEqual(fs.readFileSync(path.join(req.task.workspaceFolder, 'leak.log'), 'utf8'), out.output);
    const failed = await executor.start(moduleRequest('leaky.js', {}, { secrets: { API_TOKEN: secret }, params: { fail: true } })).done;
    assert.match(failed.error ?? '', /^Error: request to https:\/\/api\.example\/\?key=\*\*\* failed/);
    assert.ok(!JSON.stringify(failed).includes(secret));
  });

  for (const warm of [false, true]) {
    it(`secrets reach ctx only, never the child's env or argv; ELECTRON_RUN_AS_NODE is set (${warm ? 'warm' : 'cold'})`, async () => {
      const ex = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: warm });
      try {
        await ex.warm.ready();
        const sparePid = ex.warm.pid();
        const secret = `s3cr3t-${Math.random().toString(36).slice(2)}`;
        const out = await ex.start(moduleRequest('environment.js', { env: { FOO: 'from-task' } }, { secrets: { API_TOKEN: secret } })).done;
        assert.strictEqual(out.status, 'succeeded', out.error);
        const r = out.result as Record<string, unknown>;
        assert.deepStrictEqual(
          { ...r, pid: undefined, heapLimitMb: undefined },
          {
            ctxSecretReversed: [...secret].reverse().join(''), inProcessEnv: false, inCtxEnv: false, inArgv: false, inProcEnviron: false, inProcCmdline: false,
            electronRunAsNode: '1', electronAtSpawn: true, foo: 'from-task', pid: undefined, heapLimitMb: undefined,
          },
        );
        assert.strictEqual(r.pid === sparePid, warm, warm ? 'the run used the warm spare' : 'no spare exists');
        assert.ok(!out.output.includes(secret));
      } finally {
        await ex.dispose();
      }
    });
  }
});
