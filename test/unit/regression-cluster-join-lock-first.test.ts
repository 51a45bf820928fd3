// Regression (found by the cluster chaos check): a joining member inserted its row before it held its
// advisory lock (its death notice). When connecting its session took longer than two heartbeats (three
// members starting at once on a busy machine), the others' reapers found the row with its lock free and
// declared the new member dead: its sessions terminated, its first runs interrupted. Now the lock comes first.
import * as assert from 'assert';
import { startPostgres, type PgServer } from '../pg/server';
import { Db } from '../../src/core/cluster/db';
import { Membership } from '../../src/core/cluster/membership';
import { ensureCluster, migrate } from '../../src/core/cluster/schema';
import { leaseOwner } from '../../src/core/lease';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('regression: a joining member holds its lock before its row is seen', function () {
  this.timeout(60_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  it('while its session connects slowly, no row of it is seen with its lock free', async () => {
    const url = await pg.createDatabase('join_lock');
    const log = () => undefined;
    const db = new Db({ url, cluster: 'join', applicationName: 'joining member', log });
    const watcher = new Db({ url, cluster: 'join', applicationName: 'watcher', log });
    await migrate(db);
    await ensureCluster(db, 'join');
    // A slow connect (CPU-starved SCRAM, a slow network).
    const hold = db.holdSession.bind(db);
    db.holdSession = async (setup) => { await sleep(1_500); return hold(setup); };
    const membership = new Membership({
      db, cluster: 'join', owner: leaseOwner('joining'), version: 'test', timings: { heartbeatMs: 200, ttlMs: 1_000, pollMs: 1_000 }, log,
      figures: () => ({ running: 0, staleWrites: 0 }), afterBeat: async () => undefined,
    });
    try {
      const joined = membership.tryAcquire();
      const seenFree: number[] = [];
      let done = false;
      void joined.finally(() => { done = true; });
      while (!done) {
        // As a reaper asks (reaper.ts): is the member's lock free?
        const rows = await watcher.query<{ free: boolean }>(`SELECT pg_try_advisory_xact_lock($1, lock_key) AS free FROM task_scheduler.members WHERE cluster = 'join'`, [watcher.lockClass]);
        if (rows.some((r) => r.free)) seenFree.push(Date.now());
        await sleep(50);
      }
      assert.strictEqual(await joined, true);
      assert.deepStrictEqual(seenFree, [], 'the member row was seen with its lock free');
    } finally {
      await membership.release();
      await db.close();
      await watcher.close();
    }
  });
});
