// The cluster's remaining promises on a real PostgreSQL with real `task-scheduler run` members: actions
// reach the member concerned within 1 s (measured from the call, without any CLI start-up), a rolling
// deploy never leaves the cluster without an executing member, and while PostgreSQL is down runs that
// finish are kept locally and written when it is back, the outage said once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { descendants, killPids, ROOT, type RunProcess } from '../chaos/procs';
import { clusterFolder, member, runsOf, sendTo, TEST_TIMINGS, until, type ClusterFolder } from './helpers/clusterMembers';
import { loadCluster } from '../../src/core/clusterChunk';
import { clusterTimingsFromEnv } from '../../src/core/cluster/timings';
import type { InboxAction } from '../../src/core/service/inbox';
import { runtimeFromDist } from '../../src/core/workspace/runtime';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('cluster: actions, rolling deploys, PostgreSQL down', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let url: string;
  const started: RunProcess[] = [];
  const start = (f: ClusterFolder, n: number, ws?: string) => { const m = member(f, n, ws); started.push(m); return m; };

  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('cluster_semantics');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const m of started) console.log(`--- member ${m.pid}\n${m.out}`);
    for (const m of started.splice(0)) {
      const kids = descendants(m.pid);
      await m.stop('SIGTERM', 15_000);
      killPids(kids);
    }
  });
  after(async () => { await pg?.stop(); });

  it('actions reach the member concerned within 1 s (run now, cancel, pause, resume, pause all, resume all)', async () => {
    const f = clusterFolder(url, 'acts', {
      '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  tick: { command: "echo t", schedule: "every second" }\n  long: { command: "sleep 30" }\n',
    });
    // The default poll (2 s): only the notification can bring an action within 1 s.
    f.env.TASK_SCHEDULER_CLUSTER_POLL_MS = '2000';
    const members = [start(f, 1), start(f, 2)];
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    // What the CLI holds after its start-up: a connected, view-only service; from here on only the action counts.
    const { ClusterService } = loadCluster();
    const env = { ...process.env, ...TEST_TIMINGS };
    const viewer = new ClusterService({
      folder: f.ws, runtime: runtimeFromDist(path.join(ROOT, 'dist')), ownerLabel: 'latency probe', dataDir: path.join(f.base, 'probe'),
      store: { url, name: f.name }, version: 'test', timings: clusterTimingsFromEnv(env), viewOnly: true,
    });
    await viewer.start();
    const took: Record<string, number[]> = {};
    const note = (what: string, ms: number) => (took[what] ??= []).push(ms);
    /** Sends `a` and waits until every member in `at` printed `line`: the time until the last one did. */
    const reach = async (a: InboxAction, line: RegExp, at: RunProcess[]) => {
      const from = at.map((m) => m.out.length);
      const t0 = Date.now();
      const answer = await viewer.act(a);
      await Promise.all(at.map((m, i) => m.waitFor(line, 5_000, from[i])));
      return { ms: Date.now() - t0, answer };
    };
    try {
      for (let round = 0; round < 3; round++) {
        const t0 = Date.now();
        const runId = String(await viewer.act({ action: 'runNow', taskId: 'long' }));
        const run = await until('long to start', 5_000, async () => (await runsOf(f)).find((r) => r.id === runId && r.started_at));
        note('run now → started', Number(run.started_at) - t0);
        const runner = members.find((m) => m.pid === Number(run.member?.split(':')[1]))!;
        const c = await reach({ action: 'cancel', id: runId }, /✗ long cancelled/, [runner]);
        note('cancel → ended on its member', c.ms);
        note('pause → every member', (await reach({ action: 'pause', taskId: 'tick' }, /⏸ tick paused/, members)).ms);
        note('resume → every member', (await reach({ action: 'resume', taskId: 'tick' }, /⏵ tick resumed/, members)).ms);
        note('pause all → every member', (await reach({ action: 'pauseAll' }, /⏸ all tasks paused/, members)).ms);
        note('resume all → every member', (await reach({ action: 'resumeAll' }, /⏵ all tasks resumed/, members)).ms);
      }
    } finally {
      await viewer.stop();
    }
    console.log(`      ${Object.entries(took).map(([k, v]) => `${k}: median ${median(v)} ms, max ${Math.max(...v)} ms`).join('\n      ')}`);
    for (const [what, ms] of Object.entries(took)) assert.ok(Math.max(...ms) < 1_000, `${what} took ${Math.max(...ms)} ms`);
  });

  it('a rolling deploy (members replaced one by one by new definitions) never leaves the cluster without an executing member', async () => {
    const yaml = (v: string) => `concurrency: 10\nSTORE\njobs:\n  tick: { command: "echo ${v}", schedule: "every second", overlap: allow }\n`;
    const f = clusterFolder(url, 'deploy', { '.scheduler.yaml': yaml('v1') });
    const v2 = clusterFolder(url, 'deploy', { '.scheduler.yaml': yaml('v2') });
    const old = [start(f, 1), start(f, 2)];
    await Promise.all(old.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    const t0 = Date.now();
    // Member 1 is replaced: its successor stands by (member 2 still runs v1) …
    await old[0].stop('SIGTERM', 15_000);
    const new1 = start(f, 3, v2.ws);
    await new1.waitFor(/standing by: its task definitions differ .*tick/, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    // … then member 2: the new definitions take over.
    await old[1].stop('SIGTERM', 15_000);
    const new2 = start(f, 4, v2.ws);
    await Promise.all([new1, new2].map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    await new Promise((r) => setTimeout(r, 2_500));
    const t1 = Date.now();
    const slots = (await runsOf(f)).filter((r) => r.occurrence?.startsWith('slot:') && Number(r.scheduled_for) >= t0 && Number(r.scheduled_for) <= t1 - 1_000);
    const missed = slots.filter((r) => r.status !== 'succeeded');
    assert.deepStrictEqual(missed.map((r) => `${r.status} ${new Date(Number(r.scheduled_for)).toISOString()} ${r.error}`), [], 'slots not run during the deploy');
    const times = slots.map((r) => Number(r.scheduled_for)).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) assert.strictEqual(times[i] - times[i - 1], 1_000, `no run for the slot after ${new Date(times[i - 1]).toISOString()}`);
    const late = slots.map((r) => Number(r.started_at) - Number(r.scheduled_for));
    console.log(`      rolling deploy: ${slots.length} slots in ${Math.round((t1 - t0) / 1000)} s, each run once; start lateness max ${Math.max(...late)} ms`);
    assert.ok(Math.max(...late) < 1_000, `a slot started ${Math.max(...late)} ms late: no member executed meanwhile`);
  });

  it('PostgreSQL down: no run starts, runs that finish are kept locally and written when it is back, said once', async () => {
    const f = clusterFolder(url, 'outage', {
      '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  slow: { command: "sleep 2; echo done", overlap: allow }\n  tick: { command: "echo t", schedule: "every second" }\n',
    });
    const members = [start(f, 1), start(f, 2)];
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    for (const m of members) await sendTo(f, m.pid, { action: 'runNow', taskId: 'slow' });
    const running = await until('a slow run on each member', 10_000, async () => {
      const runs = (await runsOf(f)).filter((r) => r.task_id === 'slow' && r.status === 'running');
      return new Set(runs.map((r) => r.member)).size === 2 ? runs : undefined;
    });
    const downAt = Date.now();
    await pg.stopForNow();
    await new Promise((r) => setTimeout(r, 4_000)); // both runs end meanwhile
    await pg.startAgain();
    const upAt = Date.now();
    const stored = await until('the kept records to be written', 20_000, async () => {
      const runs = (await runsOf(f)).filter((r) => running.some((x) => x.id === r.id));
      return runs.every((r) => r.status === 'succeeded') ? runs : undefined;
    });
    const writtenAfter = Date.now() - upAt;
    assert.ok(stored.every((r) => Number(r.ended_at) > downAt && Number(r.ended_at) < upAt), 'the runs did not end during the outage');
    const startedMeanwhile = (await runsOf(f)).filter((r) => Number(r.started_at) > downAt + 100 && Number(r.started_at) < upAt);
    assert.deepStrictEqual(startedMeanwhile.map((r) => r.task_id), [], 'runs started without a claim');
    await new Promise((r) => setTimeout(r, 1_500));
    for (const [n, m] of members.entries()) {
      assert.strictEqual((m.out.match(/is unreachable/g) ?? []).length, 1, `member ${n + 1} said the outage ${(m.out.match(/is unreachable/g) ?? []).length} times`);
      assert.strictEqual((m.out.match(/is reachable again/g) ?? []).length, 1, `member ${n + 1} said the end of the outage other than once`);
      const home = path.join(f.base, `home-${n + 1}`);
      const journals = (fs.readdirSync(home, { recursive: true }) as string[]).filter((p) => p.endsWith('cluster-journal.jsonl'));
      assert.ok(journals.length, `member ${n + 1} kept nothing locally`);
      for (const j of journals) assert.strictEqual(fs.readFileSync(path.join(home, j), 'utf8'), '', `${j} still holds records`);
    }
    console.log(`      outage of ${Math.round((upAt - downAt) / 100) / 10} s: ${stored.length} runs that ended meanwhile were written ${writtenAfter} ms after PostgreSQL was back`);
  });
});
