// `command:` tasks through the same executor and limits, and `output: { file, mode }` for both kinds.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createProcessExecutor, type ProcessExecutor } from '../../src/core/exec/processExecutor';
import { isAlive } from '../../src/core/exec/killTree';
import { commandRequest, moduleRequest, runnerPath, tempWorkspace, waitFor } from '../fixtures/runner/harness';

/** Long enough that "ended before the grace period ran out" holds on a loaded machine. */
const GRACE_MS = 1_000;

describe('exec: shell command tasks', function () {
  this.timeout(30_000);
  let executor: ProcessExecutor;
  beforeEach(() => {
    executor = createProcessExecutor({
      runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: false, graceMs: GRACE_MS,
      env: { ...process.env, FROM_HOST: 'host' },
    });
  });
  afterEach(() => executor.dispose());

  it('succeeds on exit code 0, in the task cwd, with the task env over the host env', async () => {
    const ws = tempWorkspace();
    fs.mkdirSync(path.join(ws, 'sub'));
    const lines: string[] = [];
    let started = false;
    const out = await executor.start(
      commandRequest('echo "$FROM_HOST $FROM_TASK $(basename "$PWD")"; echo oops >&2', { workspaceFolder: ws, cwd: 'sub', env: { FROM_TASK: 'task' } }),
      { output: (l) => lines.push(l), started: () => { started = true; } },
    ).done;
    assert.strictEqual(out.status, 'succeeded', out.error);
    assert.strictEqual(out.exitCode, 0);
    assert.strictEqual(out.output, 'host task sub\noops\n', 'stderr joins stdout in order');
    assert.deepStrictEqual(lines, ['host task sub', 'oops']);
    assert.ok(started);
  });

  it('fails on a non-zero exit code, saying which', async () => {
    const out = await executor.start(commandRequest('echo about to fail; exit 3')).done;
    assert.deepStrictEqual([out.status, out.exitCode, out.error], ['failed', 3, 'the command exited with code 3']);
    assert.strictEqual(out.output, 'about to fail\n');
  });

  it('fails a run that spawn() refuses outright, instead of throwing at the engine', async () => {
    const out = await executor.start(commandRequest('echo a\0b')).done;
    assert.strictEqual(out.status, 'failed');
    assert.match(out.error ?? '', /^could not start the run: .*null bytes/);
  });

  it('fails when the working directory does not exist', async () => {
    const out = await executor.start(commandRequest('true', { cwd: 'missing' })).done;
    assert.strictEqual(out.status, 'failed');
    assert.match(out.error ?? '', /working directory .*missing does not exist/);
  });

  it('times out: SIGTERM to the group ends a command that honours it', async () => {
    const t0 = Date.now();
    const out = await executor.start(commandRequest('sleep 30', { timeout: 500 })).done;
    assert.strictEqual(out.status, 'timed-out');
    assert.strictEqual(out.error, 'timed out after 500ms');
    assert.strictEqual(out.signal, 'SIGTERM');
    assert.ok(Date.now() - t0 < 500 + GRACE_MS, 'ended by SIGTERM, before the grace period ran out');
  });

  it('times out: a command that traps SIGTERM is killed after the grace period', async () => {
    const out = await executor.start(commandRequest('trap "echo got TERM" TERM; while true; do sleep 0.05; done', { timeout: 500 })).done;
    assert.strictEqual(out.status, 'timed-out');
    assert.strictEqual(out.error, 'timed out after 500ms; still running 1s after SIGTERM, so it was killed');
    assert.strictEqual(out.signal, 'SIGKILL');
    assert.match(out.output, /got TERM/);
  });

  it('cancels', async () => {
    const handle = executor.start(commandRequest('sleep 30'));
    await new Promise((r) => setTimeout(r, 200));
    handle.cancel('cancelled');
    const out = await handle.done;
    assert.deepStrictEqual([out.status, out.error], ['cancelled', 'cancelled']);
  });

  it('kills what the command left running in the background', async () => {
    const out = await executor.start(commandRequest('sleep 1000 >/dev/null 2>&1 & echo $!')).done;
    assert.strictEqual(out.status, 'succeeded');
    const pid = Number(out.output.trim());
    assert.ok(pid > 0);
    assert.ok(await waitFor(() => !isAlive(pid), 2000), `background sleep ${pid} is gone`);
  });

  it('caps a flood of output like a module task', async () => {
    const out = await executor.start(commandRequest('echo START; head -c 20000000 /dev/zero | tr "\\0" y; echo; echo END')).done;
    assert.strictEqual(out.status, 'succeeded');
    assert.strictEqual(out.outputTruncated, true);
    assert.ok(out.output.startsWith('START\n') && out.output.endsWith('\nEND\n'));
    assert.ok(out.output.length < 70 * 1024);
  });
});

describe('exec: output to a file', function () {
  this.timeout(30_000);
  let executor: ProcessExecutor;
  beforeEach(() => {
    executor = createProcessExecutor({ runnerPath: runnerPath(), workspaceFolder: process.cwd(), warmSpare: false });
  });
  afterEach(() => executor.dispose());

  it('appends each run of a command, creating the folder, uncapped', async () => {
    const ws = tempWorkspace();
    const output = { file: 'logs/nested/task.log', mode: 'append' as const };
    const file = path.join(ws, output.file);
    for (const n of [1, 2]) {
      const out = await executor.start(commandRequest(`echo run ${n}; head -c 300000 /dev/zero | tr "\\0" z; echo`, { workspaceFolder: ws, output })).done;
      assert.strictEqual(out.status, 'succeeded', out.error);
      assert.strictEqual(out.outputTruncated, true, 'the history copy is capped');
    }
    const text = fs.readFileSync(file, 'utf8');
    assert.strictEqual(text.length, 2 * (6 + 300_000 + 1), 'the file has every byte of both runs');
    assert.ok(text.startsWith('run 1\n') && text.includes('\nrun 2\n'));
  });

  it('overwrites with mode overwrite, for a module task too', async () => {
    const ws = tempWorkspace();
    const output = { file: 'out.txt', mode: 'overwrite' as const };
    fs.writeFileSync(path.join(ws, 'out.txt'), 'old content that must go\n');
    for (const a of [1, 2]) {
      const out = await executor.start(moduleRequest('ok.js', { workspaceFolder: ws, output }, { params: { a, b: 0 } })).done;
      assert.strictEqual(out.status, 'succeeded', out.error);
    }
    const text = fs.readFileSync(path.join(ws, 'out.txt'), 'utf8');
    assert.strictEqual(text, "[log] hello { from: 'ok' }\n[warn] careful\n[error] not really an error\nplain stdout\n");
  });

  it('keeps the whole of a 50 MB flood in the file while the history keeps head and tail', async () => {
    const ws = tempWorkspace();
    const out = await executor.start(moduleRequest('flood.js', { workspaceFolder: ws, output: { file: 'flood.log', mode: 'append' } }, { params: { mb: 50 } })).done;
    assert.strictEqual(out.status, 'succeeded', out.error);
    const size = fs.statSync(path.join(ws, 'flood.log')).size;
    const lines = out.result as number;
    assert.strictEqual(size, 'FIRST LINE\n'.length + lines * 64 * 1024 + 'LAST LINE\n'.length);
    assert.ok(out.output.length < 70 * 1024);
  });

  it('reports a file it cannot write in the output, and the run goes on', async () => {
    const ws = tempWorkspace();
    fs.mkdirSync(path.join(ws, 'taken'));
    const out = await executor.start(commandRequest('echo still ran', { workspaceFolder: ws, output: { file: 'taken', mode: 'append' } })).done;
    assert.strictEqual(out.status, 'succeeded');
    assert.match(out.output, /\[error\] could not write the output file .*taken: EISDIR/);
    assert.match(out.output, /still ran/);
  });
});
