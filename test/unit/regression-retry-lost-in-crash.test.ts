// Found by the kill -9 battery (test/chaos/kill9.chaos.ts): an executor killed right after it had
// recorded a run's end (failed, or interrupted at start) but before the run's retry job was stored
// left a run that was never retried. The retry is now stored first, under an id derived from the
// run, so a crash in between leaves the run "running": the next start marks it interrupted and stores
// the same retry again.
import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { Scheduler } from '../../src/core/engine/scheduler';
import type { RetryPolicy } from '../../src/core/model';
import { DyingHistory } from './helpers/dyingHistory';
import { FakeExecutor } from './helpers/fakeExecutor';
import { MINUTE, SECOND, setup, task } from './helpers/engine';
import { MemoryHistory } from './helpers/memoryHistory';
import { manualSchedule } from './helpers/schedules';

const retries: RetryPolicy = { max: 2, backoff: 'fixed', delay: MINUTE, maxDelay: 0, jitter: false };
const tasks = [task('t', manualSchedule(), { retries })];

/** An engine on a history that dies at the first stored pending job (the retry). */
async function dyingEngine(clock: ManualClock, inner: MemoryHistory): Promise<{ engine: Scheduler; exec: FakeExecutor; history: DyingHistory }> {
  const history = new DyingHistory(inner, (op) => op === 'putPending');
  const exec = new FakeExecutor(clock);
  const engine = new Scheduler({ clock, history, executors: [exec], executorId: 'dies', random: () => 0.5 });
  await engine.load({ tasks, settings: { concurrency: 4, paused: false } });
  return { engine, exec, history };
}

describe('regression: a retry lost when the executor died between a run\'s end and storing its retry', () => {
  it('a run that failed: its retry still happens after the restart', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const inner = new MemoryHistory();
    const { engine, exec, history } = await dyingEngine(clock, inner);
    await engine.start();
    engine.runNow('t');
    await clock.advance(SECOND);
    exec.last().fail('boom');
    await clock.advance(0);
    assert.ok(history.dead, 'the process died while storing the retry');

    clock.jump(5 * SECOND);
    const h = await setup({ clock, history: inner, tasks });
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.runs.map((r) => [r.request.trigger, r.request.attempt]), [['retry', 2]],
      `runs after the restart: ${JSON.stringify(await h.rows())}`);
  });

  it('a run interrupted by an earlier crash: its retry still happens after a crash during the next start', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const inner = new MemoryHistory();
    const first = await setup({ clock, history: inner, tasks });
    first.engine.runNow('t');
    await first.engine.idle(); // killed here: the run stays "running" on disk

    clock.jump(5 * SECOND);
    const { engine, history } = await dyingEngine(clock, inner);
    void engine.start(); // marks the run interrupted, schedules its retry… and dies
    await clock.advance(0);
    assert.ok(history.dead, 'the process died while storing the retry');

    clock.jump(5 * SECOND);
    const h = await setup({ clock, history: inner, tasks });
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.runs.map((r) => [r.request.trigger, r.request.attempt]), [['retry', 2]],
      `runs after the restart: ${JSON.stringify(await h.rows())}`);
    const rows = await h.rows('t');
    assert.deepStrictEqual(rows.map((r) => [r.attempt, r.status]), [[1, 'interrupted'], [2, 'running']]);
  });

  it('storing the same retry twice (a crash in between) leaves one retry, not two', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const inner = new MemoryHistory();
    const first = await setup({ clock, history: inner, tasks });
    first.engine.runNow('t');
    await first.engine.idle();
    // Dies right after the retry was stored, before the run is marked interrupted.
    const history = new DyingHistory(inner, (op) => op === 'markInterrupted');
    const engine = new Scheduler({ clock, history, executors: [new FakeExecutor(clock)], executorId: 'dies', random: () => 0.5 });
    await engine.load({ tasks, settings: { concurrency: 4, paused: false } });
    void engine.start();
    await clock.advance(0);
    assert.ok(history.dead);
    assert.strictEqual(inner.jobs.size, 1);

    const h = await setup({ clock, history: inner, tasks });
    assert.strictEqual(inner.jobs.size, 1, 'the restart stored the same retry again, not a second one');
    await h.clock.advance(2 * MINUTE);
    assert.deepStrictEqual(h.exec.runs.map((r) => [r.request.trigger, r.request.attempt]), [['retry', 2]]);
  });
});
