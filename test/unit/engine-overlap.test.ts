// Overlap per task: a slot that comes while the previous run is still going.
import * as assert from 'assert';
import type { OverlapPolicy } from '../../src/core/model';
import { every } from './helpers/schedules';
import { MINUTE, setup, summary, task } from './helpers/engine';

async function twoSlots(overlap: OverlapPolicy) {
  const h = await setup({ tasks: [task('slow', every(MINUTE), { overlap })] });
  await h.clock.advance(MINUTE); // 09:01 starts and keeps running
  await h.clock.advance(MINUTE); // 09:02 comes
  return h;
}

describe('engine overlap', () => {
  it('skip (the default): the second slot is recorded skipped with the reason', async () => {
    const h = await twoSlots('skip');
    assert.strictEqual(h.exec.runs.length, 1);
    const rows = await h.rows();
    assert.deepStrictEqual(summary(rows), ['schedule running@2026-03-02T09:01:00.000Z', 'schedule skipped@2026-03-02T09:02:00.000Z']);
    assert.strictEqual(rows[1].error, 'previous run still running');
    assert.strictEqual(h.engine.snapshot()[0].lastRun, undefined, 'an overlap skip is not the task\'s last result');
  });

  it('queue: one run waits and starts when the previous ends; a third is skipped', async () => {
    const h = await twoSlots('queue');
    assert.strictEqual(h.engine.snapshot()[0].queued, 1);
    await h.clock.advance(MINUTE); // 09:03: one is already waiting
    const skipped = (await h.rows()).filter((r) => r.status === 'skipped');
    assert.deepStrictEqual(summary(skipped), ['schedule skipped@2026-03-02T09:03:00.000Z']);
    assert.strictEqual(skipped[0].error, 'a run is already waiting for the previous one');
    await h.clock.advance(30_000);
    h.exec.last().succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:01:00.000Z', '2026-03-02T09:03:30.000Z']);
    assert.strictEqual(h.exec.last().request.scheduledFor, Date.parse('2026-03-02T09:02:00Z'));
  });

  it('allow: both run at once', async () => {
    const h = await twoSlots('allow');
    assert.deepStrictEqual(h.exec.running().map((r) => r.request.scheduledFor), [Date.parse('2026-03-02T09:01:00Z'), Date.parse('2026-03-02T09:02:00Z')]);
    assert.strictEqual(h.engine.snapshot()[0].running.length, 2);
  });

  it('replace: the running one is cancelled as replaced, then the new one starts', async () => {
    const h = await twoSlots('replace');
    assert.strictEqual(h.exec.runs[0].cancelledWith, 'replaced');
    await h.settle();
    const rows = await h.rows();
    assert.deepStrictEqual(summary(rows), ['schedule cancelled@2026-03-02T09:01:00.000Z', 'schedule running@2026-03-02T09:02:00.000Z']);
    assert.strictEqual(rows[0].error, 'replaced by a newer run');
    assert.strictEqual(h.exec.running().length, 1);
  });

  it('replace waits for a run that is slow to stop, never running two', async () => {
    const h = await setup({ tasks: [task('slow', every(MINUTE), { overlap: 'replace' })] });
    h.exec.finishOnCancel = false;
    await h.clock.advance(2 * MINUTE);
    assert.strictEqual(h.exec.runs.length, 1);
    assert.strictEqual(h.exec.runs[0].cancelledWith, 'replaced');
    await h.clock.advance(5_000);
    h.exec.runs[0].cancelled();
    await h.settle();
    assert.deepStrictEqual(h.exec.started(), ['2026-03-02T09:01:00.000Z', '2026-03-02T09:02:05.000Z']);
  });

  it('applies to Run Now as well', async () => {
    const h = await setup({ tasks: [task('slow', every(MINUTE))] });
    await h.clock.advance(MINUTE);
    const id = h.engine.runNow('slow');
    const row = (await h.rows()).find((r) => r.id === id)!;
    assert.deepStrictEqual([row.trigger, row.status, row.error], ['manual', 'skipped', 'previous run still running']);
  });

  it('a retry waits for the running run instead of being skipped', async () => {
    const h = await setup({ tasks: [task('t', every(MINUTE), { retries: { max: 1, backoff: 'fixed', delay: 30_000, maxDelay: 0, jitter: false } })] });
    await h.clock.advance(MINUTE);
    h.exec.last().fail();
    await h.settle();
    await h.clock.advance(25_000); // 09:01:25
    h.engine.runNow('t');
    await h.clock.advance(5_000); // the retry is due at 09:01:30 while the manual run goes on
    assert.strictEqual(h.exec.running().length, 1);
    await h.clock.advance(10_000);
    h.exec.last().succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.runs.map((r) => `${r.request.trigger}#${r.request.attempt}`), ['schedule#1', 'manual#1', 'retry#2']);
  });
});
