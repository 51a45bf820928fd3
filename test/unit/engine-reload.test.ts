// Live reload: the plan is applied again without dropping running runs or duplicating timers.
import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { Scheduler } from '../../src/core/engine/scheduler';
import { MemoryHistory } from './helpers/memoryHistory';
import { every, manualSchedule, nowSchedule } from './helpers/schedules';
import { iso, MINUTE, setup, task } from './helpers/engine';

describe('engine reload', () => {
  it('an unchanged reload keeps next times and the single timer', async () => {
    const tasks = [task('a', every(5 * MINUTE)), task('b', every(MINUTE))];
    const h = await setup({ tasks });
    await h.clock.advance(2 * MINUTE);
    h.exec.runs.forEach((r) => r.succeed());
    await h.load([task('a', every(5 * MINUTE)), task('b', every(MINUTE))]);
    assert.deepStrictEqual(h.engine.snapshot().map((t) => iso(t.nextRun)), ['2026-03-02T09:05:00.000Z', '2026-03-02T09:03:00.000Z']);
    assert.strictEqual(h.clock.pendingTimers(), 1);
    await h.clock.advance(3 * MINUTE);
    assert.strictEqual(h.exec.started('a').length, 1);
  });

  it('a changed schedule gets new next times, from now', async () => {
    const h = await setup({ tasks: [task('a', every(5 * MINUTE))] });
    await h.clock.advance(2 * MINUTE);
    await h.load([task('a', every(MINUTE))]);
    assert.strictEqual(iso(h.engine.snapshot()[0].nextRun), '2026-03-02T09:03:00.000Z');
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:03:00.000Z']);
  });

  it('does not drop a running run when its task changes or goes away', async () => {
    const h = await setup({ tasks: [task('a', every(MINUTE)), task('b', every(HOUR_MS))] });
    await h.clock.advance(MINUTE);
    await h.load([task('a', every(MINUTE), { timeout: 60_000 }), task('b', every(HOUR_MS))]);
    assert.strictEqual(h.engine.snapshot()[0].running.length, 1);
    await h.load([task('b', every(HOUR_MS))]);
    assert.strictEqual(h.exec.running().length, 1);
    assert.strictEqual(h.exec.last('a').cancelledWith, undefined);
    h.exec.last('a').succeed();
    await h.settle();
    assert.deepStrictEqual((await h.rows('a')).map((r) => r.status), ['succeeded']);
    await h.clock.advance(5 * MINUTE);
    assert.strictEqual(h.exec.runs.length, 1, 'the removed task no longer runs');
  });

  it('a removed task is deactivated with its history kept; re-added, it does not catch up', async () => {
    const h = await setup({ tasks: [task('a', every(MINUTE)), task('b', every(HOUR_MS))] });
    await h.clock.advance(MINUTE);
    h.exec.last('a').succeed();
    await h.load([task('b', every(HOUR_MS))]);
    await h.engine.idle();
    assert.strictEqual(h.history.states.get('a')!.removed, true);
    assert.strictEqual((await h.rows('a')).length, 1);
    assert.deepStrictEqual(h.engine.snapshot().map((t) => t.id), ['b']);
    await h.clock.advance(10 * MINUTE);
    await h.load([task('a', every(MINUTE)), task('b', every(HOUR_MS))]);
    assert.strictEqual(h.history.states.get('a')!.removed, false);
    assert.strictEqual(h.exec.runs.length, 1);
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.started('a'), ['2026-03-02T09:01:00.000Z', '2026-03-02T09:12:00.000Z']);
  });

  it('lists invalid tasks with their reason and refuses to run them', async () => {
    const h = await setup({ tasks: [task('ok', every(MINUTE))] });
    await h.engine.load({
      tasks: [task('ok', every(MINUTE))], invalid: [{ id: 'broken', name: 'broken', file: '/ws/broken.task.ts', reason: 'schedule: expected a minute at 3' }],
      settings: { concurrency: 2, paused: false },
    });
    const broken = h.engine.snapshot().find((t) => t.id === 'broken')!;
    assert.deepStrictEqual([broken.state, broken.stateReason], ['invalid', 'schedule: expected a minute at 3']);
    assert.throws(() => h.engine.runNow('broken'), /invalid: schedule: expected a minute at 3/);
    assert.ok(h.events.some((e) => e.type === 'tasks-loaded' && e.tasks.length === 2));
    await h.engine.idle();
    assert.strictEqual(h.history.states.get('broken')!.removed, false);
  });

  it('a task invalid for a while does not catch up the time it was invalid', async () => {
    const h = await setup({ tasks: [task('a', every(MINUTE))] });
    const settings = { concurrency: 2, paused: false };
    await h.engine.load({ tasks: [], invalid: [{ id: 'a', name: 'a', file: '/ws/a.task.ts', reason: 'syntax error' }], settings });
    await h.clock.advance(10 * MINUTE + 30_000);
    await h.engine.load({ tasks: [task('a', every(MINUTE))], settings });
    await h.settle();
    assert.strictEqual(h.exec.runs.length, 0);
    await h.clock.advance(30_000);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:11:00.000Z']);
  });

  describe('`now` tasks', () => {
    it('run once when first loaded, not again after a restart', async () => {
      const clock = new ManualClock('2026-03-02T09:00:00.000Z');
      const history = new MemoryHistory();
      const first = await setup({ clock, history, tasks: [task('init', nowSchedule())] });
      assert.deepStrictEqual(first.exec.runs.map((r) => r.request.trigger), ['once']);
      first.exec.last().succeed();
      await first.settle();
      await first.engine.stop();
      await clock.advance(HOUR_MS);
      const second = await setup({ clock, history, tasks: [task('init', nowSchedule())] });
      assert.strictEqual(second.exec.runs.length, 0);
    });

    it('run again when their definition changes, not on an unchanged reload', async () => {
      const h = await setup({ tasks: [task('init', nowSchedule())] });
      h.exec.last().succeed();
      await h.settle();
      await h.load([task('init', nowSchedule())]);
      assert.strictEqual(h.exec.runs.length, 1);
      await h.load([task('init', nowSchedule(), { params: { v: 2 } })]);
      assert.strictEqual(h.exec.runs.length, 2);
    });
  });

  it('shows the last finished run from history after a restart', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const history = new MemoryHistory();
    const first = await setup({ clock, history, tasks: [task('a', every(HOUR_MS))] });
    first.engine.runNow('a');
    first.exec.last().fail('exit 3');
    await first.settle();
    await first.engine.stop();
    const h = await setup({ clock, history, tasks: [task('a', every(HOUR_MS))] });
    const view = h.engine.snapshot()[0];
    assert.deepStrictEqual([view.lastRun?.status, view.lastRun?.error, view.state], ['failed', 'exit 3', 'failed']);
  });

  it('an engine that is never started shows the history another executor writes (a viewer)', async () => {
    const retries = { max: 1, backoff: 'fixed' as const, delay: 5 * MINUTE, maxDelay: 0, jitter: false };
    const tasks = () => [task('a', every(MINUTE)), task('b', manualSchedule(), { retries }), task('c', every(HOUR_MS))];
    const h = await setup({ tasks: tasks() });
    const viewer = new Scheduler({ clock: h.clock, history: h.history, executors: [], executorId: 'viewer' });
    const plan = () => ({ tasks: tasks(), settings: { concurrency: 2, paused: false } });
    await h.clock.advance(MINUTE);
    h.engine.runNow('b');
    h.exec.last('b').fail('HTTP 503');
    h.engine.pause('c', 'maintenance');
    await h.settle();
    await h.engine.idle();

    await viewer.load(plan());
    const [a, b, c] = viewer.snapshot();
    assert.deepStrictEqual([a.state, a.running, iso(a.nextRun)], ['running', [h.exec.last('a').request.runId], '2026-03-02T09:02:00.000Z']);
    assert.deepStrictEqual([b.state, iso(b.nextRetryAt), b.lastRun?.error], ['retry-scheduled', '2026-03-02T09:06:00.000Z', 'HTTP 503']);
    assert.deepStrictEqual([c.state, c.pausedReason, c.nextRun], ['paused', 'maintenance', undefined]);

    h.exec.last('a').succeed();
    await h.settle();
    await h.engine.idle();
    await viewer.load(plan());
    const a2 = viewer.snapshot()[0];
    assert.deepStrictEqual([a2.state, a2.running, a2.lastRun?.status], ['scheduled', [], 'succeeded']);
    assert.strictEqual(h.clock.pendingTimers(), 1, 'the viewer sets no timer');
  });

  it('a manual task never runs on its own', async () => {
    const h = await setup({ tasks: [task('m', manualSchedule()), task('none', undefined)] });
    await h.clock.advance(HOUR_MS);
    assert.strictEqual(h.exec.runs.length, 0);
    assert.deepStrictEqual(h.engine.snapshot().map((t) => t.nextRun), [undefined, undefined]);
  });
});

const HOUR_MS = 60 * MINUTE;
