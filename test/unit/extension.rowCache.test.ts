// The last session's rows: kept without what goes stale (running, next run), given back with next runs
// computed again in each task's zone, and never kept while still loading.
import * as assert from 'assert';
import type { TaskView } from '../../src/core/engine';
import { parseSchedule } from '../../src/core/schedule';
import { fromCachedRows, toCachedRows } from '../../src/extension/rowCache';
import type { TaskEntry } from '../../src/extension/treeItems';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 30);

function entry(id: string, over: Partial<TaskView> = {}, timezone?: string): TaskEntry {
  const source = over.scheduleSource ?? 'daily at 09:30';
  const parsed = parseSchedule(source, { timezone });
  assert.ok(parsed.ok);
  return {
    folder: '/ws', folderName: 'ws', pausedAll: false, schedule: parsed.schedule,
    view: {
      id, name: `Task ${id}`, file: `/ws/${id}.task.ts`, kind: 'module', tags: ['a'], priority: 'normal', state: 'scheduled',
      schedule: parsed.schedule.describe(), scheduleSource: source, nextRun: NOW - 1, running: ['r1'], queued: 2, retryCount: 0, consecutiveFailures: 0,
      lastRun: { id: 'r0', status: 'succeeded', trigger: 'schedule', endedAt: NOW - 60_000 }, ...over,
    },
  };
}

describe('extension: the last session\'s rows', () => {
  it('round-trips a row, with the next run computed again in the task\'s zone', () => {
    const rows = toCachedRows([entry('berlin', {}, 'Europe/Berlin')]);
    assert.ok(rows);
    const json = JSON.parse(JSON.stringify(rows)); // what the Memento stores
    const [back] = fromCachedRows(json, '/ws', 'ws', NOW);
    assert.strictEqual(back.loading, 'cache');
    assert.strictEqual(back.view.name, 'Task berlin');
    assert.deepStrictEqual(back.view.running, []);
    assert.strictEqual(back.view.queued, 0);
    assert.strictEqual(new Date(back.view.nextRun!).toISOString(), '2026-03-11T08:30:00.000Z', '09:30 in Berlin (CET)');
    assert.deepStrictEqual(back.view.lastRun, { id: 'r0', status: 'succeeded', trigger: 'schedule', endedAt: NOW - 60_000 });
  });

  it('gives paused, disabled and invalid tasks no next run', () => {
    const rows = toCachedRows([entry('p', { state: 'paused' }), entry('d', { state: 'disabled' }), entry('i', { state: 'invalid', stateReason: 'broken' })])!;
    const back = fromCachedRows(rows, '/ws', 'ws', NOW);
    assert.deepStrictEqual(back.map((b) => [b.view.id, b.view.state, b.view.nextRun]), [['p', 'paused', undefined], ['d', 'disabled', undefined], ['i', 'invalid', undefined]]);
  });

  it('keeps nothing while rows are still loading, and skips damaged entries', () => {
    assert.strictEqual(toCachedRows([{ ...entry('x'), loading: 'plan' }]), undefined);
    assert.deepStrictEqual(fromCachedRows('nonsense', '/ws', 'ws', NOW), []);
    assert.deepStrictEqual(fromCachedRows([null, { view: { id: 1 } }, { view: { id: 'ok', name: 'OK', state: 'scheduled', scheduleSource: 'not a schedule' } }], '/ws', 'ws', NOW)
      .map((e) => [e.view.id, e.view.nextRun]), [['ok', undefined]]);
  });
});
