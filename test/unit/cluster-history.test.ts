// `task-scheduler history export` / `import` on a real PostgreSQL: the embedded history of a folder moves
// into its cluster and back, ids kept, task states merged, pending jobs moved (never duplicated), and
// a second move changes nothing; bad input (no store, an unreachable database, a history of a newer
// version, a folder another process executes) is a clear error that changes nothing.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs from 'sql.js';
import { startPostgres, type PgServer } from '../pg/server';
import { cli, dataDirOf, descendants, killPids, makeWorkspace, RunProcess, type Workspace } from '../chaos/procs';
import { clusterFolder, member, sql, until, type ClusterFolder } from './helpers/clusterMembers';
import { openHistoryReadOnly } from '../../src/core/store';
import type { PendingJob, RunRecord, TaskStateRecord } from '../../src/core/ports';

const YAML = 'jobs:\n  ok: { command: "echo ok" }\n  bad: { command: "exit 3", retries: { max: 2, delay: 1h } }\n  p: { command: "echo p", schedule: "every hour" }\n';

interface Embedded { runs: RunRecord[]; states: TaskStateRecord[]; pending: PendingJob[] }

async function embedded(dataDir: string): Promise<Embedded> {
  const r = await openHistoryReadOnly(dataDir, { inProcess: true });
  try {
    return { runs: await r.runs({ limit: 1_000 }), states: await r.taskStates(), pending: await r.pending() };
  } finally {
    await r.close();
  }
}

/** The cluster's rows, for "nothing changed" (the change counter moves with every write to tasks). */
async function clusterRows(f: ClusterFolder): Promise<string> {
  const runs = await sql(f.url, 'SELECT id, task_id, status, attempt, queued_at, ended_at, output, member, token FROM task_scheduler.runs WHERE cluster = $1 ORDER BY id', [f.name]);
  const tasks = await sql(f.url, 'SELECT * FROM task_scheduler.tasks WHERE cluster = $1 ORDER BY task_id', [f.name]);
  const pending = await sql(f.url, 'SELECT * FROM task_scheduler.pending WHERE cluster = $1 ORDER BY id', [f.name]);
  return JSON.stringify({ runs, tasks, pending });
}

/** The bytes of a data folder's history files, for "nothing changed". */
function filesOf(dataDir: string): string {
  const h = createHash('sha256');
  for (const name of ['history.sqlite', 'history.journal']) {
    const file = path.join(dataDir, name);
    h.update(`${name}:${fs.existsSync(file) ? fs.readFileSync(file).toString('base64') : '-'}\n`);
  }
  return h.digest('hex');
}

describe('cluster: history export / import', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let url: string;
  const started: RunProcess[] = [];
  before(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('cluster_history');
  });
  afterEach(async () => {
    for (const m of started.splice(0)) { const kids = descendants(m.pid); await m.stop('SIGTERM', 15_000); killPids(kids); }
  });
  after(async () => { await pg?.stop(); });

  const ok = async (w: Workspace, args: string[]) => {
    const r = await cli(w, args);
    assert.strictEqual(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  const refused = async (w: Workspace, args: string[], expected: RegExp) => {
    const r = await cli(w, args);
    assert.strictEqual(r.code, 1, `${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, expected);
    return r.stderr;
  };

  it('moves the embedded history into a cluster and back, idempotently; bad input changes nothing', async () => {
    // A folder that ran on one machine: two runs, a failure with a pending retry, a paused task.
    const f = clusterFolder(url, 'moved', { '.scheduler.yaml': YAML });
    await ok(f, ['run-now', 'ok']);
    await cli(f, ['run-now', 'bad']);
    await ok(f, ['pause', 'p']);
    const dataDir = dataDirOf(f)!;
    const before = await embedded(dataDir);
    assert.strictEqual(before.runs.length, 2);
    assert.strictEqual(before.pending.length, 1);
    const bytes = filesOf(dataDir);

    // No store: said, nothing changed (and nothing created in the database).
    await refused(f, ['history', 'export'], /names no cluster to export to: add `store: .*nothing was changed/);
    // The store configured, its database unreachable.
    fs.writeFileSync(path.join(f.ws, '.scheduler.yaml'), `store: { url: "\${env:TEST_DATABASE_URL}", name: moved }\n${YAML}`);
    const away: Workspace = { ...f, env: { ...f.env, TEST_DATABASE_URL: pg.urlFor('cluster_history').replace(`:${pg.port}/`, ':1/') } };
    await refused(away, ['history', 'export'], /cannot reach PostgreSQL at postgres@127\.0\.0\.1:1\/cluster_history/);
    assert.strictEqual(filesOf(dataDir), bytes, 'the embedded history changed');
    assert.deepStrictEqual(await sql(url, "SELECT nspname FROM pg_namespace WHERE nspname = 'task_scheduler'"), []);

    // A dry run says what would move and writes nothing.
    const dry = JSON.parse(await ok(f, ['history', 'export', '--dry-run', '--json']));
    assert.deepStrictEqual([dry.runs.copied, dry.taskStates.added, dry.pending.moved], [2, 3, 1]);
    assert.strictEqual(filesOf(dataDir), bytes);
    assert.deepStrictEqual(await sql(url, 'SELECT id FROM task_scheduler.runs'), []);

    const first = await ok(f, ['history', 'export']);
    console.log(`      ${first.trim().split('\n').join('\n      ')}`);
    assert.match(first, /runs: +2 copied, 0 already there/);
    assert.match(first, /task states: +3 added/);
    assert.match(first, /pending jobs: +1 moved/);
    const rows = await sql<{ id: string; status: string; member: string | null }>(url, 'SELECT id, status, member FROM task_scheduler.runs WHERE cluster = $1 ORDER BY id', ['moved']);
    assert.deepStrictEqual(rows.map((r) => `${r.id} ${r.status}`), before.runs.map((r) => `${r.id} ${r.status}`).sort());
    assert.ok(rows.every((r) => r.member === null));
    const [p] = await sql<{ paused: boolean }>(url, "SELECT paused FROM task_scheduler.tasks WHERE cluster = 'moved' AND task_id = 'p'");
    assert.strictEqual(p.paused, true);
    const [job] = await sql<{ id: string }>(url, "SELECT id FROM task_scheduler.pending WHERE cluster = 'moved'");
    assert.strictEqual(job.id, before.pending[0].id);
    assert.deepStrictEqual((await embedded(dataDir)).pending, [], 'the job stayed behind as well: it would run twice');

    // Again: nothing moves, nothing changes.
    const cluster1 = await clusterRows(f);
    const again = await ok(f, ['history', 'export']);
    assert.match(again, /runs: +0 copied, 2 already there/);
    assert.match(again, /task states: +0 added, 0 updated .*3 kept/);
    assert.match(again, /pending jobs: +0 moved/);
    assert.strictEqual(await clusterRows(f), cluster1);

    // Back: the cluster's history into another machine's (empty) embedded history.
    const other = path.join(f.base, 'other-data');
    const back = await ok(f, ['history', 'import', '--data-dir', other]);
    assert.match(back, /runs: +2 copied/);
    assert.match(back, /pending jobs: +1 moved/);
    const there = await embedded(other);
    assert.deepStrictEqual(there.runs.map((r) => r.id).sort(), before.runs.map((r) => r.id).sort());
    assert.deepStrictEqual(there.runs.find((r) => r.taskId === 'ok')?.output, before.runs.find((r) => r.taskId === 'ok')?.output);
    assert.deepStrictEqual(there.pending.map((j) => j.id), [job.id]);
    assert.strictEqual(there.states.find((s) => s.taskId === 'p')?.paused, true);
    assert.deepStrictEqual(await sql(url, "SELECT id FROM task_scheduler.pending WHERE cluster = 'moved'"), []);
    const otherBytes = filesOf(other);
    const backAgain = await ok(f, ['history', 'import', '--data-dir', other]);
    assert.match(backAgain, /runs: +0 copied, 2 already there/);
    assert.match(backAgain, /task states: +0 added, 0 updated/);
    assert.strictEqual(filesOf(other), otherBytes, 'a second import wrote to the embedded history');
  });

  it('a history of a newer version, or a folder another process executes: refused, nothing changed', async () => {
    const f = clusterFolder(url, 'guarded', { '.scheduler.yaml': `STORE\n${YAML}` });
    // Newer: a data folder whose history.sqlite says schema version 99.
    const newer = path.join(f.base, 'newer');
    fs.mkdirSync(newer);
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); PRAGMA user_version = 99');
    fs.writeFileSync(path.join(newer, 'history.sqlite'), db.export());
    db.close();
    const bytes = filesOf(newer);
    await refused(f, ['history', 'export', '--data-dir', newer], /the embedded history in .*newer\b.*schema version 99, newer than this version understands/);
    await refused(f, ['history', 'import', '--data-dir', newer], /schema version 99, newer than this version understands/);
    assert.strictEqual(filesOf(newer), bytes);
    assert.deepStrictEqual(await sql(url, "SELECT id FROM task_scheduler.runs WHERE cluster = 'guarded'"), []);

    // Executed: `task-scheduler run` holds a store-less folder's lease; importing into its data folder is refused.
    const local = makeWorkspace('held', { '.scheduler.yaml': 'jobs:\n  t: { command: "echo t", schedule: "every hour" }\n' });
    const runner = new RunProcess(local);
    started.push(runner);
    await runner.waitFor(/executing this workspace's tasks/, 30_000);
    const heldDir = dataDirOf(local)!;
    // A run in the cluster that a wrongful import would bring (the executor writes its own file meanwhile).
    await sql(url, `INSERT INTO task_scheduler.runs (cluster, id, task_id, trigger, status, attempt, queued_at) VALUES ('guarded', 'seeded-run', 'ok', 'manual', 'succeeded', 1, 1)`);
    await refused(f, ['history', 'import', '--data-dir', heldDir], /task-scheduler run \(pid \d+\).* executes this folder with its embedded history: stop it first/);
    await runner.stop('SIGTERM', 15_000);
    assert.deepStrictEqual((await embedded(heldDir)).runs.map((r) => r.id), []);
  });

  it('from a cluster whose members run: runs and states come, pending jobs stay (and the report says why)', async () => {
    const f = clusterFolder(url, 'live', { '.scheduler.yaml': `STORE\n${YAML}` });
    const m = member(f, 1);
    started.push(m);
    await m.waitFor(/executing this workspace's tasks/, 30_000);
    await ok(f, ['run-now', 'ok']);
    await cli(f, ['run-now', 'bad']);
    await until('the retry to be stored', 10_000, async () => (await sql(url, "SELECT 1 FROM task_scheduler.pending WHERE cluster = 'live'")).length > 0 || undefined);
    const out = await ok(f, ['history', 'import', '--data-dir', path.join(f.base, 'copy')]);
    assert.match(out, /runs: +2 copied/);
    assert.match(out, /pending jobs: +1 stayed: 1 member\(s\) of the cluster execute them \(task-scheduler run/);
    assert.strictEqual((await sql(url, "SELECT 1 FROM task_scheduler.pending WHERE cluster = 'live'")).length, 1);
    assert.deepStrictEqual((await embedded(path.join(f.base, 'copy'))).pending, []);
  });
});
