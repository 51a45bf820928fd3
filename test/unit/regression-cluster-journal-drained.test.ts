// Regression (found by the cluster chaos check): a member's local journal (writes kept while PostgreSQL was
// away) must drain completely. Writes made while it was being replayed were appended behind it and left
// there, and a member started with entries left by its killed predecessor never replayed them: either way
// every later write of that member went to the journal too (it keeps the order), so its runs stayed
// `running` in the database — holding overlap and the cluster's concurrency — until it stopped.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { Db } from '../../src/core/cluster/db';
import { Fence } from '../../src/core/cluster/fence';
import { ClusterHistory } from '../../src/core/cluster/history';
import { LocalJournal, JOURNAL_FILE } from '../../src/core/cluster/journal';
import { ensureCluster, migrate } from '../../src/core/cluster/schema';
import type { PendingJob } from '../../src/core/ports';
import { descendants, killPids, type RunProcess } from '../chaos/procs';
import { clusterFolder, member, runsOf, sql, until } from './helpers/clusterMembers';

const job = (id: string): PendingJob => ({ id, taskId: 't', kind: 'enqueue', dueAt: Date.now() + 3_600_000, attempt: 1, trigger: 'manual', createdAt: Date.now() });

describe('regression: the cluster journal drains', function () {
  this.timeout(90_000);
  let pg: PgServer;
  let url: string;
  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('journal_drain');
  });
  after(async () => { await pg?.stop(); });

  it('writes made while the journal is replayed are written too, and the journal ends empty', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-journal-'));
    const db = new Db({ url, cluster: 'drain', applicationName: 'journal test', log: () => undefined });
    try {
      await migrate(db);
      await ensureCluster(db, 'drain');
      const journal = new LocalJournal(dir);
      for (const id of ['kept-1', 'kept-2', 'kept-3']) journal.append({ op: 'putPending', job: job(id) });
      const history = new ClusterHistory({ db, cluster: 'drain', member: 'm', fence: new Fence(() => undefined), journal, log: () => undefined });
      const replayed = history.replay();
      // While the replay is under way: this write queues behind the kept ones (their order counts).
      const during = history.putPending(job('during'));
      await replayed;
      await during;
      assert.strictEqual(journal.size, 0, `left in the journal: ${fs.readFileSync(journal.file, 'utf8')}`);
      const ids = (await db.query<{ id: string }>("SELECT id FROM task_scheduler.pending WHERE cluster = 'drain' ORDER BY id")).map((r) => r.id);
      assert.deepStrictEqual(ids, ['during', 'kept-1', 'kept-2', 'kept-3']);
      // And the next write goes straight to the database.
      await history.putPending(job('after'));
      assert.strictEqual(journal.size, 0);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a member started with writes its killed predecessor kept writes them, and its own runs reach the database', async () => {
    const f = clusterFolder(url, 'leftover', { '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  t: { command: "echo t", schedule: "every second" }\n' });
    const started: RunProcess[] = [];
    try {
      const first = member(f, 1);
      started.push(first);
      await first.waitFor(/executing this workspace's tasks/, 30_000);
      const kids = descendants(first.pid);
      first.child.kill('SIGKILL');
      await first.exit;
      killPids(kids);
      // What the killed member had kept while the database was away (it could not write it before it died).
      const dataDir = path.join(f.base, 'home-1', 'workspaces', fs.readdirSync(path.join(f.base, 'home-1', 'workspaces'))[0]);
      fs.appendFileSync(path.join(dataDir, JOURNAL_FILE), `${JSON.stringify({ op: 'putPending', job: job('left-by-the-dead') })}\n`);
      const second = member(f, 1);
      started.push(second);
      await second.waitFor(/executing this workspace's tasks/, 30_000);
      await until('the kept write in the database', 10_000, async () => (await sql(url, "SELECT 1 FROM task_scheduler.pending WHERE cluster = 'leftover' AND id = 'left-by-the-dead'")).length > 0);
      const since = Date.now();
      await until('a run of the new member succeeded in the database', 30_000, async () => (await runsOf(f)).some((r) => r.status === 'succeeded'
        && Number(r.member?.split(':')[1]) === second.pid && Number(r.started_at) > since));
    } finally {
      for (const m of started) await m.stop('SIGTERM', 15_000);
    }
  });
});
