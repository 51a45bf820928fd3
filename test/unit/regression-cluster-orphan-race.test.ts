// Regression (found by the cluster chaos check): the reaper takes a `running` row under this member's name
// whose token this member does not hold for a claim whose answer was lost, and interrupts it. A claim
// whose answer was merely still on the way (committed a moment before) was taken for one: the run was
// interrupted while it ran, and the reaper, holding its row while waiting for this member's writes —
// that run's own among them — held both up until the query timeout.
import * as assert from 'assert';
import { startPostgres, type PgServer } from '../pg/server';
import { ClusterClaims } from '../../src/core/cluster/claims';
import { Fence } from '../../src/core/cluster/fence';
import { Reaper } from '../../src/core/cluster/reaper';
import type { RunRecord } from '../../src/core/ports';
import type { Db } from '../../src/core/cluster/db';
import { migratedCluster } from './helpers/clusterDb';
import { sql } from './helpers/clusterMembers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('regression: a claim whose answer is on the way is not an orphan', function () {
  this.timeout(30_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  it('the reaper leaves the run alone; it runs here', async () => {
    const { url, db } = await migratedCluster(pg, 'orphan_race', 'race');
    // The claim commits at once; its answer reaches this member 800 ms later.
    const script = db.script.bind(db);
    db.script = (async (text: string) => { const rows = await script(text); await sleep(800); return rows; }) as Db['script'];
    const fence = new Fence(() => undefined);
    const claims = new ClusterClaims({
      db, cluster: 'race', member: 'me', fence, rank: () => 0, concurrency: () => 10, active: () => true, cancelElsewhere: () => undefined, memberLimit: () => 100, pollMs: 1000, log: () => undefined,
    });
    const recovered: RunRecord[] = [];
    const reaper = new Reaper({
      db, cluster: 'race', member: 'me', fence, timings: { heartbeatMs: 200, ttlMs: 1_000, pollMs: 1_000 },
      recover: (runs) => { recovered.push(...runs); return []; }, log: () => undefined,
    });
    try {
      const slot = Date.now();
      const claimed = claims.claim({
        run: { id: 'r1', taskId: 't', trigger: 'schedule', status: 'queued', attempt: 1, queuedAt: slot, scheduledFor: slot, occurrence: `slot:${slot}` },
        priority: 'normal', overlap: 'skip', exclusive: true,
      });
      await sleep(300);
      assert.deepStrictEqual(await sql(url, "SELECT status FROM task_scheduler.runs WHERE id = 'r1'"), [{ status: 'running' }], 'the claim has not committed yet: the test proves nothing');
      await reaper.sweep();
      assert.deepStrictEqual(await claimed, { granted: true });
      assert.deepStrictEqual(recovered.map((r) => r.id), [], 'the reaper recovered a run that runs here');
      assert.deepStrictEqual(await sql(url, "SELECT status FROM task_scheduler.runs WHERE id = 'r1'"), [{ status: 'running' }]);
    } finally {
      await db.close();
    }
  });
});
