// Regression (found by the cluster chaos check): a member frozen or cut off in the middle of a claim holds
// the cluster's claim lock. The other members' claims queued behind it, each holding a pooled connection,
// until their pools ran dry and their heartbeats could not be written: nobody could declare the frozen
// member dead, and then they declared each other dead. Now PostgreSQL ends a claim's session that sits
// idle inside its transaction (claims.ts CLAIM_IDLE_LIMIT_MS), and a member runs few claims at once.
import * as assert from 'assert';
import type { PoolClient } from 'pg';
import { startPostgres, type PgServer } from '../pg/server';
import { CLAIM_IDLE_LIMIT_MS, ClusterClaims } from '../../src/core/cluster/claims';
import { Db } from '../../src/core/cluster/db';
import { Fence } from '../../src/core/cluster/fence';
import { ensureCluster, migrate } from '../../src/core/cluster/schema';
import type { ClaimDecision, ClaimRequest } from '../../src/core/ports';
import { sql } from './helpers/clusterMembers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STALL_MS = 4_000;

function request(taskId: string, slot: number): ClaimRequest {
  return {
    run: { id: `${taskId}-${slot}`, taskId, trigger: 'schedule', status: 'queued', attempt: 1, queuedAt: slot, scheduledFor: slot, occurrence: `slot:${slot}` },
    priority: 'normal', overlap: 'allow', exclusive: false,
  };
}

function claimsOf(db: Db, member: string): ClusterClaims {
  return new ClusterClaims({
    db, cluster: 'stall', member, fence: new Fence(() => undefined), rank: () => 0, concurrency: () => 100, active: () => true,
    cancelElsewhere: () => undefined, log: () => undefined,
  });
}

describe('regression: a member stalled inside a claim does not stall the cluster', function () {
  this.timeout(60_000);
  let pg: PgServer;
  let url: string;
  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('claim_stall');
  });
  after(async () => { await pg?.stop(); });

  it("the others' claims go on within about the idle limit, and the stalled claim is rolled back", async () => {
    const log = () => undefined;
    const frozen = new Db({ url, cluster: 'stall', applicationName: 'frozen member', log });
    const other = new Db({ url, cluster: 'stall', applicationName: 'other member', log });
    try {
      await migrate(other);
      await ensureCluster(other, 'stall');
      // The frozen member stops right after taking the claim lock (as SIGSTOP or a cut link would leave it).
      const tx = frozen.tx.bind(frozen);
      frozen.tx = (<T>(fn: (c: PoolClient) => Promise<T>) => tx((c) => fn(new Proxy(c, {
        get(target, prop) {
          if (prop !== 'query') return Reflect.get(target, prop);
          return async (...args: Parameters<PoolClient['query']>) => {
            const r = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
            if (/FOR UPDATE/.test(String(args[0]))) await sleep(STALL_MS);
            return r;
          };
        },
      })))) as Db['tx'];
      const slot = Date.now();
      const stalled = claimsOf(frozen, 'frozen').claim(request('a', slot)) as Promise<ClaimDecision>;
      await sleep(200);
      const t0 = Date.now();
      const decisions = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => claimsOf(other, 'other').claim(request(`b${n}`, slot)) as Promise<ClaimDecision>));
      const waited = Date.now() - t0;
      assert.ok(decisions.every((d) => d.granted), JSON.stringify(decisions));
      assert.ok(waited < CLAIM_IDLE_LIMIT_MS + 1_500, `the other member's claims waited ${waited} ms for the stalled one`);
      const d = await stalled;
      assert.strictEqual(d.granted, false, 'the stalled claim was granted after its session ended');
      const rows = await sql<{ task_id: string }>(url, "SELECT task_id FROM task_scheduler.runs WHERE cluster = 'stall' ORDER BY task_id");
      assert.deepStrictEqual(rows.map((r) => r.task_id), ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8']);
      // The stall was the member's, not the database's: it does not say PostgreSQL is unreachable.
      assert.strictEqual(frozen.up, true);
    } finally {
      await frozen.close();
      await other.close();
    }
  });
});
