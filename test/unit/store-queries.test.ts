// The history's queries and mutations, through the real worker thread and real files.
import * as assert from 'assert';
import * as fs from 'fs';
import type { History, PendingJob, RunRecord, TaskStateRecord } from '../../src/core/ports';
import { historyFiles } from '../../src/core/store';
import { ids, openHistory, removeTempDirs, run, tempDir } from './store-helpers';

describe('history store: queries', () => {
  let dir: string;
  let h: History;
  beforeEach(async () => {
    dir = tempDir();
    h = await openHistory(dir);
  });
  afterEach(async () => {
    await h.close();
  });
  after(removeTempDirs);

  it('keeps every field of a run as written, absent fields absent', async () => {
    const full: RunRecord = {
      id: 'r1', taskId: 't', trigger: 'retry', status: 'failed', attempt: 3, scheduledFor: 5, queuedAt: 6,
      startedAt: 7, endedAt: 9, exitCode: null, error: 'boom', output: 'a\nb', outputTruncated: true,
      result: { files: [1, null, 'x'] }, params: { dry: true }, executor: 'lease-1',
    };
    const bare: RunRecord = { id: 'r2', taskId: 't', trigger: 'manual', status: 'queued', attempt: 1, queuedAt: 10 };
    const zeroes: RunRecord = { ...bare, id: 'r3', exitCode: 0, result: null, output: '', outputTruncated: false, params: {} };
    for (const r of [full, bare, zeroes]) await h.putRun(r);
    assert.deepStrictEqual(await h.getRun('r1'), full);
    assert.deepStrictEqual(await h.getRun('r2'), bare);
    assert.deepStrictEqual(await h.getRun('r3'), zeroes);
    assert.strictEqual(await h.getRun('nope'), undefined);
  });

  it('refuses a record the database could not hold before journaling it', async () => {
    const { journal } = historyFiles(dir);
    const size = fs.statSync(journal).size;
    await assert.rejects(h.putRun({ ...run('x'), taskId: undefined } as unknown as RunRecord), /run\.taskId must be a string, got undefined/);
    await assert.rejects(h.putRun(run('x', { status: 'done' as RunRecord['status'] })), /run\.status must be one of queued, running/);
    await assert.rejects(h.putRun(run('x', { result: { n: BigInt(1) } })), /BigInt/);
    await assert.rejects(h.putPending({ id: 'p' } as PendingJob), /pending job\.taskId/);
    assert.strictEqual(fs.statSync(journal).size, size);
    await h.putRun(run('ok'));
    assert.deepStrictEqual(ids(await h.runs({})), ['ok']);
  });

    it('replaces a run by id (queued → running → succeeded)', async () => {
    await h.putRun(run('r', { status: 'queued', startedAt: undefined, endedAt: undefined }));
    await h.putRun(run('r', { status: 'running', endedAt: undefined }));
    await h.putRun(run('r', { status: 'succeeded', result: 42 }));
    const all = await h.runs({});
    assert.deepStrictEqual(ids(all), ['r']);
    assert.strictEqual(all[0].status, 'succeeded');
    assert.strictEqual(all[0].result, 42);
  });

  it('lists recent runs newest first, by task, status, page and limit', async () => {
    for (let i = 0; i < 30; i++) {
      await h.putRun(run(`r${String(i).padStart(2, '0')}`, {
        taskId: i % 2 ? 'odd' : 'even', queuedAt: 1000 + i, status: i % 5 === 0 ? 'failed' : 'succeeded',
      }));
    }
    assert.deepStrictEqual(ids(await h.runs({ limit: 3 })), ['r29', 'r28', 'r27']);
    assert.deepStrictEqual(ids(await h.runs({ taskId: 'odd', limit: 3 })), ['r29', 'r27', 'r25']);
    assert.deepStrictEqual(ids(await h.runs({ statuses: ['failed'] })), ['r25', 'r20', 'r15', 'r10', 'r05', 'r00']);
    assert.deepStrictEqual(ids(await h.runs({ taskId: 'even', statuses: ['failed'], before: 1020 })), ['r10', 'r00']);
    assert.deepStrictEqual(ids(await h.runs({ before: 1003 })), ['r02', 'r01', 'r00']);
    assert.strictEqual((await h.runs({})).length, 30);
  });

  it('gives the last 5 errors of a task: failed, timed-out and interrupted only', async () => {
    const statuses = ['failed', 'succeeded', 'timed-out', 'cancelled', 'interrupted', 'skipped', 'failed', 'missed', 'failed', 'timed-out', 'failed'] as const;
    for (const [i, status] of statuses.entries()) await h.putRun(run(`e${i}`, { status, queuedAt: 100 + i }));
    await h.putRun(run('other', { taskId: 'other', status: 'failed', queuedAt: 999 }));
    assert.deepStrictEqual(ids(await h.lastErrors('backup')), ['e10', 'e9', 'e8', 'e6', 'e4']);
    assert.deepStrictEqual(ids(await h.lastErrors('backup', 2)), ['e10', 'e9']);
    assert.deepStrictEqual(await h.lastErrors('nobody'), []);
  });

  it('computes health over a window: success rate of finished runs, running, queued, average duration', async () => {
    const now = 100_000;
    assert.deepStrictEqual(await h.health(60_000, now), { windowMs: 60_000, finished: 0, succeeded: 0, running: 0, queued: 0 });
    await h.putRun(run('old', { status: 'failed', startedAt: 1_000, endedAt: 2_000 }));            // outside the window
    await h.putRun(run('ok1', { status: 'succeeded', startedAt: 50_000, endedAt: 50_100 }));      // 100 ms
    await h.putRun(run('ok2', { status: 'succeeded', startedAt: 60_000, endedAt: 60_300 }));      // 300 ms
    await h.putRun(run('bad', { status: 'timed-out', startedAt: 70_000, endedAt: 70_500 }));      // 500 ms
    await h.putRun(run('skip', { status: 'skipped', startedAt: undefined, endedAt: 80_000 }));    // never ran
    await h.putRun(run('run', { status: 'running', endedAt: undefined }));
    await h.putRun(run('q1', { status: 'queued', startedAt: undefined, endedAt: undefined }));
    await h.putRun(run('q2', { status: 'queued', startedAt: undefined, endedAt: undefined }));
    assert.deepStrictEqual(await h.health(60_000, now), {
      windowMs: 60_000, finished: 3, succeeded: 2, successRate: 2 / 3, running: 1, queued: 2, averageDurationMs: 300,
    });
  });

  it('marks runs left queued or running as interrupted, durably, and returns them', async () => {
    await h.putRun(run('done'));
    await h.putRun(run('running', { status: 'running', endedAt: undefined }));
    await h.putRun(run('queued', { status: 'queued', startedAt: undefined, endedAt: undefined, queuedAt: 2_000 }));
    const marked = await h.markInterrupted(5_000, 'executor died');
    assert.deepStrictEqual(ids(marked), ['running', 'queued']);
    for (const r of marked) assert.deepStrictEqual([r.status, r.endedAt, r.error], ['interrupted', 5_000, 'executor died']);
    assert.deepStrictEqual(await h.markInterrupted(6_000, 'again'), []);
    await h.close();
    h = await openHistory(dir);
    assert.deepStrictEqual(await h.getRun('running'), marked[0]);
    assert.strictEqual((await h.getRun('done'))?.status, 'succeeded');
  });

  it('stores, replaces, lists by due time and deletes pending jobs', async () => {
    const job = (id: string, dueAt: number, over: Partial<PendingJob> = {}): PendingJob =>
      ({ id, taskId: 'backup', kind: 'retry', dueAt, attempt: 2, trigger: 'retry', createdAt: 1, ...over });
    await h.putPending(job('b', 300));
    await h.putPending(job('a', 200, { kind: 'enqueue', trigger: 'enqueue', params: { n: 1 }, retries: { max: 2 }, previousRunId: 'r0' }));
    await h.putPending(job('b', 100));
    assert.deepStrictEqual(await h.pending(), [job('b', 100), job('a', 200, { kind: 'enqueue', trigger: 'enqueue', params: { n: 1 }, retries: { max: 2 }, previousRunId: 'r0' })]);
    await h.deletePending('b');
    await h.deletePending('missing');
    assert.deepStrictEqual((await h.pending()).map((j) => j.id), ['a']);
  });

  it('syncs the task list: new tasks added, absent ones removed with their history kept, returning ones active', async () => {
    const t = (taskId: string) => ({ taskId, name: taskId.toUpperCase(), file: `/w/${taskId}.task.ts`, kind: 'module' as const });
    await h.syncTasks([t('a'), t('b')], 10);
    await h.putRun(run('b1', { taskId: 'b' }));
    const paused: TaskStateRecord = { ...t('b'), paused: true, pausedReason: 'too many failures', lastSlot: 7, retryCount: 2, consecutiveFailures: 3, removed: false, updatedAt: 11 };
    await h.saveTaskState(paused);
    assert.deepStrictEqual(await h.taskStates(), [
      { ...t('a'), paused: false, retryCount: 0, consecutiveFailures: 0, removed: false, updatedAt: 10 },
      paused,
    ]);
    await h.syncTasks([t('a')], 20);
    const [, b] = await h.taskStates();
    assert.deepStrictEqual([b.removed, b.updatedAt, b.paused], [true, 20, true]);
    assert.deepStrictEqual(ids(await h.runs({ taskId: 'b' })), ['b1']);
    await h.syncTasks([t('a'), { ...t('b'), name: 'B renamed' }], 30);
    const [, back] = await h.taskStates();
    assert.deepStrictEqual([back.removed, back.name, back.paused, back.retryCount], [false, 'B renamed', true, 2]);
  });

  it('retention: deletes finished runs by age and beyond N per task, never running or queued ones', async () => {
    const day = 86_400_000;
    const now = 100 * day;
    for (let i = 0; i < 10; i++) await h.putRun(run(`a${i}`, { taskId: 'a', queuedAt: now - (10 - i) * day, endedAt: now - (10 - i) * day + 1 }));
    for (let i = 0; i < 4; i++) await h.putRun(run(`b${i}`, { taskId: 'b', queuedAt: now - i, endedAt: now - i + 1 }));
    await h.putRun(run('stuck', { taskId: 'a', status: 'running', queuedAt: now - 50 * day, endedAt: undefined }));
    await h.putRun(run('waiting', { taskId: 'b', status: 'queued', queuedAt: 1, startedAt: undefined, endedAt: undefined }));

    assert.deepStrictEqual(await h.cleanup({ now, olderThanMs: 5 * day }), { deleted: 5 });    // a0…a4
    assert.deepStrictEqual(ids(await h.runs({ taskId: 'a' })), ['a9', 'a8', 'a7', 'a6', 'a5', 'stuck']);
    assert.deepStrictEqual(await h.cleanup({ now, maxRunsPerTask: 2 }), { deleted: 5 });      // a5…a7, b2, b3
    assert.deepStrictEqual(ids(await h.runs({ taskId: 'a' })), ['a9', 'a8', 'stuck']);
    assert.deepStrictEqual(ids(await h.runs({ taskId: 'b' })), ['b0', 'b1', 'waiting']);
    assert.deepStrictEqual(await h.cleanup({ now, olderThanMs: 0, maxRunsPerTask: 0 }), { deleted: 4 });
    assert.deepStrictEqual(ids(await h.runs({})), ['stuck', 'waiting']);
  });

  it('retention shrinks the file (VACUUM before the next snapshot)', async () => {
    const output = 'x'.repeat(4_000);
    await Promise.all(Array.from({ length: 600 }, (_, i) => h.putRun(run(`big${i}`, { queuedAt: i, output }))));
    await h.close();
    h = await openHistory(dir, { policy: { journalToSnapshotRatio: 0, minJournalEntries: 1 } });  // folds the journal on open
    const before = fs.statSync(historyFiles(dir).db).size;
    assert.ok(before > 2_000_000, `file holds the runs (${before} bytes)`);
    assert.deepStrictEqual(await h.cleanup({ now: 1e9, maxRunsPerTask: 10 }), { deleted: 590 });
    await h.close();
    const after = fs.statSync(historyFiles(dir).db).size;
    assert.ok(after < before / 10, `file shrank: ${before} → ${after} bytes`);
    h = await openHistory(dir);
    assert.strictEqual((await h.runs({ limit: 1000 })).length, 10);
  });
});
