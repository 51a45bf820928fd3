// Regressions (found by the cluster chaos check):
// - The reaper stored the retries of a dead member's runs through its own engine's write chain and waited
//   for it, inside the transaction that holds the reaper lock and the runs' rows. On a busy member that
//   chain is seconds behind: retries started up to 30 s after the death. The reaper now stores them itself,
//   in that transaction, with the runs' end.
// - So the engine's own (late) write of such a retry, or a journal replayed late, must not bring back a job
//   that another member has claimed and run meanwhile.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { ClusterClaims } from '../../src/core/cluster/claims';
import { Fence } from '../../src/core/cluster/fence';
import { ClusterHistory } from '../../src/core/cluster/history';
import { LocalJournal } from '../../src/core/cluster/journal';
import { Reaper } from '../../src/core/cluster/reaper';
import type { PendingJob } from '../../src/core/ports';
import { migratedCluster } from './helpers/clusterDb';
import { sql } from './helpers/clusterMembers';

describe('regression: the reaper stores the retries itself; a job that ran stays gone', function () {
  this.timeout(30_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  it("a dead member's run is interrupted and its retry stored in one go, however far behind the engine's writes are", async () => {
    const { url, db } = await migratedCluster(pg, 'reaper_retries', 'r');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-retries-'));
    try {
      // The dead member's running run (its lock is free, its heartbeat old).
      await sql(url, `INSERT INTO task_scheduler.members (cluster, id, label, host, pid, version, lock_key, definitions, heartbeat_at)
        VALUES ('r', 'dead', 'dead', 'h', 1, 't', 9001, 'd', now() - interval '1 minute')`);
      await sql(url, `INSERT INTO task_scheduler.runs (cluster, id, task_id, trigger, status, attempt, queued_at, started_at, member, token, occurrence)
        VALUES ('r', 'run-1', 't', 'schedule', 'running', 1, 1, 1, 'dead', 1, 'slot:1')`);
      const retry: PendingJob = { id: 'retry-of-run-1', taskId: 't', kind: 'retry', dueAt: Date.now() + 1_000, attempt: 2, trigger: 'retry', previousRunId: 'run-1', createdAt: Date.now() };
      const reaper = new Reaper({
        db, cluster: 'r', member: 'me', fence: new Fence(() => undefined), timings: { heartbeatMs: 200, ttlMs: 1_000, pollMs: 1_000 },
        // The engine schedules the retry; its own write of it is still far down its chain (never, here).
        recover: () => [retry], log: () => undefined,
      });
      // (Nobody is declared dead in the first TTL after the server started.)
      for (let end = Date.now() + 5_000; Date.now() < end && (await reaper.sweep()).length === 0;) await new Promise((r) => setTimeout(r, 200));
      assert.deepStrictEqual(await sql(url, "SELECT status FROM task_scheduler.runs WHERE id = 'run-1'"), [{ status: 'interrupted' }]);
      assert.deepStrictEqual(await sql(url, "SELECT id FROM task_scheduler.pending WHERE cluster = 'r'"), [{ id: 'retry-of-run-1' }]);

      // Another member claims and runs the retry; then the engine's late write of it comes up.
      const fence = new Fence(() => undefined);
      const claims = new ClusterClaims({ db, cluster: 'r', member: 'other', fence, rank: () => 0, concurrency: () => 10, active: () => true, cancelElsewhere: () => undefined, memberLimit: () => 100, pollMs: 1000, log: () => undefined });
      const granted = await claims.claim({
        run: { id: 'run-2', taskId: 't', trigger: 'retry', status: 'queued', attempt: 2, queuedAt: 2, scheduledFor: retry.dueAt, occurrence: `job:${retry.id}` },
        jobId: retry.id, priority: 'normal', overlap: 'skip', exclusive: true,
      });
      assert.deepStrictEqual(granted, { granted: true });
      const history = new ClusterHistory({ db, cluster: 'r', member: 'me', fence: new Fence(() => undefined), journal: new LocalJournal(dir), log: () => undefined });
      await history.putPending(retry);
      assert.deepStrictEqual(await sql(url, "SELECT id FROM task_scheduler.pending WHERE cluster = 'r'"), [], 'the job that ran came back');
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
