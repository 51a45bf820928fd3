// A cluster member writes a task's last slot alone at most every LAST_SLOT_EVERY_MS (history.ts): every
// member follows every slot, and a write per task per second per member saturated its write chain. The
// newest is written by the next save of anything else, or when the member stops.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { Fence } from '../../src/core/cluster/fence';
import { ClusterHistory } from '../../src/core/cluster/history';
import { LocalJournal } from '../../src/core/cluster/journal';
import type { TaskStateRecord } from '../../src/core/ports';
import { migratedCluster } from './helpers/clusterDb';
import { sql } from './helpers/clusterMembers';

describe('cluster: last-slot writes', function () {
  this.timeout(30_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  it('a burst of slots writes the first; the newest is written by the next other change or the flush at stop', async () => {
    const { url, db } = await migratedCluster(pg, 'last_slot', 's');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-slot-'));
    try {
      const h = new ClusterHistory({ db, cluster: 's', member: 'me', fence: new Fence(() => undefined), journal: new LocalJournal(dir), log: () => undefined });
      const state = (lastSlot: number, retryCount = 0): TaskStateRecord => ({
        taskId: 't', name: 't', file: 'f', kind: 'command', paused: false, retryCount, consecutiveFailures: 0, removed: false, updatedAt: lastSlot, lastSlot,
      });
      const stored = async () => (await sql<{ last_slot: string; retry_count: number }>(url, "SELECT last_slot, retry_count FROM task_scheduler.tasks WHERE cluster = 's'"))[0];
      await h.saveTaskState(state(1_000));
      for (const s of [2_000, 3_000, 4_000]) await h.saveTaskState(state(s));
      assert.strictEqual(Number((await stored()).last_slot), 1_000);
      await h.saveTaskState(state(5_000, 1)); // another field changes: written at once, with the newest slot
      assert.deepStrictEqual(await stored(), { last_slot: '5000', retry_count: 1 });
      await h.saveTaskState(state(6_000, 1));
      await h.flush();
      assert.strictEqual(Number((await stored()).last_slot), 6_000);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
