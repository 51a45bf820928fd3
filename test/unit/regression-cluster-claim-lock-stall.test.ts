// Regression (found by the cluster chaos check): claims are serialized by one row lock per cluster, which
// a claim held across its round trips to the database. A member frozen or cut off in the middle of one
// kept holding it; the other members' claims queued behind it, each holding a pooled connection, until
// their pools ran dry and their heartbeats could not be written: nobody could declare the frozen member
// dead, and then they declared each other dead. (Under plain CPU load the same lock, held while a busy
// member's process waited for its turn, made 1-second slots late and skipped.) Now a claim is one round
// trip: the lock lives only inside the server, whatever happens to the member.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { ClusterClaims } from '../../src/core/cluster/claims';
import { Db } from '../../src/core/cluster/db';
import { Fence } from '../../src/core/cluster/fence';
import { ensureCluster, migrate } from '../../src/core/cluster/schema';
import type { ClaimDecision } from '../../src/core/ports';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FREEZES = 8;
/** Five claims take milliseconds; behind a frozen lock holder they wait as long as it stays frozen. */
const LIMIT_MS = 1_500;

describe('regression: a member frozen in the middle of a claim does not stall the others', function () {
  this.timeout(90_000);
  let pg: PgServer;
  let url: string;
  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('claim_stall');
  });
  after(async () => { await pg?.stop(); });

  it(`${FREEZES} freezes of a member that claims without pause: the others' claims go on each time`, async () => {
    const db = new Db({ url, cluster: 'stall', applicationName: 'other member', log: () => undefined });
    await migrate(db);
    await ensureCluster(db, 'stall');
    const loop = spawn(process.execPath, ['-r', path.join(__dirname, '../register.js'), path.join(__dirname, 'helpers/claimLoop.ts'), url, 'stall'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        loop.stdout!.on('data', (d) => { if (/claiming: \{"granted":true/.test(String(d))) resolve(); });
        loop.once('exit', (code) => reject(new Error(`the claiming member exited with ${code}`)));
      });
      const claims = new ClusterClaims({
        db, cluster: 'stall', member: 'other', fence: new Fence(() => undefined), rank: () => 0, concurrency: () => 1_000_000, active: () => true,
        cancelElsewhere: () => undefined, memberLimit: () => 100, pollMs: 1000, log: () => undefined,
      });
      const waits: number[] = [];
      for (let f = 0; f < FREEZES; f++) {
        await sleep(50 + Math.random() * 100);
        process.kill(loop.pid!, 'SIGSTOP');
        const t0 = Date.now();
        const batch = Promise.all([0, 1, 2, 3, 4].map((i) => claims.claim({
          run: { id: `other-${f}-${i}`, taskId: `other-${i}`, trigger: 'schedule', status: 'queued', attempt: 1, queuedAt: f, scheduledFor: f, occurrence: `slot:${f}` },
          priority: 'normal', overlap: 'allow', exclusive: false,
        }) as Promise<ClaimDecision>));
        const done = await Promise.race([batch.then(() => true), sleep(LIMIT_MS * 2).then(() => false)]);
        waits.push(done ? Date.now() - t0 : Infinity);
        process.kill(loop.pid!, 'SIGCONT');
        assert.ok((await batch).every((d) => d.granted));
      }
      assert.ok(waits.every((w) => w < LIMIT_MS), `claims while the other member was frozen took ${waits.map((w) => `${w} ms`).join(', ')}`);
    } finally {
      try { process.kill(loop.pid!, 'SIGCONT'); } catch { /* gone */ }
      loop.kill('SIGKILL');
      await db.close();
    }
  });
});
