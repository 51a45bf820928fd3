// The one timer: slots fire once, at their time, whatever the timer does (wakes early, sleeps long).
import * as assert from 'assert';
import { ManualClock, type Clock, type TimerHandle } from '../../src/core/clock';
import { MAX_WAIT_MS } from '../../src/core/engine/timer';
import { parseSchedules } from '../../src/core/schedule';
import { every, slots } from './helpers/schedules';
import { HOUR, iso, MINUTE, SECOND, setup, task } from './helpers/engine';

/** A ManualClock whose timers wake 1–5 ms early, in turn, as Node's sometimes do. */
class EarlyClock extends ManualClock {
  delays: number[] = [];
  private n = 0;
  override setTimer(fn: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    const early = ms > 5 ? 1 + (this.n++ % 5) : 0; // a short re-arm fires on time, as in Node
    return super.setTimer(fn, Math.max(0, ms - early));
  }
}

/** Records every delay asked for. */
class RecordingClock extends ManualClock {
  delays: number[] = [];
  override setTimer(fn: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return super.setTimer(fn, ms);
  }
}

describe('engine timers', () => {
  it('fires each slot once, at its time', async () => {
    const h = await setup({ tasks: [task('tick', every(MINUTE))] });
    for (let i = 0; i < 3; i++) {
      await h.clock.advance(MINUTE);
      h.exec.last('tick').succeed();
    }
    assert.deepStrictEqual(h.exec.started('tick'), ['2026-03-02T09:01:00.000Z', '2026-03-02T09:02:00.000Z', '2026-03-02T09:03:00.000Z']);
    assert.deepStrictEqual(h.exec.runs.map((r) => iso(r.request.scheduledFor)), h.exec.started('tick'));
    assert.deepStrictEqual(h.exec.runs.map((r) => r.request.trigger), ['schedule', 'schedule', 'schedule']);
  });

  it('never fires a slot twice, nor skips one, when the timer wakes 1–5 ms early', async () => {
    const clock = new EarlyClock('2026-03-02T09:00:00.000Z');
    const h = await setup({ clock, tasks: [task('tick', every(SECOND))] });
    for (let i = 0; i < 300; i++) {
      await h.clock.advance(SECOND);
      for (const r of h.exec.running()) r.succeed();
    }
    const fired = h.exec.runs.map((r) => r.request.scheduledFor!);
    assert.strictEqual(fired.length, 300);
    assert.strictEqual(new Set(fired).size, 300, 'no slot fired twice');
    assert.strictEqual(iso(fired[0]), '2026-03-02T09:00:01.000Z');
    assert.strictEqual(iso(fired[299]), '2026-03-02T09:05:00.000Z');
    for (const r of h.exec.runs) assert.ok(r.startedAt >= r.request.scheduledFor!, `started ${r.startedAt - r.request.scheduledFor!} ms early`);
    assert.ok(clock.delays.some((d) => d > 0 && d <= 5), 'early wakes were followed by a short re-arm');
    await h.settle();
    assert.deepStrictEqual((await h.rows('tick')).filter((r) => r.status !== 'succeeded'), []);
  });

  it('waits at most 30 s, so a jump of the wall clock is noticed within 30 s', async () => {
    const clock = new RecordingClock('2026-03-02T09:00:00.000Z');
    const h = await setup({ clock, tasks: [task('hourly', every(HOUR))] });
    assert.strictEqual(MAX_WAIT_MS, 30_000);
    assert.strictEqual(clock.delays[clock.delays.length - 1], 30_000, 'next slot is an hour away, yet the timer wakes in 30 s');
    assert.ok(clock.delays.every((d) => d <= 30_000));
    clock.jump(HOUR + 10 * SECOND); // the laptop slept past 10:00
    await clock.advance(29_999);
    assert.strictEqual(h.exec.runs.length, 0);
    await clock.advance(1);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T10:00:40.000Z']);
    assert.strictEqual(iso(h.exec.last().request.scheduledFor), '2026-03-02T10:00:00.000Z');
    assert.ok(h.events.some((e) => e.type === 'warning' && e.code === 'clock-jump'));
  });

  it('keeps exactly one timer, whatever happens', async () => {
    const h = await setup({ tasks: [task('a', every(MINUTE)), task('b', every(2 * MINUTE)), task('c', slots(['2026-03-02T09:03:00Z'], 'once'))] });
    assert.strictEqual(h.clock.pendingTimers(), 1);
    await h.load([task('a', every(MINUTE)), task('b', every(3 * MINUTE))]);
    assert.strictEqual(h.clock.pendingTimers(), 1);
    h.engine.runNow('b');
    await h.clock.advance(MINUTE);
    assert.strictEqual(h.clock.pendingTimers(), 1);
    for (const r of h.exec.running()) r.succeed();
    await h.settle();
    h.engine.pause('a');
    h.engine.pauseAll();
    h.engine.resumeAll();
    assert.strictEqual(h.clock.pendingTimers(), 1);
    await h.engine.stop();
    assert.strictEqual(h.clock.pendingTimers(), 0);
  });

  it('does not fire slots again when the clock is set back an hour', async () => {
    const h = await setup({ tasks: [task('ten', every(10 * MINUTE))] });
    for (let i = 0; i < 3; i++) {
      await h.clock.advance(10 * MINUTE);
      h.exec.last().succeed();
    }
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:10:00.000Z', '2026-03-02T09:20:00.000Z', '2026-03-02T09:30:00.000Z']);
    h.clock.jump(-HOUR); // now 08:30
    await h.clock.advance(70 * MINUTE); // now 09:40 again
    h.exec.last().succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.started().slice(3), ['2026-03-02T09:40:00.000Z']);
    assert.strictEqual(iso(h.exec.last().request.scheduledFor), '2026-03-02T09:40:00.000Z');
    assert.ok(h.events.some((e) => e.type === 'warning' && e.code === 'clock-back'));
    assert.deepStrictEqual((await h.rows()).map((r) => r.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  it('fires a `once` schedule at its time and then has no next run', async () => {
    const h = await setup({ tasks: [task('one', slots(['2026-03-02T09:03:00Z'], 'once'))] });
    assert.strictEqual(iso(h.engine.snapshot()[0].nextRun), '2026-03-02T09:03:00.000Z');
    await h.clock.advance(5 * MINUTE);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:03:00.000Z']);
    assert.strictEqual(h.exec.last().request.trigger, 'once');
    h.exec.last().succeed();
    await h.settle();
    assert.strictEqual(h.engine.snapshot()[0].nextRun, undefined);
  });

  it('reports the next runs across tasks, soonest first', async () => {
    const h = await setup({ tasks: [task('five', every(5 * MINUTE)), task('seven', slots(['2026-03-02T09:07:00Z', '2026-03-02T09:20:00Z']))] });
    assert.deepStrictEqual(h.engine.nextRuns(4).map((r) => `${r.taskId} ${iso(r.at)}`), [
      'five 2026-03-02T09:05:00.000Z', 'seven 2026-03-02T09:07:00.000Z', 'five 2026-03-02T09:10:00.000Z', 'five 2026-03-02T09:15:00.000Z',
    ]);
  });

  it('uses the injected clock only', async () => {
    const clock: Clock = new ManualClock('2030-01-01T00:00:00Z');
    const h = await setup({ clock: clock as ManualClock, tasks: [task('m', every(MINUTE))] });
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.started(), ['2030-01-01T00:01:00.000Z']);
  });

  describe('with core/schedule', () => {
    const parse = (...inputs: string[]) => {
      const { schedule, errors } = parseSchedules(inputs, { timezone: 'UTC' });
      assert.deepStrictEqual(errors, []);
      return schedule!;
    };

    it('fires cron and phrase schedules at their times', async () => {
      const h = await setup({ tasks: [task('cron', parse('*/5 * * * *')), task('phrase', parse('hourly at :15'))] });
      for (let i = 0; i < 20; i++) {
        await h.clock.advance(5 * MINUTE);
        h.exec.running().forEach((r) => r.succeed());
      }
      assert.deepStrictEqual(h.exec.started('phrase'), ['2026-03-02T09:15:00.000Z', '2026-03-02T10:15:00.000Z']);
      assert.strictEqual(h.exec.started('cron').length, 20);
      assert.strictEqual(h.exec.started('cron')[19], '2026-03-02T10:40:00.000Z');
    });

    it('runs `now` on load and `once at` at its time', async () => {
      const h = await setup({ tasks: [task('now', parse('now')), task('once', parse('once at 2026-03-02T09:30:00Z'))] });
      assert.deepStrictEqual(h.exec.started('now'), ['2026-03-02T09:00:00.000Z']);
      await h.clock.advance(HOUR);
      assert.deepStrictEqual(h.exec.started('once'), ['2026-03-02T09:30:00.000Z']);
      assert.strictEqual(h.exec.last('once').request.trigger, 'once');
    });
  });
});
