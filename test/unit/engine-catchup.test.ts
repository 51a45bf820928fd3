// Missed slots after sleep, and after the scheduler was closed, by each catchUp policy.
// The task runs every 5 minutes; the laptop sleeps at 09:02:00 (the timer was due at 09:02:30,
// 30 s being the longest wait), so it wakes at 09:02:30 + the sleep.
import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { CATCH_UP_ALL_LIMIT, planDue, SCAN_LIMIT } from '../../src/core/engine/catchUp';
import type { CatchUpPolicy } from '../../src/core/model';
import { MemoryHistory } from './helpers/memoryHistory';
import { every } from './helpers/schedules';
import { DAY, HOUR, iso, MINUTE, SECOND, setup, summary, task, type Harness } from './helpers/engine';

async function sleepOver(policy: CatchUpPolicy, sleep: number, window = DAY): Promise<Harness> {
  const h = await setup({ tasks: [task('five', every(5 * MINUTE), { catchUp: policy, catchUpWindow: window })] });
  await h.clock.advance(2 * MINUTE);
  h.clock.jump(sleep);
  await h.clock.advance(30 * SECOND);
  return h;
}

/** Finishes runs one by one until none is left running (a serial backlog). */
async function drain(h: Harness): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const r = h.exec.running();
    if (!r.length) return;
    r.forEach((x) => x.succeed());
    await h.settle();
  }
}

describe('engine catch-up', () => {
  describe('a 5 min sleep (wakes 09:07:30; 09:05 was missed)', () => {
    it('skip: nothing runs; 09:05 is recorded missed', async () => {
      const h = await sleepOver('skip', 5 * MINUTE);
      assert.strictEqual(h.exec.runs.length, 0);
      const rows = await h.rows();
      assert.deepStrictEqual(summary(rows), ['schedule missed@2026-03-02T09:05:00.000Z']);
      assert.match(rows[0].error!, /not running then.*catchUp is skip/);
      assert.strictEqual(iso(h.engine.snapshot()[0].nextRun), '2026-03-02T09:10:00.000Z');
    });

    it('latest: 09:05 runs once, as a catch-up, at 09:07:30', async () => {
      const h = await sleepOver('latest', 5 * MINUTE);
      assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:07:30.000Z']);
      assert.strictEqual(h.exec.last().request.trigger, 'catch-up');
      assert.strictEqual(iso(h.exec.last().request.scheduledFor), '2026-03-02T09:05:00.000Z');
    });

    it('all: 09:05 runs, as a catch-up', async () => {
      const h = await sleepOver('all', 5 * MINUTE);
      await drain(h);
      assert.deepStrictEqual(summary(await h.rows()), ['catch-up succeeded@2026-03-02T09:05:00.000Z']);
    });
  });

  describe('a 3 h sleep (wakes 12:02:30; 36 slots 09:05–12:00 missed)', () => {
    it('skip: nothing runs; one summary row counts the 36', async () => {
      const h = await sleepOver('skip', 3 * HOUR);
      assert.strictEqual(h.exec.runs.length, 0);
      const rows = await h.rows();
      assert.deepStrictEqual(summary(rows), ['schedule missed@2026-03-02T12:00:00.000Z']);
      assert.match(rows[0].error!, /^36 slots missed, 2026-03-02T09:05:00.000Z to 2026-03-02T12:00:00.000Z: /);
      const missed = h.events.find((e) => e.type === 'missed');
      assert.deepStrictEqual(missed, { type: 'missed', taskId: 'five', count: 36, countIsLowerBound: false, from: Date.parse('2026-03-02T09:05:00Z'), to: Date.parse('2026-03-02T12:00:00Z') });
    });

    it('latest: 12:00 runs once; the 35 before it are summed up as missed', async () => {
      const h = await sleepOver('latest', 3 * HOUR);
      await drain(h);
      const rows = await h.rows();
      assert.deepStrictEqual(summary(rows), ['schedule missed@2026-03-02T11:55:00.000Z', 'catch-up succeeded@2026-03-02T12:00:00.000Z']);
      assert.match(rows[0].error!, /^35 slots missed, 2026-03-02T09:05:00.000Z to 2026-03-02T11:55:00.000Z: .*newest/);
      assert.deepStrictEqual(h.exec.started(), ['2026-03-02T12:02:30.000Z']);
    });

    it('all: each of the 36 runs, oldest first, one after another', async () => {
      const h = await sleepOver('all', 3 * HOUR);
      assert.strictEqual(h.exec.running().length, 1, 'a backlog runs one at a time');
      await drain(h);
      const ran = h.exec.runs.map((r) => iso(r.request.scheduledFor));
      assert.strictEqual(ran.length, 36);
      assert.strictEqual(ran[0], '2026-03-02T09:05:00.000Z');
      assert.strictEqual(ran[1], '2026-03-02T09:10:00.000Z');
      assert.strictEqual(ran[35], '2026-03-02T12:00:00.000Z');
      assert.ok(h.exec.runs.every((r) => r.request.trigger === 'catch-up'));
      assert.ok((await h.rows()).every((r) => r.status === 'succeeded'));
    });

    it('all with a 1 h window: 11:05–12:00 run; the 24 older ones are missed', async () => {
      const h = await sleepOver('all', 3 * HOUR, HOUR);
      await drain(h);
      const ran = h.exec.runs.map((r) => iso(r.request.scheduledFor));
      assert.deepStrictEqual([ran.length, ran[0], ran[11]], [12, '2026-03-02T11:05:00.000Z', '2026-03-02T12:00:00.000Z']);
      const missed = (await h.rows()).filter((r) => r.status === 'missed');
      assert.strictEqual(missed.length, 1);
      assert.match(missed[0].error!, /^24 slots missed, 2026-03-02T09:05:00.000Z to 2026-03-02T11:00:00.000Z: .*window/);
    });
  });

  describe('a 3 day sleep (wakes 2026-03-05T09:02:30; 864 slots missed)', () => {
    it('skip: one summary row, no run', async () => {
      const h = await sleepOver('skip', 3 * DAY);
      assert.strictEqual(h.exec.runs.length, 0);
      const rows = await h.rows();
      assert.strictEqual(rows.length, 1);
      assert.match(rows[0].error!, /^864 slots missed, 2026-03-02T09:05:00.000Z to 2026-03-05T09:00:00.000Z/);
    });

    it('latest: 2026-03-05T09:00 runs once', async () => {
      const h = await sleepOver('latest', 3 * DAY);
      await drain(h);
      assert.deepStrictEqual(summary(await h.rows()), ['schedule missed@2026-03-05T08:55:00.000Z', 'catch-up succeeded@2026-03-05T09:00:00.000Z']);
    });

    it(`all: the newest ${CATCH_UP_ALL_LIMIT} slots of the 1-day window run; the rest are missed`, async () => {
      const h = await sleepOver('all', 3 * DAY);
      await drain(h);
      const ran = h.exec.runs.map((r) => iso(r.request.scheduledFor));
      assert.deepStrictEqual([ran.length, ran[0], ran[99]], [100, '2026-03-05T00:45:00.000Z', '2026-03-05T09:00:00.000Z']);
      const missed = (await h.rows()).filter((r) => r.status === 'missed');
      assert.strictEqual(missed.length, 1);
      assert.match(missed[0].error!, /^764 slots missed, 2026-03-02T09:05:00.000Z to 2026-03-05T00:40:00.000Z/);
    });

    it('an every-second task: one row, an "at least" count, and no long block', async () => {
      const h = await setup({ tasks: [task('sec', every(SECOND), { catchUp: 'skip' })] });
      await h.clock.advance(1500);
      h.exec.runs.forEach((r) => r.succeed());
      await h.settle();
      h.clock.jump(3 * DAY);
      const t0 = Date.now();
      await h.clock.advance(SECOND);
      const took = Date.now() - t0;
      assert.ok(took < 500, `took ${took} ms`);
      const missed = (await h.rows()).filter((r) => r.status === 'missed');
      assert.strictEqual(missed.length, 1);
      assert.match(missed[0].error!, new RegExp(`^${SCAN_LIMIT}\\+ slots missed, 2026-03-02T09:00:02.000Z to 2026-03-05T09:00:01.000Z`));
      // 09:00:02 + 3 days: the newest slot is on time, so skip still runs it.
      assert.deepStrictEqual(h.exec.started().slice(1), ['2026-03-05T09:00:02.000Z']);
    });
  });

  it('planDue on an every-second schedule after 3 days keeps "all" to the newest 100', () => {
    const start = Date.parse('2026-03-02T09:00:00Z');
    const plan = planDue(every(SECOND), start, start + 3 * DAY + 500, 'all', DAY)!;
    assert.strictEqual(plan.run.length, CATCH_UP_ALL_LIMIT);
    assert.strictEqual(iso(plan.run[99].slot), '2026-03-05T09:00:00.000Z');
    assert.strictEqual(iso(plan.run[0].slot), '2026-03-05T08:58:21.000Z');
    assert.strictEqual(plan.run[99].late, false);
    assert.deepStrictEqual([plan.missed!.countIsLowerBound, iso(plan.missed!.last)], [true, '2026-03-05T08:58:20.000Z']);
  });

  describe('after the scheduler was closed', () => {
    async function closedFor(policy: CatchUpPolicy, closedMs: number) {
      const clock = new ManualClock('2026-03-02T09:00:00.000Z');
      const history = new MemoryHistory();
      const tasks = [task('five', every(5 * MINUTE), { catchUp: policy })];
      const first = await setup({ clock, history, tasks });
      await clock.advance(5 * MINUTE);
      first.exec.last().succeed();
      await first.settle();
      await first.engine.stop();
      assert.strictEqual(history.states.get('five')!.lastSlot, Date.parse('2026-03-02T09:05:00Z'));
      clock.jump(closedMs);
      return setup({ clock, history, tasks });
    }

    it('latest: runs the newest missed slot once, from the stored lastSlot', async () => {
      const h = await closedFor('latest', 3 * HOUR + MINUTE); // reopened 12:06
      await drain(h);
      const rows = (await h.rows()).slice(1);
      assert.deepStrictEqual(summary(rows), ['schedule missed@2026-03-02T12:00:00.000Z', 'catch-up succeeded@2026-03-02T12:05:00.000Z']);
      assert.match(rows[0].error!, /^35 slots missed, 2026-03-02T09:10:00.000Z to 2026-03-02T12:00:00.000Z/);
      assert.deepStrictEqual(h.exec.started(), ['2026-03-02T12:06:00.000Z']);
    });

    it('skip: records the 36 missed slots, runs nothing', async () => {
      const h = await closedFor('skip', 3 * HOUR + MINUTE);
      const rows = (await h.rows()).slice(1);
      assert.deepStrictEqual(summary(rows), ['schedule missed@2026-03-02T12:05:00.000Z']);
      assert.match(rows[0].error!, /^36 slots missed, 2026-03-02T09:10:00.000Z to 2026-03-02T12:05:00.000Z/);
      assert.strictEqual(h.exec.runs.length, 0);
    });

    it('all: runs each of the 36, oldest first', async () => {
      const h = await closedFor('all', 3 * HOUR + MINUTE);
      await drain(h);
      const ran = h.exec.runs.map((r) => iso(r.request.scheduledFor));
      assert.deepStrictEqual([ran.length, ran[0], ran[35]], [36, '2026-03-02T09:10:00.000Z', '2026-03-02T12:05:00.000Z']);
    });

    it('a task seen for the first time starts from now', async () => {
      const h = await setup({ at: '2026-03-02T12:06:00.000Z', tasks: [task('fresh', every(5 * MINUTE))] });
      assert.strictEqual(h.exec.runs.length, 0);
      assert.deepStrictEqual(await h.rows(), []);
      assert.strictEqual(iso(h.engine.snapshot()[0].nextRun), '2026-03-02T12:10:00.000Z');
    });

    it('a task that was removed and comes back starts from now', async () => {
      const clock = new ManualClock('2026-03-02T09:00:00.000Z');
      const history = new MemoryHistory();
      const first = await setup({ clock, history, tasks: [task('five', every(5 * MINUTE)), task('other', every(HOUR))] });
      await clock.advance(5 * MINUTE);
      first.exec.last().succeed();
      await first.load([task('other', every(HOUR))]);
      await first.engine.stop();
      assert.strictEqual(history.states.get('five')!.removed, true);
      clock.jump(3 * HOUR + MINUTE);
      const h = await setup({ clock, history, tasks: [task('five', every(5 * MINUTE)), task('other', every(HOUR))] });
      assert.deepStrictEqual(h.exec.started('five'), []);
      assert.strictEqual(iso(h.engine.snapshot()[0].nextRun), '2026-03-02T12:10:00.000Z');
    });
  });
});
