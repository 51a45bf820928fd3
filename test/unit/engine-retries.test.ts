// Retries: backoff arithmetic, the series and the failed state, auto-pause, and retries that
// survive a restart.
import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { retryDelay } from '../../src/core/engine/retry';
import type { RetryPolicy } from '../../src/core/model';
import { MemoryHistory } from './helpers/memoryHistory';
import { every, manualSchedule } from './helpers/schedules';
import { HOUR, iso, MINUTE, SECOND, setup, task } from './helpers/engine';

const policy = (o: Partial<RetryPolicy>): RetryPolicy => ({ max: 5, backoff: 'fixed', delay: 30 * SECOND, maxDelay: 0, jitter: false, ...o });

describe('engine retries', () => {
  it('computes fixed, linear and exponential delays, capped by maxDelay', () => {
    const r = () => 0;
    const delays = (p: RetryPolicy) => [1, 2, 3, 4, 5].map((n) => retryDelay(p, n, r));
    assert.deepStrictEqual(delays(policy({ backoff: 'fixed' })), [30_000, 30_000, 30_000, 30_000, 30_000]);
    assert.deepStrictEqual(delays(policy({ backoff: 'linear' })), [30_000, 60_000, 90_000, 120_000, 150_000]);
    assert.deepStrictEqual(delays(policy({ backoff: 'exponential' })), [30_000, 60_000, 120_000, 240_000, 480_000]);
    assert.deepStrictEqual(delays(policy({ backoff: 'exponential', maxDelay: 100_000 })), [30_000, 60_000, 100_000, 100_000, 100_000]);
  });

  it('jitters to between half and all of the capped delay, using the injected random', () => {
    const p = policy({ backoff: 'exponential', maxDelay: 100_000, jitter: true });
    assert.strictEqual(retryDelay(p, 1, () => 0), 15_000);
    assert.strictEqual(retryDelay(p, 1, () => 0.5), 22_500);
    assert.strictEqual(retryDelay(p, 1, () => 0.999999), 30_000);
    assert.strictEqual(retryDelay(p, 4, () => 0), 50_000);
  });

  it('retries at the backoff times, then shows the task failed', async () => {
    const h = await setup({ tasks: [task('flaky', manualSchedule(), { retries: policy({ max: 3, backoff: 'exponential' }) })] });
    h.engine.runNow('flaky');
    for (let i = 0; i < 4; i++) {
      h.exec.last().fail(`boom ${i + 1}`);
      await h.settle();
      if (i < 3) {
        assert.strictEqual(h.engine.snapshot()[0].state, 'retry-scheduled');
        assert.strictEqual(h.engine.snapshot()[0].retryCount, i + 1);
        await h.clock.advance(30 * SECOND * 2 ** i);
      }
    }
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:00:00.000Z', '2026-03-02T09:00:30.000Z', '2026-03-02T09:01:30.000Z', '2026-03-02T09:03:30.000Z']);
    assert.deepStrictEqual(h.exec.runs.map((r) => `${r.request.trigger}#${r.request.attempt}`), ['manual#1', 'retry#2', 'retry#3', 'retry#4']);
    const view = h.engine.snapshot()[0];
    assert.deepStrictEqual([view.state, view.retryCount, view.consecutiveFailures, view.lastRun?.error], ['failed', 4, 1, 'boom 4']);
    const events = h.events.filter((e) => e.type === 'retry-scheduled');
    assert.deepStrictEqual(events.map((e) => e.type === 'retry-scheduled' && e.delayMs), [30_000, 60_000, 120_000]);
  });

  it('counts timed-out and interrupted runs as failures; not cancelled or skipped', async () => {
    const h = await setup({ tasks: [task('t', manualSchedule(), { retries: policy({ max: 1 }) })] });
    h.engine.runNow('t');
    h.exec.last().timeOut();
    await h.settle();
    assert.strictEqual(h.engine.snapshot()[0].state, 'retry-scheduled');
    h.engine.resetRetries('t');
    h.engine.runNow('t');
    h.exec.last().skip('when() returned false');
    await h.settle();
    h.engine.runNow('t');
    h.exec.last().cancelled();
    await h.settle();
    assert.strictEqual(h.engine.snapshot()[0].state, 'scheduled');
    assert.strictEqual(h.history.jobs.size, 0);
    const skipped = (await h.rows()).find((r) => r.status === 'skipped')!;
    assert.strictEqual(skipped.error, 'when() returned false');
  });

  it('Reset Retries clears the count, the failed state and the pending retry', async () => {
    const h = await setup({ tasks: [task('t', manualSchedule(), { retries: policy({ max: 2 }) })] });
    h.engine.runNow('t');
    h.exec.last().fail();
    await h.settle();
    await h.engine.idle();
    assert.strictEqual(h.history.jobs.size, 1);
    h.engine.resetRetries('t');
    await h.engine.idle();
    assert.strictEqual(h.history.jobs.size, 0);
    assert.deepStrictEqual([h.engine.snapshot()[0].state, h.engine.snapshot()[0].retryCount], ['scheduled', 0]);
    await h.clock.advance(HOUR);
    assert.strictEqual(h.exec.runs.length, 1);
  });

  it('a success ends the series and drops an older failure\'s pending retry', async () => {
    const h = await setup({ tasks: [task('t', every(MINUTE), { retries: policy({ max: 2, delay: 5 * MINUTE }) })] });
    await h.clock.advance(MINUTE);
    h.exec.last().fail();
    await h.settle();
    await h.clock.advance(MINUTE);
    h.exec.last().succeed();
    await h.settle();
    await h.engine.idle();
    assert.strictEqual(h.history.jobs.size, 0);
    assert.deepStrictEqual([h.engine.snapshot()[0].state, h.engine.snapshot()[0].retryCount], ['scheduled', 0]);
  });

  it('pauses the task after pauseAfterFailures final failures, keeping the reason', async () => {
    const h = await setup({ tasks: [task('t', every(MINUTE), { pauseAfterFailures: 2 })] });
    await h.clock.advance(MINUTE);
    h.exec.last().fail('disk full');
    await h.clock.advance(MINUTE);
    h.exec.last().fail('disk full');
    await h.settle();
    const view = h.engine.snapshot()[0];
    assert.deepStrictEqual([view.state, view.pausedReason], ['paused', 'paused after 2 consecutive failures (last: disk full)']);
    assert.strictEqual(h.history.states.get('t')!.pausedReason, 'paused after 2 consecutive failures (last: disk full)');
    assert.ok(h.events.some((e) => e.type === 'task-paused' && e.reason === view.pausedReason));
    await h.clock.advance(10 * MINUTE);
    assert.strictEqual(h.exec.runs.length, 2);
    h.engine.resume('t');
    assert.strictEqual(h.engine.snapshot()[0].consecutiveFailures, 0);
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.started().slice(2), ['2026-03-02T09:13:00.000Z']);
  });

  it('a pending retry survives a restart and runs when due', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const history = new MemoryHistory();
    const tasks = [task('t', manualSchedule(), { retries: policy({ max: 2, delay: 10 * MINUTE }) })];
    const first = await setup({ clock, history, tasks });
    first.engine.runNow('t');
    first.exec.last().fail();
    await first.settle();
    await first.engine.stop();
    assert.strictEqual(history.jobs.size, 1);

    await clock.advance(2 * MINUTE);
    const second = await setup({ clock, history, tasks });
    assert.strictEqual(second.engine.snapshot()[0].state, 'retry-scheduled');
    assert.strictEqual(iso(second.engine.snapshot()[0].nextRetryAt), '2026-03-02T09:10:00.000Z');
    await clock.advance(8 * MINUTE);
    assert.deepStrictEqual(second.exec.started(), ['2026-03-02T09:10:00.000Z']);
    assert.deepStrictEqual([second.exec.last().request.trigger, second.exec.last().request.attempt], ['retry', 2]);
  });

  it('an overdue retry runs at start', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const history = new MemoryHistory();
    const tasks = [task('t', manualSchedule(), { retries: policy({ max: 2, delay: 10 * MINUTE }) })];
    const first = await setup({ clock, history, tasks });
    first.engine.runNow('t');
    first.exec.last().fail();
    await first.settle();
    await first.engine.stop();
    clock.jump(HOUR);
    const second = await setup({ clock, history, tasks });
    assert.deepStrictEqual(second.exec.started(), ['2026-03-02T10:00:00.000Z']);
  });

  it('a run left running by a dead executor becomes interrupted and is retried', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const history = new MemoryHistory();
    const tasks = [task('t', manualSchedule(), { retries: policy({ max: 1, delay: MINUTE }) })];
    const dead = await setup({ clock, history, tasks });
    dead.engine.runNow('t');
    await dead.engine.idle(); // the process dies here, its run still "running"
    clock.jump(5 * MINUTE);
    const h = await setup({ clock, history, tasks });
    const [row] = await h.rows();
    assert.deepStrictEqual([row.status, iso(row.endedAt)], ['interrupted', '2026-03-02T09:05:00.000Z']);
    assert.match(row.error!, /stopped .* before it ended/);
    assert.strictEqual(h.engine.snapshot()[0].state, 'retry-scheduled');
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual([h.exec.started(), h.exec.last().request.attempt], [['2026-03-02T09:06:00.000Z'], 2]);
  });

  it('stop cancels running runs as shutdown: recorded interrupted and retried after the restart', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const history = new MemoryHistory();
    const tasks = [task('t', manualSchedule(), { retries: policy({ max: 1, delay: MINUTE }) })];
    const h = await setup({ clock, history, tasks });
    h.engine.runNow('t');
    await h.engine.stop({ graceful: false });
    assert.strictEqual(h.exec.last().cancelledWith, 'shutdown');
    const [row] = await h.rows();
    assert.deepStrictEqual([row.status, row.error], ['interrupted', 'the scheduler stopped while it ran']);
    assert.strictEqual(history.jobs.size, 1);
    assert.ok(history.flushes >= 1);
  });

  it('a graceful stop lets a running run finish first', async () => {
    const h = await setup({ tasks: [task('t', manualSchedule())] });
    h.engine.runNow('t');
    const stopped = h.engine.stop({ graceful: true, waitMs: MINUTE });
    await h.clock.advance(10 * SECOND);
    h.exec.last().succeed();
    await stopped;
    assert.strictEqual(h.exec.last().cancelledWith, undefined);
    assert.deepStrictEqual((await h.rows()).map((r) => r.status), ['succeeded']);
  });

  it('a retry keeps its delay when the clock is set back', async () => {
    const h = await setup({ tasks: [task('t', manualSchedule(), { retries: policy({ max: 1, delay: 2 * MINUTE }) })] });
    h.engine.runNow('t');
    h.exec.last().fail();
    await h.settle(); // retry due 09:02
    await h.clock.advance(MINUTE);
    h.clock.jump(-HOUR); // 08:01, one minute of the wait left
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:00:00.000Z', '2026-03-02T08:02:00.000Z']);
    await h.engine.idle();
    assert.strictEqual(h.history.jobs.size, 0);
  });
});
