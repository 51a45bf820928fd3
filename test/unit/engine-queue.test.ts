// The queue: priority then due time under the concurrency limit; each run's lifecycle in history;
// executors that throw, reject or hang; cancel; enqueue; run now with params.
import * as assert from 'assert';
import { WATCHDOG_GRACE_MS } from '../../src/core/engine/runs';
import { every, manualSchedule, slots } from './helpers/schedules';
import { iso, MINUTE, SECOND, setup, summary, task } from './helpers/engine';

describe('engine queue', () => {
  it('starts due runs by priority under concurrency 1', async () => {
    const at = slots(['2026-03-02T09:01:00Z']);
    const h = await setup({
      settings: { concurrency: 1 },
      tasks: [
        task('blocker', manualSchedule()),
        task('low', at, { priority: 'low' }), task('critical', at, { priority: 'critical' }),
        task('normal', at, { priority: 'normal' }), task('background', at, { priority: 'background' }),
        task('high', at, { priority: 'high' }),
      ],
    });
    h.engine.runNow('blocker');
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['blocker']);
    assert.strictEqual(h.engine.snapshot().reduce((n, t) => n + t.queued, 0), 5);
    for (let i = 0; i < 6; i++) {
      h.exec.running().forEach((r) => r.succeed());
      await h.settle();
    }
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['blocker', 'critical', 'high', 'normal', 'low', 'background']);
  });

  it('orders equal priorities by due time', async () => {
    const h = await setup({
      settings: { concurrency: 1 },
      tasks: [task('blocker', manualSchedule()), task('late', slots(['2026-03-02T09:02:00Z'])), task('early', slots(['2026-03-02T09:01:00Z']))],
    });
    h.engine.runNow('blocker');
    await h.clock.advance(3 * MINUTE);
    for (let i = 0; i < 3; i++) { h.exec.running().forEach((r) => r.succeed()); await h.settle(); }
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['blocker', 'early', 'late']);
  });

  it('never runs more than `concurrency` at once', async () => {
    const at = slots(['2026-03-02T09:01:00Z']);
    const h = await setup({ settings: { concurrency: 2 }, tasks: [task('a', at), task('b', at), task('c', at)] });
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.running().map((r) => r.taskId), ['a', 'b']);
    h.exec.last('a').succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.running().map((r) => r.taskId), ['b', 'c']);
    assert.deepStrictEqual(h.exec.started('c'), ['2026-03-02T09:01:00.000Z']);
  });

  it('writes each run queued → running → final', async () => {
    const h = await setup({ tasks: [task('t', every(MINUTE))] });
    await h.clock.advance(MINUTE);
    await h.clock.advance(5 * SECOND);
    h.exec.last().succeed({ files: 12 });
    await h.settle();
    await h.engine.idle();
    const id = h.exec.last().request.runId;
    const writes = h.history.writes.filter((w) => w.id === id);
    assert.deepStrictEqual(writes.map((w) => w.status), ['queued', 'running', 'succeeded']);
    const final = writes[2];
    assert.deepStrictEqual(
      [iso(final.scheduledFor), iso(final.queuedAt), iso(final.startedAt), iso(final.endedAt), final.result, final.executor],
      ['2026-03-02T09:01:00.000Z', '2026-03-02T09:01:00.000Z', '2026-03-02T09:01:00.000Z', '2026-03-02T09:01:05.000Z', { files: 12 }, 'test'],
    );
    const finished = h.events.filter((e) => e.type === 'run-finished');
    assert.strictEqual(finished.length, 1);
    assert.deepStrictEqual(h.engine.snapshot()[0].lastRun, { id, status: 'succeeded', trigger: 'schedule', endedAt: Date.parse('2026-03-02T09:01:05Z'), durationMs: 5000, error: undefined, executor: 'test' });
  });

  it('records a run whose executor throws as failed, and the task is not left running', async () => {
    const h = await setup({ tasks: [task('t', every(MINUTE))] });
    h.exec.throwOnStart = new Error('spawn EMFILE');
    await h.clock.advance(MINUTE);
    const [row] = await h.rows();
    assert.deepStrictEqual([row.status, row.error], ['failed', 'executor error: spawn EMFILE']);
    assert.strictEqual(h.engine.snapshot()[0].state, 'failed');
    assert.deepStrictEqual(h.engine.snapshot()[0].running, []);
    h.exec.throwOnStart = undefined;
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:02:00.000Z']);
  });

  it('records a run whose executor rejects as failed', async () => {
    const h = await setup({ tasks: [task('t', every(MINUTE))] });
    await h.clock.advance(MINUTE);
    h.exec.last().reject(new Error('ipc closed'));
    await h.settle();
    const [row] = await h.rows();
    assert.deepStrictEqual([row.status, row.error], ['failed', 'executor error: ipc closed']);
    assert.strictEqual(h.engine.snapshot()[0].running.length, 0);
  });

  it('gives up on an executor that never reports, a minute after the timeout', async () => {
    const h = await setup({ settings: { concurrency: 1 }, tasks: [task('hang', manualSchedule(), { timeout: 5 * MINUTE }), task('next', manualSchedule())] });
    h.exec.finishOnCancel = false;
    h.engine.runNow('hang');
    h.engine.runNow('next');
    assert.strictEqual(WATCHDOG_GRACE_MS, 60_000);
    await h.clock.advance(6 * MINUTE - 1);
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['hang']);
    await h.clock.advance(1);
    const hang = (await h.rows('hang'))[0];
    assert.deepStrictEqual([hang.status, iso(hang.endedAt)], ['timed-out', '2026-03-02T09:06:00.000Z']);
    assert.strictEqual(h.exec.runs[0].cancelledWith, 'cancelled');
    assert.deepStrictEqual(h.exec.started('next'), ['2026-03-02T09:06:00.000Z']);
  });

  it('cancels a queued run and a running one', async () => {
    const h = await setup({ settings: { concurrency: 1 }, tasks: [task('a', manualSchedule()), task('b', manualSchedule())] });
    const a = h.engine.runNow('a');
    const b = h.engine.runNow('b');
    assert.strictEqual(h.engine.cancel(b), 1);
    assert.strictEqual(h.engine.cancel(a), 1);
    await h.settle();
    assert.strictEqual(h.exec.last('a').cancelledWith, 'cancelled');
    assert.deepStrictEqual(summary(await h.rows('a')).map((s) => s.split('@')[0]), ['manual cancelled']);
    const [rb] = await h.rows('b');
    assert.deepStrictEqual([rb.status, rb.error], ['cancelled', 'cancelled before it started']);
    assert.strictEqual(h.exec.runs.length, 1);
    assert.strictEqual(h.engine.cancel('nope'), 0);
  });

  it('runs now with params over the task params', async () => {
    const h = await setup({ tasks: [task('p', manualSchedule(), { params: { a: 1, b: 2 } })] });
    const id = h.engine.runNow('p', { b: 3 });
    const run = h.exec.last();
    assert.deepStrictEqual([run.request.runId, run.request.trigger, run.request.params], [id, 'manual', { a: 1, b: 3 }]);
    assert.throws(() => h.engine.runNow('missing'), /no task "missing"/);
  });

  it('enqueues a stored one-off run with params, after its delay', async () => {
    const h = await setup({ tasks: [task('mail', manualSchedule())] });
    const job = await h.engine.enqueue('mail', { to: 'x' }, { delay: 30 * SECOND });
    assert.deepStrictEqual([...h.history.jobs.keys()], [job.id]);
    assert.deepStrictEqual([job.kind, job.trigger, iso(job.dueAt)], ['enqueue', 'enqueue', '2026-03-02T09:00:30.000Z']);
    await h.clock.advance(30 * SECOND);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:00:30.000Z']);
    assert.deepStrictEqual([h.exec.last().request.trigger, h.exec.last().request.params], ['enqueue', { to: 'x' }]);
    await h.engine.idle();
    assert.strictEqual(h.history.jobs.size, 0, 'deleted once started');
  });

  it('takes ctx.enqueue from inside a running task, with its retry policy', async () => {
    const h = await setup({ tasks: [task('parent', manualSchedule()), task('child', manualSchedule())] });
    h.engine.runNow('parent');
    h.exec.last('parent').observer!.enqueue!({ taskId: 'child', params: { n: 1 }, retries: { max: 1, delay: 10 * SECOND } });
    await h.settle();
    const child = h.exec.last('child');
    assert.deepStrictEqual([child.request.trigger, child.request.params, child.request.attempt], ['enqueue', { n: 1 }, 1]);
    child.fail();
    await h.settle();
    await h.clock.advance(10 * SECOND);
    const retry = h.exec.last('child');
    assert.deepStrictEqual([retry.request.trigger, retry.request.params, retry.request.attempt, iso(retry.startedAt)], ['retry', { n: 1 }, 2, '2026-03-02T09:00:10.000Z']);
    h.exec.last('parent').observer!.enqueue!({ taskId: 'nope' });
    await h.settle();
    assert.ok(h.events.some((e) => e.type === 'warning' && e.code === 'enqueue' && /no task "nope"/.test(e.message)));
  });

  it('passes output lines on as events', async () => {
    const h = await setup({ tasks: [task('t', manualSchedule())] });
    const id = h.engine.runNow('t');
    h.exec.last().observer!.output!('[log] hello');
    assert.deepStrictEqual(h.events.filter((e) => e.type === 'run-output'), [{ type: 'run-output', runId: id, taskId: 't', line: '[log] hello' }]);
  });

  it('passes secrets and the compiled path to the executor', async () => {
    const h = await setup({ tasks: [task('t', manualSchedule())] });
    h.engine.runNow('t');
    assert.strictEqual(h.exec.last().request.compiledPath, '/cache/t.js');
    assert.deepStrictEqual(h.exec.last().request.secrets, {});
  });

  it('prunes history by the retention settings at start and every 6 hours', async () => {
    const h = await setup({ settings: { retentionDays: 1 }, tasks: [task('t', manualSchedule())] });
    h.engine.runNow('t');
    h.exec.last().succeed();
    await h.settle();
    assert.strictEqual((await h.rows()).length, 1);
    await h.clock.advance(29 * 60 * MINUTE); // 14:00 the next day: the cleanups so far found nothing older than a day
    assert.strictEqual((await h.rows()).length, 1);
    await h.clock.advance(60 * MINUTE); // 15:00: the 6-hourly cleanup after the run turned a day old
    assert.strictEqual((await h.rows()).length, 0);
    await h.settle();
    assert.strictEqual(h.engine.snapshot()[0].lastRun, undefined, 'the view no longer shows the deleted run');
  });

  it('Clear History (cleanup of every finished run) leaves no view pointing at a deleted run', async () => {
    const h = await setup({ tasks: [task('t', manualSchedule()), task('u', manualSchedule())] });
    h.engine.runNow('t');
    h.exec.last().succeed();
    await h.settle();
    assert.ok(h.engine.snapshot().find((v) => v.id === 't')?.lastRun);
    await h.clock.advance(1);
    assert.deepStrictEqual(await h.engine.cleanup({ olderThanMs: 0 }), { deleted: 1 });
    assert.deepStrictEqual(h.engine.snapshot().map((v) => [v.id, v.lastRun]), [['t', undefined], ['u', undefined]]);
    h.engine.runNow('t');
    h.exec.last().succeed();
    await h.settle();
    assert.strictEqual(h.engine.snapshot().find((v) => v.id === 't')?.lastRun?.status, 'succeeded');
  });

  it('stop records a run whose executor ignores the cancel as interrupted, after 10 s', async () => {
    const h = await setup({ tasks: [task('stuck', manualSchedule())] });
    h.exec.finishOnCancel = false;
    h.engine.runNow('stuck');
    let stopped = false;
    const stopping = h.engine.stop({ graceful: false }).then(() => { stopped = true; });
    await h.clock.advance(9_999);
    assert.strictEqual(stopped, false);
    await h.clock.advance(1);
    await stopping;
    const [row] = await h.rows();
    assert.deepStrictEqual([row.status, row.error, iso(row.endedAt)], ['interrupted', 'the scheduler stopped while it ran', '2026-03-02T09:00:10.000Z']);
    assert.strictEqual(h.clock.pendingTimers(), 0);
  });
});
