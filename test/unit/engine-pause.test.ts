// Pause and resume, per task and for all; tags.
import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { MemoryHistory } from './helpers/memoryHistory';
import { every, manualSchedule } from './helpers/schedules';
import { HOUR, MINUTE, setup, task } from './helpers/engine';

describe('engine pause', () => {
  it('a paused task skips its slots without rows, and resumes from now (no catch-up)', async () => {
    const h = await setup({ tasks: [task('t', every(MINUTE))] });
    h.engine.pause('t');
    assert.strictEqual(h.engine.snapshot()[0].state, 'paused');
    assert.strictEqual(h.engine.snapshot()[0].nextRun, undefined);
    await h.clock.advance(10 * MINUTE + 30_000);
    assert.strictEqual(h.exec.runs.length, 0);
    assert.deepStrictEqual(await h.rows(), []);
    h.engine.resume('t');
    assert.strictEqual(h.engine.snapshot()[0].state, 'scheduled');
    await h.clock.advance(30_000);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:11:00.000Z']);
    assert.strictEqual(h.history.states.get('t')!.lastSlot, Date.parse('2026-03-02T09:11:00Z'));
  });

  it('keeps a task paused across a restart', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const history = new MemoryHistory();
    const first = await setup({ clock, history, tasks: [task('t', every(MINUTE))] });
    first.engine.pause('t', 'maintenance');
    await first.engine.stop();
    const h = await setup({ clock, history, tasks: [task('t', every(MINUTE))] });
    assert.deepStrictEqual([h.engine.snapshot()[0].state, h.engine.snapshot()[0].pausedReason], ['paused', 'maintenance']);
    await clock.advance(5 * MINUTE);
    assert.strictEqual(h.exec.runs.length, 0);
    h.engine.resume('t');
    await clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:06:00.000Z']);
  });

  it('pausing drops the queued scheduled runs of the task; running ones go on', async () => {
    const h = await setup({ settings: { concurrency: 1 }, tasks: [task('busy', manualSchedule()), task('t', every(MINUTE))] });
    h.engine.runNow('busy');
    await h.clock.advance(MINUTE);
    assert.strictEqual(h.engine.snapshot()[1].queued, 1);
    h.engine.pause('t');
    const [row] = await h.rows('t');
    assert.deepStrictEqual([row.status, row.error], ['skipped', 'task paused']);
    h.engine.pause('busy');
    assert.strictEqual(h.exec.running().length, 1);
    assert.strictEqual(h.engine.snapshot()[0].state, 'running');
  });

  it('Run Now works on a paused task', async () => {
    const h = await setup({ tasks: [task('t', every(MINUTE))] });
    h.engine.pause('t');
    h.engine.runNow('t');
    assert.strictEqual(h.exec.runs.length, 1);
  });

  it('holds a paused task\'s retries and runs them on resume', async () => {
    const h = await setup({ tasks: [task('t', manualSchedule(), { retries: { max: 1, backoff: 'fixed', delay: MINUTE, maxDelay: 0, jitter: false } })] });
    h.engine.runNow('t');
    h.exec.last().fail();
    await h.settle();
    h.engine.pause('t');
    await h.clock.advance(5 * MINUTE);
    assert.strictEqual(h.exec.runs.length, 1);
    h.engine.resume('t');
    await h.settle();
    assert.deepStrictEqual(h.exec.started().slice(1), ['2026-03-02T09:05:00.000Z']);
  });

  it('pauseAll / resumeAll: no slot runs while paused; the change is an event for the caller to persist', async () => {
    const h = await setup({ tasks: [task('a', every(MINUTE)), task('b', every(MINUTE))] });
    h.engine.pauseAll();
    assert.strictEqual(h.engine.pausedAll, true);
    assert.deepStrictEqual(h.engine.snapshot().map((t) => [t.state, t.pausedReason]), [['paused', 'all tasks are paused'], ['paused', 'all tasks are paused']]);
    await h.clock.advance(3 * MINUTE);
    assert.strictEqual(h.exec.runs.length, 0);
    h.engine.resumeAll();
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:04:00.000Z', '2026-03-02T09:04:00.000Z']);
    assert.deepStrictEqual(h.events.filter((e) => e.type === 'pause-all-changed'), [{ type: 'pause-all-changed', paused: true }, { type: 'pause-all-changed', paused: false }]);
  });

  it('settings.paused applies when it changes between loads, not on every reload', async () => {
    const tasks = [task('a', every(MINUTE))];
    const h = await setup({ tasks, settings: { paused: true } });
    assert.strictEqual(h.engine.pausedAll, true);
    h.engine.resumeAll();
    await h.load(tasks, { paused: true });
    assert.strictEqual(h.engine.pausedAll, false, 'an unrelated reload keeps the runtime resume');
    await h.load(tasks, { paused: false });
    await h.load(tasks, { paused: true });
    assert.strictEqual(h.engine.pausedAll, true);
  });

  it('settings.tags: only tagged tasks run on their own; the others show disabled', async () => {
    const h = await setup({
      settings: { tags: ['nightly'] },
      tasks: [task('tagged', every(MINUTE), { tags: ['nightly'] }), task('other', every(MINUTE), { tags: ['adhoc'] }), task('none', every(MINUTE))],
    });
    await h.clock.advance(MINUTE);
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['tagged']);
    assert.deepStrictEqual(h.engine.snapshot().map((t) => t.state), ['running', 'disabled', 'disabled']);
    assert.strictEqual(h.engine.snapshot()[1].stateReason, 'not tagged nightly');
    assert.deepStrictEqual(h.engine.snapshot({ tag: 'adhoc' }).map((t) => t.id), ['other']);
  });

  it('a disabled task does not run on its own', async () => {
    const h = await setup({ tasks: [task('off', every(MINUTE), { enabled: false })] });
    await h.clock.advance(5 * MINUTE);
    assert.strictEqual(h.exec.runs.length, 0);
    assert.deepStrictEqual([h.engine.snapshot()[0].state, h.engine.snapshot()[0].nextRun], ['disabled', undefined]);
  });

  it('automatic: false runs only what is asked for and its dependents; slots and retries stay for later', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const history = new MemoryHistory();
    const retries = { max: 1, backoff: 'fixed' as const, delay: MINUTE, maxDelay: 0, jitter: false };
    const tasks = [
      task('tick', every(MINUTE)), task('flaky', manualSchedule(), { retries }),
      task('job', manualSchedule()), task('after', manualSchedule(), { dependsOn: [{ task: 'job', on: 'failure' }] }),
    ];
    const first = await setup({ clock, history, tasks });
    await clock.advance(MINUTE);
    first.exec.last('tick').succeed();
    await first.settle();
    await first.engine.stop();

    clock.jump(HOUR);
    const h = await setup({ clock, history, tasks, settings: { automatic: false, retentionDays: 1 } });
    h.engine.runNow('job');
    h.exec.last('job').fail();
    h.engine.runNow('flaky');
    h.exec.last('flaky').fail();
    await h.clock.advance(10 * MINUTE);
    assert.deepStrictEqual(h.exec.runs.map((r) => `${r.taskId}:${r.request.trigger}`), ['job:manual', 'flaky:manual', 'after:dependency']);
    await h.engine.idle();
    assert.strictEqual(history.jobs.size, 1, 'the retry is stored for the real executor');
    assert.strictEqual(history.states.get('tick')!.lastSlot, Date.parse('2026-03-02T09:01:00Z'), 'catch-up left for the real executor');
    assert.strictEqual(h.clock.pendingTimers(), 1);
  });
});
