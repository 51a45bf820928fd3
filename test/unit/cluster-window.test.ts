// A window onto a cluster (src/core/cluster/window.ts) on a real PostgreSQL with two real `task-scheduler
// run` members: it lists the cluster's tasks with who ran what, hears a run end by NOTIFY (no polling),
// keeps one connection per database for every folder, costs no query while nothing happens, sends
// actions that the members obey, sees a member killed -9 as gone, and joins and leaves as a member.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PG_PASSWORD, startPostgres, type PgServer } from '../pg/server';
import { descendants, killPids, ROOT, type RunProcess } from '../chaos/procs';
import { clusterFolder, member, runsOf, sql, until, type ClusterFolder } from './helpers/clusterMembers';
import { loadCluster } from '../../src/core/clusterChunk';
import type { Connections } from '../../src/core/cluster/connection';
import type { ClusterWindow } from '../../src/core/cluster/window';
import type { ServiceEvent } from '../../src/core/service/workspaceService';
import { runtimeFromDist } from '../../src/core/workspace/runtime';

const APP = 'task-scheduler window test';
const TIMINGS = { heartbeatMs: 300, ttlMs: 1_500, pollMs: 1_000 };
const CONFIG = 'concurrency: 10\nSTORE\njobs:\n  tick: { command: "echo tick", schedule: "every second" }\n  hello: { command: "sleep 0.3; echo hello-from-member" }\n';

describe('cluster: a window onto it', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let url: string;
  let f: ClusterFolder;
  const members: RunProcess[] = [];
  const windows: ClusterWindow[] = [];
  let connections: Connections;

  const cluster = loadCluster();
  const open = async (folder = f.ws, env: NodeJS.ProcessEnv = f.env, secrets: Record<string, string> = {}) => {
    const w = new cluster.ClusterWindow({
      folder, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ts-window-')), runtime: runtimeFromDist(path.join(ROOT, 'dist')),
      ownerLabel: `test window (pid ${process.pid})`, version: '0.0.0-test', connections, timings: TIMINGS,
      credentials: { env, secret: async (k) => secrets[k] },
    });
    windows.push(w);
    await w.start();
    return w;
  };
  const windowSessions = async () => Number((await sql<{ n: number }>(pg.url, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [APP]))[0].n);

  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('cluster_window');
    f = clusterFolder(url, 'win', { '.scheduler.yaml': CONFIG });
    members.push(member(f, 1), member(f, 2));
    await Promise.all(members.map((m) => m.waitFor(/executing this workspace's tasks/, 30_000)));
  });
  beforeEach(() => { connections = new cluster.Connections({ applicationName: APP }); });
  afterEach(async () => {
    for (const w of windows.splice(0)) await w.stop();
    await connections.closeAll();
  });
  after(async () => {
    for (const m of members) {
      const kids = descendants(m.pid);
      await m.stop('SIGTERM', 15_000);
      killPids(kids);
    }
    await pg?.stop();
  });

  it('lists the cluster\'s tasks with their last run and who ran it, and hears each run end by NOTIFY', async () => {
    const w = await open();
    assert.strictEqual(w.info().status, 'up', w.info().problem);
    const tick = await until('tick to show a last run', 10_000, async () => (await w.tasks()).find((t) => t.id === 'tick' && t.lastRun));
    assert.strictEqual(tick.lastRun!.status, 'succeeded');
    const ids = new Set(members.map((m) => m.pid));
    const run = await w.queries().getRun(tick.lastRun!.id);
    assert.ok(run?.executor && ids.has(Number(run.executor.split(':')[1])), `ran by ${run?.executor}`);
    // A run's end arrives by NOTIFY: with nothing else running (tick paused), each end is seen at once.
    await w.act({ action: 'pause', taskId: 'tick' });
    const lags: number[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const { result } = await w.dispatch({ action: 'runNow', taskId: 'hello' });
        const ended = await new Promise<number>((resolve, reject) => {
          const t = setTimeout(() => { off(); reject(new Error(`run ${String(result)}: no run-finished within 5 s`)); }, 5_000);
          const off = w.onEvent((e: ServiceEvent) => { if (e.type === 'run-finished' && e.run.id === result) { clearTimeout(t); off(); resolve(Date.now() - (e.run.endedAt ?? 0)); } });
        });
        lags.push(ended);
      }
    } finally {
      await w.act({ action: 'resume', taskId: 'tick' });
    }
    console.log(`      run end → window: ${lags.map((l) => `${l} ms`).join(', ')}`);
    assert.ok(Math.max(...lags) < 500, `lags ${lags.join(', ')}`);
    assert.ok(w.info().members.filter((m) => m.state === 'active').length === 2, JSON.stringify(w.info().members));
  });

  it('shares one connection per database between folders, and asks nothing while nothing happens', async () => {
    const quiet = clusterFolder(url, 'quiet', { '.scheduler.yaml': 'STORE\njobs:\n  manual: { command: "echo m" }\n' });
    const a = await open();
    const b = await open(quiet.ws, quiet.env);
    assert.strictEqual(b.info().status, 'up', b.info().problem);
    assert.strictEqual(await windowSessions(), 1, 'one session for both folders');
    // The quiet cluster has no member: its window sends no statement in 3 s (no polling).
    const [connection] = connections.list();
    await a.stop();
    const before = connection.queries;
    await new Promise((r) => setTimeout(r, 3_000));
    assert.strictEqual(connection.queries, before, 'statements while idle');
  });

  it('Run Now goes to a member and says which; pause stops the members\' runs of a task', async () => {
    const w = await open();
    const { result, member: where } = await w.dispatch({ action: 'runNow', taskId: 'hello' });
    assert.ok(where && members.some((m) => m.pid === where.pid), `went to ${JSON.stringify(where)}`);
    const done = await until('the run to end', 10_000, async () => { const r = await w.queries().getRun(String(result)); return r?.endedAt ? r : undefined; });
    assert.strictEqual(done.status, 'succeeded');
    assert.match(done.output ?? '', /hello-from-member/, 'the output kept by the cluster');
    // Reset Schedules' dry run is answered by the window itself, from the cluster's last slots.
    const preview = await w.dispatch({ action: 'resetSchedule', taskId: 'tick', dryRun: true });
    const reset = preview.result as { nextRun?: number; lastSlot?: number; changed: boolean };
    assert.strictEqual(preview.member, undefined);
    assert.ok(reset.nextRun && reset.nextRun > Date.now() - 1_000 && reset.lastSlot && !reset.changed, JSON.stringify(reset));
    const manual = (await w.dispatch({ action: 'resetSchedule', taskId: 'hello', dryRun: true })).result as { nextRun?: number };
    assert.strictEqual(manual.nextRun, undefined, 'a manual task follows no schedule');
    await w.act({ action: 'pause', taskId: 'tick' });
    const pausedAt = Date.now();
    await until('tick to show paused', 5_000, async () => (await w.tasks()).find((t) => t.id === 'tick' && t.state === 'paused'));
    await new Promise((r) => setTimeout(r, 3_000));
    const late = (await runsOf(f)).filter((r) => r.task_id === 'tick' && r.status !== 'skipped' && Number(r.started_at) > pausedAt + 1_000);
    assert.deepStrictEqual(late.map((r) => r.occurrence), [], 'tick ran more than 1 s after the pause');
    await w.act({ action: 'resume', taskId: 'tick' });
  });

  it('joins as a member that runs slots, and leaves cleanly', async () => {
    const w = await open();
    await w.join();
    const id = w.info().memberId!;
    await until('the window to execute', 15_000, async () => w.info().memberRole === 'executor' || undefined);
    await until('a tick run by the window', 20_000, async () => (await runsOf(f)).find((r) => r.member === id && r.task_id === 'tick' && r.status === 'succeeded'));
    await until('three members in the list', 10_000, async () => w.info().members.filter((m) => m.state === 'active').length === 3 || undefined);
    await w.leave();
    const rows = await sql(url, 'SELECT id FROM task_scheduler.members WHERE cluster = $1 AND id = $2', ['win', id]);
    assert.deepStrictEqual(rows, [], 'its member row is gone');
    assert.strictEqual(w.info().joined, false);
  });

  it('no password, a wrong one: a clear failure that names the fix; the stored password then connects', async () => {
    const bare = url.replace(/:[^:@/]+@/, '@');
    const key = `taskScheduler.cluster.password.${bare.replace(/^postgres:\/\//, '')}`;
    const secrets: Record<string, string> = {};
    const f2 = clusterFolder(bare, 'pw', { '.scheduler.yaml': CONFIG });
    const w = await open(f2.ws, f2.env, secrets);
    assert.strictEqual(w.info().status, 'failed');
    assert.match(w.info().problem ?? '', /asks for a password and none was given.*Set Database Password/);
    assert.deepStrictEqual(w.info().need, { kind: 'password', database: bare.replace(/^postgres:\/\//, '') });
    secrets[key] = 'not-the-password';
    await w.reconnect();
    assert.strictEqual(w.info().status, 'failed');
    assert.match(w.info().problem ?? '', /refused the login.*Set Database Password/);
    assert.ok(!/not-the-password/.test(w.info().problem ?? ''), 'no password in the message');
    assert.ok((await w.tasks()).some((t) => t.id === 'tick'), 'the tasks still show, from the files');
    secrets[key] = PG_PASSWORD;
    await w.reconnect();
    assert.strictEqual(w.info().status, 'up', w.info().problem);
  });

  it('an unreachable server: down with a retry time; sslmode is honoured', async () => {
    const port = pg.port + 1;
    const gone = clusterFolder(`postgres://postgres@127.0.0.1:${port}/x`, 'down', { '.scheduler.yaml': CONFIG });
    const w = await open(gone.ws, gone.env);
    const info = w.info();
    assert.strictEqual(info.status, 'down', info.problem);
    assert.ok(info.retryAt && info.retryAt > Date.now(), 'a next attempt');
    const ssl = clusterFolder(`${url}?sslmode=verify-full`, 'ssl', { '.scheduler.yaml': CONFIG });
    const s = await open(ssl.ws, ssl.env);
    assert.notStrictEqual(s.info().status, 'up', 'sslmode=verify-full against a server without SSL must not connect');
    assert.match(s.info().problem ?? '', /SSL/i);
  });

  it('a member killed -9 shows as gone within 10 s', async () => {
    const w = await open();
    const stop = w.watchMembers();
    try {
      const victim = members[1];
      await until('both members', 10_000, async () => w.info().members.some((m) => m.pid === victim.pid && m.state === 'active') || undefined);
      const kids = descendants(victim.pid);
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      killPids(kids);
      await until('the killed member gone', 10_000, async () => w.info().members.some((m) => m.pid === victim.pid && m.state === 'gone') || undefined);
      console.log(`      kill -9 → gone in the window after ${Date.now() - killedAt} ms`);
    } finally {
      stop();
    }
  });

  it('PostgreSQL restarted: the window says it is down, reconnects with back-off, and shows new runs again', async () => {
    const w = await open();
    const states: string[] = [];
    w.onEvent((e) => { if (e.type === 'cluster-changed') states.push(w.info().status); });
    await pg.restartImmediate();
    await until('the window to be up again', 30_000, async () => (states.includes('down') && w.info().status === 'up') || undefined);
    const back = Date.now();
    await until('a tick run after the restart', 20_000, async () => (await w.tasks()).find((t) => t.id === 'tick' && (t.lastRun?.endedAt ?? 0) > back));
  });

  it('a database no member has used yet: the window says so, waits without polling, and shows the first member\'s runs', async () => {
    const fresh = await pg.createDatabase('cluster_fresh');
    const f3 = clusterFolder(fresh, 'fresh', { '.scheduler.yaml': CONFIG });
    const w = await open(f3.ws, f3.env);
    assert.strictEqual(w.info().status, 'up');
    assert.match(w.info().problem ?? '', /no member has joined the cluster "fresh" yet/);
    const [connection] = connections.list();
    const before = connection.queries;
    await new Promise((r) => setTimeout(r, 2_000));
    assert.strictEqual(connection.queries, before, 'statements while waiting for a first member');
    const m = member(f3, 1);
    members.push(m);
    await until('the first member\'s tick in the window', 30_000, async () => (await w.tasks()).find((t) => t.id === 'tick' && t.lastRun));
    assert.strictEqual(w.info().problem, undefined);
  });

  it('a cluster of a newer schema is refused with what to do, nothing changed', async () => {
    const newer = await pg.createDatabase('cluster_newer');
    pg.psql('CREATE SCHEMA task_scheduler; CREATE TABLE task_scheduler.meta (key text PRIMARY KEY, value text NOT NULL); '
      + "INSERT INTO task_scheduler.meta VALUES ('product', 'task-scheduler'), ('schema_version', '99')", 'cluster_newer');
    const n = clusterFolder(newer, 'newer', { '.scheduler.yaml': CONFIG });
    const w = await open(n.ws, n.env);
    assert.strictEqual(w.info().status, 'failed');
    assert.match(w.info().problem ?? '', /version 99, newer than .* update the extension/);
  });
});
