// Regression (found by the cluster chaos check): the engine writes a run's queued record when it queues the
// run, through its write chain; when the claim was granted before that write came up, the write carried
// the new token and turned the claimed row back to `queued`. A member killed then left the row `queued`
// for good (the reaper recovers `running` rows), its slot neither run nor retried.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { ClusterClaims } from '../../src/core/cluster/claims';
import { Fence } from '../../src/core/cluster/fence';
import { ClusterHistory } from '../../src/core/cluster/history';
import { LocalJournal } from '../../src/core/cluster/journal';
import type { RunRecord } from '../../src/core/ports';
import { migratedCluster } from './helpers/clusterDb';
import { sql } from './helpers/clusterMembers';

describe('regression: a claimed run is never written back as queued', function () {
  this.timeout(30_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  it("the queued record written after the claim leaves the row running", async () => {
    const { url, db } = await migratedCluster(pg, 'queued_record', 'q');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-queued-'));
    try {
      const fence = new Fence(() => undefined);
      const claims = new ClusterClaims({
        db, cluster: 'q', member: 'me', fence, rank: () => 0, concurrency: () => 10, active: () => true, cancelElsewhere: () => undefined, memberLimit: () => 100, pollMs: 1000, log: () => undefined,
      });
      const history = new ClusterHistory({ db, cluster: 'q', member: 'me', fence, journal: new LocalJournal(dir), log: () => undefined });
      const slot = Date.now();
      const run: RunRecord = { id: 'r1', taskId: 't', trigger: 'schedule', status: 'queued', attempt: 1, queuedAt: slot, scheduledFor: slot, occurrence: `slot:${slot}` };
      assert.deepStrictEqual(await claims.claim({ run, priority: 'normal', overlap: 'skip', exclusive: true }), { granted: true });
      await history.putRun(run); // the engine's write of the queued record, come up after the claim
      assert.deepStrictEqual(await sql(url, "SELECT status FROM task_scheduler.runs WHERE id = 'r1'"), [{ status: 'running' }]);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
