// Regressions (found by the cluster chaos check): a member that recovered a dead member's runs was itself
// declared dead, then crashed. Its heartbeat waited for the recovery (a transaction that waits for the
// engine's writes), which under load took longer than the TTL; the others then terminated its sessions,
// and its transaction's client, checked out of the pool and between two statements, emitted an 'error'
// nobody listened to, which ended the process.
import * as assert from 'assert';
import { startPostgres, type PgServer } from '../pg/server';
import { Db } from '../../src/core/cluster/db';
import { Membership } from '../../src/core/cluster/membership';
import { ensureCluster, migrate } from '../../src/core/cluster/schema';
import { leaseOwner } from '../../src/core/lease';
import { sql } from './helpers/clusterMembers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('regression: a cluster member outlives its own reaper', function () {
  this.timeout(60_000);
  let pg: PgServer;
  let url: string;
  const log = () => undefined;
  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('outlives');
  });
  after(async () => { await pg?.stop(); });

  it("a transaction whose connection is terminated between two statements fails; the process goes on", async () => {
    const db = new Db({ url, cluster: 'tx', applicationName: 'tx test', log });
    try {
      const outcome = await db.tx(async (c) => {
        const [{ pid }] = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
        await sql(url, 'SELECT pg_terminate_backend($1)', [pid]);
        await sleep(500); // the termination arrives while no statement runs (unhandled, it ended the process)
        await c.query('SELECT 1');
      }).then(() => 'committed', (e: Error) => `failed: ${e.message}`);
      assert.match(outcome, /^failed: /);
      assert.deepStrictEqual(await db.query('SELECT 1 AS one'), [{ one: 1 }], 'the pool works after it');
    } finally {
      await db.close();
    }
  });

  it('a recovery that takes longer than the TTL does not hold up the heartbeat', async () => {
    const db = new Db({ url, cluster: 'beat', applicationName: 'beat test', log });
    await migrate(db);
    await ensureCluster(db, 'beat');
    const owner = leaseOwner('beat test');
    let sweeps = 0;
    const membership = new Membership({
      db, cluster: 'beat', owner, version: 'test', timings: { heartbeatMs: 200, ttlMs: 1_000, pollMs: 1_000 }, log,
      figures: () => ({ running: 0, staleWrites: 0 }),
      afterBeat: async () => { sweeps++; await sleep(2_500); },
    });
    try {
      await membership.tryAcquire();
      const beats: number[] = [];
      for (let end = Date.now() + 2_000; Date.now() < end; await sleep(100)) {
        const [row] = await sql<{ at: number }>(url, "SELECT (extract(epoch from heartbeat_at) * 1000)::float8 AS at FROM task_scheduler.members WHERE cluster = 'beat' AND id = $1", [owner.id]);
        if (row && !beats.includes(row.at)) beats.push(row.at);
      }
      assert.ok(beats.length >= 5, `${beats.length} heartbeats in 2 s while the recovery ran`);
      assert.strictEqual(sweeps, 1, 'recoveries ran on top of each other');
    } finally {
      await membership.release();
      await db.close();
    }
  });
});
