// Reset Schedules (the seeds' reset tool): forget a backlog of missed slots and follow from now.
import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { MemoryHistory } from './helpers/memoryHistory';
import { every } from './helpers/schedules';
import { HOUR, iso, MINUTE, setup, task } from './helpers/engine';

describe('engine reset schedule', () => {
  it('a backlog left while closed is not caught up after a reset', async () => {
    const history = new MemoryHistory();
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const tasks = [task('five', every(5 * MINUTE), { catchUp: 'all' })];
    const first = await setup({ clock, history, tasks });
    await clock.advance(6 * MINUTE); // 09:05 runs
    first.exec.running().forEach((r) => r.succeed());
    await first.settle();
    await first.engine.stop();

    clock.jump(3 * HOUR); // closed until 12:06: 09:10 … 12:05 are due
    const second = await setup({ clock, history, tasks, start: false });
    const dry = second.engine.resetSchedule('five', { dryRun: true });
    assert.deepStrictEqual({ ...dry, lastSlot: iso(dry.lastSlot), nextRun: iso(dry.nextRun) },
      { taskId: 'five', lastSlot: '2026-03-02T09:05:00.000Z', overdue: true, nextRun: '2026-03-02T12:10:00.000Z', changed: false });
    const done = second.engine.resetSchedule('five');
    assert.strictEqual(done.changed, true);
    await second.engine.start();
    await second.settle();
    assert.strictEqual(second.exec.runs.length, 0, 'nothing caught up');
    assert.strictEqual(iso(second.engine.snapshot()[0].nextRun), '2026-03-02T12:10:00.000Z');
    await clock.advance(4 * MINUTE);
    assert.deepStrictEqual(second.exec.runs.map((r) => iso(r.request.scheduledFor)), ['2026-03-02T12:10:00.000Z']);
  });

  it('a task with no backlog reports overdue: false; a manual task is left alone', async () => {
    const h = await setup({ tasks: [task('five', every(5 * MINUTE)), task('by-hand')] });
    await h.clock.advance(MINUTE);
    assert.strictEqual(h.engine.resetSchedule('five', { dryRun: true }).overdue, false);
    assert.deepStrictEqual(h.engine.resetSchedule('by-hand'), { taskId: 'by-hand', lastSlot: undefined, overdue: false, nextRun: undefined, changed: false });
  });
});
