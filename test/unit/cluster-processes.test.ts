// The cluster on a real PostgreSQL (test/pg/server.ts) with real `task-scheduler run` members: each slot
// once across members, a member killed (-9) or frozen (SIGSTOP) past its lease, actions, differing
// definitions, and a Postgres restart. Short timings via the environment (helpers/clusterMembers.ts).
import * as assert from 'assert';
import { startPostgres, type PgServer } from '../pg/server';
import { cli, descendants, killPids, type RunProcess } from '../chaos/procs';
import { clusterFolder, member, runsOf, sql, until, type ClusterFolder } from './helpers/clusterMembers';

const pidOf = (memberId: string | null) => Number(memberId?.split(':')[1]);

describe('cluster: members on PostgreSQL', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let url: string;
  const started: RunProcess[] = [];
  const start = (f: ClusterFolder, n: number, ws?: string) => { const m = member(f, n, ws); started.push(m); return m; };

  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('cluster_members');
  });
  afterEach(async () => {
    for (const m of started.splice(0)) {
      const kids = descendants(m.pid);
      try { process.kill(m.pid, 'SIGCONT'); } catch { /* gone */ }
      await m.stop('SIGTERM', 15_000);
      killPids(kids);
    }
  });
  after(async () => { await pg?.stop(); });

  it('runs each 1-second slot exactly once across three members, spread over them', async () => {
    const f = clusterFolder(url, 'once', {
      '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  a: { command: "echo a", schedule: "every second" }\n  b: { command: "echo b", schedule: "every second", overlap: allow }\n',
    });
    const members = [start(f, 1), start(f, 2), start(f, 3)];
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    await new Promise((r) => setTimeout(r, 8_000));
    const runs = (await runsOf(f)).filter((r) => r.occurrence?.startsWith('slot:') && r.status !== 'missed');
    const seen = new Map<string, number>();
    for (const r of runs) seen.set(`${r.task_id}|${r.occurrence}`, (seen.get(`${r.task_id}|${r.occurrence}`) ?? 0) + 1);
    assert.ok(runs.length >= 12, `only ${runs.length} slot runs in 8 s`);
    assert.deepStrictEqual([...seen].filter(([, n]) => n > 1), [], 'a slot ran twice');
    const ran = runs.filter((r) => r.status === 'succeeded');
    assert.ok(ran.length >= 12, `only ${ran.length} succeeded`);
    assert.ok(new Set(ran.map((r) => r.member)).size >= 2, 'the work did not spread over members');
    // Each slot in the window ran (none lost between members): consecutive seconds for task a.
    const slots = ran.filter((r) => r.task_id === 'a').map((r) => Number(r.scheduled_for)).sort((x, y) => x - y);
    for (let i = 1; i < slots.length; i++) assert.strictEqual(slots[i] - slots[i - 1], 1000, `slot gap at ${new Date(slots[i]).toISOString()}`);
  });

  it('a member killed -9: its run is interrupted and retried within 10 s, its slots taken over within 5 s', async () => {
    const f = clusterFolder(url, 'kill', {
      '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  tick: { command: "echo t", schedule: "every second" }\n'
        + '  slow: { command: "sleep 20", retries: { max: 1, delay: 1s, jitter: false } }\n',
    });
    const members = [start(f, 1), start(f, 2)];
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    const asked = await cli(f, ['run-now', 'slow']);
    assert.strictEqual(asked.code, 0, asked.stderr);
    const first = await until('slow to start', 10_000, async () => (await runsOf(f)).find((r) => r.task_id === 'slow' && r.status === 'running'));
    const victim = members.find((m) => m.pid === pidOf(first.member))!;
    assert.ok(victim, `no member with pid ${pidOf(first.member)}`);
    const kids = descendants(victim.pid);
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    killPids(kids);
    const retry = await until('the retry to start', 15_000, async () => (await runsOf(f)).find((r) => r.task_id === 'slow' && r.attempt === 2 && r.started_at));
    const interrupted = (await runsOf(f)).find((r) => r.id === first.id)!;
    assert.strictEqual(interrupted.status, 'interrupted');
    const retryAfter = Number(retry.started_at) - killedAt;
    const tickAfter = await until('a tick after the kill', 10_000, async () => {
      const t = (await runsOf(f)).filter((r) => r.task_id === 'tick' && Number(r.started_at) > killedAt && pidOf(r.member) !== victim.pid);
      return t.length ? Number(t[0].started_at) - killedAt : undefined;
    });
    console.log(`      kill -9: interrupted and retried after ${retryAfter} ms; next slot elsewhere after ${tickAfter} ms`);
    assert.ok(retryAfter <= 10_000, `retried after ${retryAfter} ms`);
    assert.ok(tickAfter <= 5_000, `taken over after ${tickAfter} ms`);
  });

  it('a member frozen past its lease (SIGSTOP) cannot write when it wakes: refused and counted', async () => {
    const f = clusterFolder(url, 'freeze', {
      '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  slow: { command: "sleep 3" }\n',
    });
    const members = [start(f, 1), start(f, 2)];
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    assert.strictEqual((await cli(f, ['run-now', 'slow'])).code, 0);
    const run = await until('slow to start', 10_000, async () => (await runsOf(f)).find((r) => r.task_id === 'slow' && r.status === 'running'));
    const frozen = members.find((m) => m.pid === pidOf(run.member))!;
    process.kill(frozen.pid, 'SIGSTOP');
    await until('the frozen member\'s run to be interrupted', 10_000, async () => (await runsOf(f)).find((r) => r.id === run.id && r.status === 'interrupted'));
    await new Promise((r) => setTimeout(r, 3_500)); // its `sleep 3` ends while it is frozen
    process.kill(frozen.pid, 'SIGCONT');
    await frozen.waitFor(/stale write refused/, 15_000);
    const after = (await runsOf(f)).find((r) => r.id === run.id)!;
    assert.strictEqual(after.status, 'interrupted', 'the frozen member overwrote the interrupted run');
    const status = await until('the count in status', 10_000, async () => {
      const s = await cli(f, ['status', '--json']);
      const n = JSON.parse(s.stdout).cluster.staleWritesRefused as number;
      return n > 0 ? n : undefined;
    });
    assert.ok(status >= 1);
  });

  it('actions from the CLI reach the members: run now, pause, resume, cancel (bare latency: cluster-semantics.test.ts)', async () => {
    const f = clusterFolder(url, 'actions', {
      '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  tick: { command: "echo t", schedule: "every second" }\n  once: { command: "sleep 10" }\n',
    });
    const members = [start(f, 1), start(f, 2)];
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    const t0 = Date.now();
    assert.strictEqual((await cli(f, ['run-now', 'once'])).code, 0);
    const run = await until('the run', 5_000, async () => (await runsOf(f)).find((r) => r.task_id === 'once' && r.started_at));
    const cancelled = await cli(f, ['cancel', run.id]);
    assert.strictEqual(cancelled.code, 0, cancelled.stderr);
    await until('the cancel', 3_000, async () => (await runsOf(f)).find((r) => r.id === run.id && r.status === 'cancelled'));
    assert.strictEqual((await cli(f, ['pause', 'tick'])).code, 0);
    const pausedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3_000));
    const late = (await runsOf(f)).filter((r) => r.task_id === 'tick' && r.status !== 'skipped' && Number(r.started_at) > pausedAt + 1_000);
    assert.deepStrictEqual(late.map((r) => r.occurrence), [], 'tick ran more than 1 s after the pause');
    assert.strictEqual((await cli(f, ['resume', 'tick'])).code, 0);
    const resumedAt = Date.now();
    await until('a tick after resume', 3_000, async () => (await runsOf(f)).find((r) => r.task_id === 'tick' && Number(r.started_at) > resumedAt));
    console.log(`      run-now → started ${Number(run.started_at) - t0} ms (CLI start included)`);
  });

  it('a member with other definitions stands by, names the tasks that differ, and status shows it', async () => {
    const f = clusterFolder(url, 'defs', { '.scheduler.yaml': 'STORE\njobs:\n  a: { command: "echo a", schedule: "every 5 seconds" }\n' });
    const other = clusterFolder(url, 'defs', { '.scheduler.yaml': 'STORE\njobs:\n  a: { command: "echo a", schedule: "every 5 seconds" }\n  extra: { command: "echo x" }\n' });
    const first = start(f, 1);
    await first.waitFor(/executing this workspace's tasks/, 30_000);
    const second = start(f, 2, other.ws);
    await second.waitFor(/standing by: its task definitions differ .*extra/, 30_000);
    const s = JSON.parse((await cli(f, ['status', '--json'])).stdout);
    const m = s.cluster.members.find((x: { pid: number }) => x.pid === second.pid);
    assert.strictEqual(m.definitionsMatch, false);
    assert.match(m.standby, /extra/);
  });

  it('Postgres restarted (immediate): no finished run is lost, nothing stays running', async () => {
    const f = clusterFolder(url, 'restart', { '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  t: { command: "sleep 0.5", schedule: "every second", overlap: allow }\n' });
    const members = [start(f, 1), start(f, 2)];
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    await new Promise((r) => setTimeout(r, 2_500));
    await pg.restartImmediate();
    await new Promise((r) => setTimeout(r, 6_000));
    for (const m of members) await m.stop('SIGTERM', 20_000);
    const printed = members.reduce((n, m) => n + (m.out.match(/✓ t succeeded/g) ?? []).length, 0);
    const runs = await runsOf(f);
    const stored = runs.filter((r) => r.status === 'succeeded').length;
    assert.ok(stored >= printed, `${printed} runs finished but only ${stored} are stored`);
    assert.deepStrictEqual(runs.filter((r) => r.status === 'running').map((r) => r.id), [], 'runs left running');
    assert.ok(members.some((m) => /unreachable/.test(m.out)), 'no member said the database was away');
    const saidTwice = members.filter((m) => (m.out.match(/is unreachable/g) ?? []).length > 2);
    assert.deepStrictEqual(saidTwice.map((m) => m.pid), [], 'a member said it in a loop');
  });

  it('members of different clusters in one database never touch each other\'s tasks', async () => {
    const a = clusterFolder(url, 'left', { '.scheduler.yaml': 'STORE\njobs:\n  same: { command: "echo l", schedule: "every second" }\n' });
    const b = clusterFolder(url, 'right', { '.scheduler.yaml': 'STORE\njobs:\n  same: { command: "echo r", schedule: "every second" }\n' });
    const ms = [start(a, 1), start(b, 1)];
    await Promise.all(ms.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
    await new Promise((r) => setTimeout(r, 3_000));
    const [left, right] = [await runsOf(a), await runsOf(b)];
    assert.ok(left.filter((r) => r.status === 'succeeded').length >= 2 && right.filter((r) => r.status === 'succeeded').length >= 2);
    assert.ok(left.every((r) => pidOf(r.member) === ms[0].pid) && right.every((r) => pidOf(r.member) === ms[1].pid));
    await sql(url, 'SELECT 1');
  });
});
