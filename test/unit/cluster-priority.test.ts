// Priorities across members (src/core/cluster/README.md "Priorities across members"): with the cluster's
// one place taken, a background run waiting on one member and a critical run waiting on another — the
// critical one due later — the critical one starts first, every round, whoever holds which run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { descendants, killPids, type RunProcess } from '../chaos/procs';
import { clusterFolder, member, runsOf, sendTo, sql, until, type ClusterFolder, type RunRow } from './helpers/clusterMembers';

describe('cluster: priorities across members', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let url: string;
  const started: RunProcess[] = [];

  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('cluster_priority');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const m of started) console.log(m.out);
    for (const m of started.splice(0)) {
      const kids = descendants(m.pid);
      await m.stop('SIGTERM', 15_000);
      killPids(kids);
    }
  });
  after(async () => { await pg?.stop(); });


  it('concurrency 1: a critical run waiting on one member starts before a background run due earlier on another', async () => {
    const f: ClusterFolder = clusterFolder(url, 'prio', {
      // block holds the one place until the test releases it (a file beside the folder), however slow the machine.
      '.scheduler.yaml': 'concurrency: 1\nSTORE\njobs:\n  block: { command: "while [ ! -e ../release-block ]; do sleep 0.05; done; rm -f ../release-block", overlap: allow }\n'
        + '  low: { command: "echo low", priority: background, overlap: allow }\n  high: { command: "echo high", priority: critical, overlap: allow }\n',
    });
    const members = [0, 1, 2].map((n) => { const m = member(f, n); started.push(m); return m; });
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    const waitingRow = (task: string) => until(`${task} to wait for a place`, 10_000, async () =>
      (await sql(url, 'SELECT 1 FROM task_scheduler.waiting WHERE cluster = $1 AND task_id = $2', [f.name, task])).length > 0 || undefined);
    // [who runs block, who holds low, who holds high]; the last round puts low beside block, whose
    // member asks for it the moment block ends (before any notification reaches the others).
    const rounds = [[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 0, 1]];
    const lines: string[] = [];
    for (let i = 0; i < rounds.length; i++) {
      const [b, lo, hi] = rounds[i];
      const before = new Set((await runsOf(f)).map((r) => r.id));
      const fresh = async () => (await runsOf(f)).filter((r) => !before.has(r.id));
      await sendTo(f, members[b].pid, { action: 'runNow', taskId: 'block' });
      const block = await until('block to run', 10_000, async () => (await fresh()).find((r) => r.task_id === 'block' && r.status === 'running'));
      await sendTo(f, members[lo].pid, { action: 'runNow', taskId: 'low' });
      if (lo !== b) await waitingRow('low');
      else await new Promise((r) => setTimeout(r, 200));
      await sendTo(f, members[hi].pid, { action: 'runNow', taskId: 'high' });
      await waitingRow('high');
      assert.ok((await fresh()).some((r) => r.id === block.id && r.status === 'running'), `round ${i + 1}: block still holds the place`);
      fs.writeFileSync(path.join(f.base, 'release-block'), '');
      const done = await until('both to run', 20_000, async () => {
        const runs = await fresh();
        const got = (t: string) => runs.find((r) => r.task_id === t && r.status === 'succeeded');
        return got('low') && got('high') && got('block') ? { low: got('low')!, high: got('high')!, block: got('block')! } : undefined;
      });
      const at = (r: RunRow, k: 'started_at' | 'ended_at' | 'scheduled_for') => Number(r[k]);
      assert.ok(at(done.low, 'scheduled_for') < at(done.high, 'scheduled_for'), `round ${i + 1}: low was not due first`);
      assert.ok(at(done.high, 'started_at') < at(done.low, 'started_at'),
        `round ${i + 1}: the background run (member ${lo}) started ${at(done.high, 'started_at') - at(done.low, 'started_at')} ms before the critical one (member ${hi})`);
      lines.push(`round ${i + 1}: high started ${at(done.high, 'started_at') - at(done.block, 'ended_at')} ms after block ended, low ${at(done.low, 'started_at') - at(done.high, 'ended_at')} ms after high ended`);
      await until('nothing to wait', 5_000, async () => (await sql(url, 'SELECT 1 FROM task_scheduler.waiting WHERE cluster = $1', [f.name])).length === 0 || undefined);
    }
    console.log(`      ${lines.join('\n      ')}`);
  });
});
