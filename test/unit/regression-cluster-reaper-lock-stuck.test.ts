// Regression (found by the cluster chaos check): one reaper at a time holds the reaper lock. A member cut
// off (or frozen) in the middle of a recovery kept it until its session ended; the other members' reapers
// queued behind it for ten seconds (the query timeout), so nobody declared the stuck member dead, and its
// runs (and those of the member it was recovering) stayed `running`. Now a reaper waits REAPER_LOCK_WAIT_MS
// and goes on looking, which is how the stuck member is found dead and its session ended.
import * as assert from 'assert';
import { Client } from 'pg';
import { startPostgres, type PgServer } from '../pg/server';
import { Fence } from '../../src/core/cluster/fence';
import { applicationName, Reaper, REAPER_LOCK_WAIT_MS } from '../../src/core/cluster/reaper';
import { migratedCluster } from './helpers/clusterDb';
import { sql } from './helpers/clusterMembers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('regression: a reaper stuck with the reaper lock does not stop the others', function () {
  this.timeout(60_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  it('the stuck member is found dead and its session ended; the member it left is recovered too', async () => {
    const { url, db } = await migratedCluster(pg, 'reaper_stuck', 'stuck', applicationName('me'));
    const member = (id: string, key: number, heartbeatAgo: string) => sql(url, `INSERT INTO task_scheduler.members (cluster, id, label, host, pid, version, lock_key, definitions, heartbeat_at)
      VALUES ('stuck', $1, $1, 'h', 1, 't', $2, 'd', now() - $3::interval)`, [id, key, heartbeatAgo]);
    await member('gone', 7001, '1 minute'); // dead: no heartbeat, lock free
    await member('stuck', 7002, '0 seconds'); // alive so far, and in the middle of a recovery
    const stuck = new Client({ connectionString: url, application_name: applicationName('stuck') });
    stuck.on('error', () => undefined); // its session is ended below, as it should be
    await stuck.connect();
    await stuck.query('SELECT pg_advisory_lock($1, 7002)', [db.lockClass]);
    await stuck.query('BEGIN');
    await stuck.query('SELECT pg_advisory_xact_lock($1, 0)', [db.lockClass]);
    const reaper = new Reaper({
      db, cluster: 'stuck', member: 'me', fence: new Fence(() => undefined), timings: { heartbeatMs: 200, ttlMs: 1_000, pollMs: 1_000 },
      recover: () => [], log: () => undefined,
    });
    try {
      const sweeps: number[] = [];
      const t0 = Date.now();
      let left = 2;
      while (left > 0 && Date.now() - t0 < 15_000) {
        const s0 = Date.now();
        await reaper.sweep().catch(() => undefined);
        sweeps.push(Date.now() - s0);
        left = (await sql(url, "SELECT 1 FROM task_scheduler.members WHERE cluster = 'stuck'")).length;
        await sleep(200);
      }
      assert.strictEqual(left, 0, `members left after ${Date.now() - t0} ms (sweeps took ${sweeps.join(', ')} ms)`);
      assert.ok(Math.max(...sweeps) < REAPER_LOCK_WAIT_MS + 1_000, `a sweep took ${Math.max(...sweeps)} ms`);
    } finally {
      await stuck.end().catch(() => undefined);
      await db.close();
    }
  });
});
