// Viewers: another window or `task-scheduler status` reads the history the executor is writing,
// without writing a byte, and catches up on reload — across journal rotations and new snapshots too.
import * as assert from 'assert';
import * as fs from 'fs';
import type { History } from '../../src/core/ports';
import { historyFiles, openHistoryReadOnly } from '../../src/core/store';
import { encodeEntry } from '../../src/core/store/journal';
import { folderState, ids, openHistory, removeTempDirs, run, tempDir } from './store-helpers';

describe('history store: read-only viewers', () => {
  after(removeTempDirs);

  for (const inProcess of [false, true]) {
    const mode = inProcess ? 'in-process' : 'in a worker';
    it(`sees the writer's runs, and new ones after reload (${mode})`, async () => {
      const dir = tempDir();
      const h = await openHistory(dir);
      await h.syncTasks([{ taskId: 'backup', name: 'Backup', file: '/w/b.task.ts', kind: 'module' }], 1);
      await h.putRun(run('a', { queuedAt: 1 }));
      const reader = await openHistoryReadOnly(dir, { inProcess });
      assert.deepStrictEqual(reader.report, { fromVersion: 2 });
      assert.deepStrictEqual(ids(await reader.runs({})), ['a']);
      assert.deepStrictEqual(await reader.reload(), { changed: false });
      await h.putRun(run('b', { queuedAt: 2, status: 'failed' }));
      await h.putPending({ id: 'p', taskId: 'backup', kind: 'retry', dueAt: 9, attempt: 2, trigger: 'retry', createdAt: 1 });
      assert.deepStrictEqual(ids(await reader.runs({})), ['a'], 'a reader sees a fixed state until it reloads');
      assert.deepStrictEqual(await reader.reload(), { changed: true });
      assert.deepStrictEqual(ids(await reader.runs({})), ['b', 'a']);
      assert.deepStrictEqual(ids(await reader.lastErrors('backup')), ['b']);
      assert.strictEqual((await reader.health(1e9, 1e6)).finished, 2);
      assert.deepStrictEqual((await reader.pending()).map((p) => p.id), ['p']);
      assert.deepStrictEqual((await reader.taskStates()).map((t) => t.taskId), ['backup']);
      assert.strictEqual((await reader.getRun('b'))?.status, 'failed');
      await reader.close();
      await h.close();
    });
  }

  it('keeps up through journal rotations and new snapshots, never missing or duplicating a run', async () => {
    const dir = tempDir();
    const h: History = await openHistory(dir, { policy: { minJournalBytes: 1, minJournalEntries: 1, journalToSnapshotRatio: 0.3 } });
    const reader = await openHistoryReadOnly(dir, { inProcess: true });
    const confirmed: string[] = [];
    for (let batch = 0; batch < 40; batch++) {
      const runs = Array.from({ length: 5 }, (_, i) => run(`r${batch * 5 + i}`, { queuedAt: batch * 5 + i, output: 'z'.repeat(500) }));
      await Promise.all(runs.map((r) => h.putRun(r)));
      confirmed.push(...ids(runs));
      await reader.reload();
      const seen = ids(await reader.runs({ limit: 1e6 }));
      assert.deepStrictEqual([...seen].sort(), [...confirmed].sort(), `after batch ${batch}`);
    }
    await h.close();
    await reader.close();
  });

  it('writes nothing: not the torn journal tail, not the snapshot, not a temp file', async () => {
    const dir = tempDir();
    const h = await openHistory(dir);
    await h.putRun(run('a'));
    await h.close();
    fs.appendFileSync(historyFiles(dir).journal, encodeEntry(2, { op: 'putRun', run: run('b') }).slice(0, 25));
    const before = folderState(dir);
    for (const inProcess of [false, true]) {
      const reader = await openHistoryReadOnly(dir, { inProcess });
      assert.deepStrictEqual(ids(await reader.runs({})), ['a']);
      await reader.reload();
      await reader.close();
    }
    assert.deepStrictEqual(folderState(dir), before);
  });

  it('opens an empty or missing folder as an empty history, creating nothing', async () => {
    const dir = tempDir();
    const missing = `${dir}/not-yet`;
    const reader = await openHistoryReadOnly(missing, { inProcess: true });
    assert.deepStrictEqual(await reader.runs({}), []);
    await reader.close();
    assert.ok(!fs.existsSync(missing));
  });
});
