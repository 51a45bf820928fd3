// Our side of `npm run bench cluster`, on the Postgres the bench started (one database each):
//  - firing lateness: 3 members with BENCH_OUR_TASKS (default 20) tasks every second; lateness = a run's
//    start − its slot, read from the cluster's runs table. Judged with the in-process no-op executor, over
//    the peers' minute window (their handlers are in-process functions too); shown beside it, 3 real
//    `task-scheduler run` members whose runs are `command: "true"` processes (a process start per run);
//  - claims per second: BENCH_CLAIM_TASKS (default 1000) tasks due at the same second, on 1, 2 and 3
//    members (clusterNoopMember.ts: the real member with an in-process no-op executor); granted claims
//    over the time from the due second to the last grant.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { ensureBuilt, RunProcess } from '../chaos/procs';
import { percentile } from './clusterPeers';

const ROOT = path.join(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The goal for our 1-second slots across 3 members. */
export const LATENESS_GOAL_P99_MS = 100;

export interface OurOptions { tasks: number; claimTasks: number }

export function ourOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OurOptions {
  const int = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${raw}: expected a whole number ≥ 1`);
    return n;
  };
  return { tasks: int('BENCH_OUR_TASKS', 20), claimTasks: int('BENCH_CLAIM_TASKS', 1_000) };
}

async function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try { return (await c.query(text, params)).rows as T[]; } finally { await c.end(); }
}

function folderWith(name: string, yaml: string): { base: string; ws: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `ts-bench-${name}-`));
  const ws = path.join(base, 'ws');
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, '.scheduler.yaml'), yaml);
  return { base, ws };
}

const store = (name: string) => `store: { url: "\${env:BENCH_DATABASE_URL}", name: ${name} }`;

export interface OurLateness { kind: 'noop' | 'process'; tasks: number; expected: number; samples: number; p50: number; p99: number; max: number; skipped: number; withoutRecord: number; doubles: number }

/** A member process: the real cluster member with an in-process no-op executor (clusterNoopMember.ts). */
function noopMember(ws: string, url: string, name: string, dataDir: string, children: ChildProcess[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/register.js'), path.join(__dirname, 'clusterNoopMember.ts'), ws, url, name, dataDir],
      { env: { ...process.env, BENCH_DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    child.stdout!.on('data', (d) => { if (/member ready/.test(String(d))) resolve(); });
    child.once('exit', (code) => reject(new Error(`member ${dataDir} exited with ${code} before it was ready`)));
  });
}

async function stopChildren(children: ChildProcess[]): Promise<void> {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
}

/**
 * Three members of a fresh cluster, started now, each with `opts.tasks` tasks every second: `noop` members
 * (in-process no-op executor) or `process` ones (`task-scheduler run`, each run a `true` process).
 * `measure(window)` reads their slots in the window.
 */
export async function startLatenessMembers(url: string, opts: OurOptions, kind: 'noop' | 'process'): Promise<{
  measure(window: { first: number; last: number }): Promise<OurLateness>; stop(): Promise<void>;
}> {
  ensureBuilt();
  const name = `lateness_${kind}`;
  const jobs = Array.from({ length: opts.tasks }, (_, i) => `  tick-${String(i + 1).padStart(2, '0')}: { ${kind === 'noop' ? 'vscodeCommand: noop' : 'command: "true"'}, schedule: "every second" }`);
  const f = folderWith(name, ['concurrency: 100', 'timezone: UTC', 'history: { retentionDays: 0, maxRunsPerTask: 0 }', store(name), 'jobs:', ...jobs, ''].join('\n'));
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_DATABASE_URL: url };
  delete env.TASK_SCHEDULER_DATABASE_URL;
  const children: ChildProcess[] = [];
  const members = kind === 'process'
    ? [0, 1, 2].map((i) => new RunProcess({ base: f.base, ws: f.ws, home: path.join(f.base, `home-${i}`), env: { ...env, TASK_SCHEDULER_HOME: path.join(f.base, `home-${i}`) } }))
    : [];
  await Promise.all(kind === 'process'
    ? members.map((m) => m.waitFor(/executing this workspace's tasks/, 120_000))
    : [0, 1, 2].map((i) => noopMember(f.ws, url, name, path.join(f.base, `data-${i}`), children)));
  return {
    async measure({ first, last }) {
      const end = last + 60_000;
      const rows = await query<{ task_id: string; scheduled_for: string; started_at: string | null; status: string }>(url,
        'SELECT task_id, scheduled_for, started_at, status FROM task_scheduler.runs WHERE cluster = $1 AND trigger = \'schedule\' AND scheduled_for >= $2 AND scheduled_for < $3',
        [name, first, end]);
      const ran = rows.filter((r) => r.started_at !== null);
      const late = ran.map((r) => Number(r.started_at) - Number(r.scheduled_for)).sort((a, b) => a - b);
      const perSlot = new Map<string, number>();
      for (const r of ran) perSlot.set(`${r.task_id}@${r.scheduled_for}`, (perSlot.get(`${r.task_id}@${r.scheduled_for}`) ?? 0) + 1);
      const expected = opts.tasks * ((end - first) / 1000);
      const recorded = new Set(rows.map((r) => `${r.task_id}@${r.scheduled_for}`)).size;
      return {
        kind, tasks: opts.tasks, expected, samples: late.length, p50: percentile(late, 50), p99: percentile(late, 99), max: late[late.length - 1] ?? NaN,
        skipped: rows.filter((r) => r.status === 'skipped' || r.status === 'missed').length, withoutRecord: expected - recorded,
        doubles: [...perSlot.values()].reduce((n, c) => n + c - 1, 0),
      };
    },
    async stop() {
      await Promise.all(members.map((m) => m.stop('SIGTERM', 30_000)));
      await stopChildren(children);
      fs.rmSync(f.base, { recursive: true, force: true });
    },
  };
}

export interface OurClaims { members: number; tasks: number; granted: number; firstMs: number; seconds: number; perSecond: number; spread: number[] }

/** `tasks` slots due at one second, claimed by `count` no-op members of a fresh cluster in `url`'s database. */
export async function claimsPerSecond(url: string, count: number, tasks: number): Promise<OurClaims> {
  ensureBuilt();
  const name = `claims${count}`;
  // Due far enough ahead for every member to start and join (a 1000-task plan loads in well under a second).
  const due = Math.ceil((Date.now() + 20_000) / 1000) * 1000;
  const at = new Date(due);
  const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
  const jobs = Array.from({ length: tasks }, (_, i) => `  noop-${i}: { vscodeCommand: noop, schedule: "${cron}" }`);
  const f = folderWith(name, [`concurrency: ${tasks * 2}`, 'timezone: UTC', 'history: { retentionDays: 0, maxRunsPerTask: 0 }', store(name), 'jobs:', ...jobs, ''].join('\n'));
  const children: ChildProcess[] = [];
  try {
    const ready = Array.from({ length: count }, (_, i) => noopMember(f.ws, url, name, path.join(f.base, `data-${i}`), children));
    await Promise.all(ready);
    if (Date.now() > due - 1_000) throw new Error(`the members took until ${new Date().toISOString()} to start, past the due second ${at.toISOString()}`);
    const stats = () => query<{ granted: string; first: string | null; last: string | null }>(url,
      'SELECT count(*) AS granted, min(started_at) AS first, max(started_at) AS last FROM task_scheduler.runs WHERE cluster = $1 AND occurrence = $2 AND started_at IS NOT NULL',
      [name, `slot:${due}`]);
    for (const end = due + 300_000; Date.now() < end; await sleep(250)) {
      if (Date.now() > due && Number((await stats())[0].granted) >= tasks) break;
    }
    const [s] = await stats();
    const spread = (await query<{ n: string }>(url, 'SELECT count(*) AS n FROM task_scheduler.runs WHERE cluster = $1 AND occurrence = $2 GROUP BY member ORDER BY 1 DESC', [name, `slot:${due}`])).map((r) => Number(r.n));
    const granted = Number(s.granted);
    const seconds = (Number(s.last) - due) / 1000;
    return { members: count, tasks, granted, firstMs: Number(s.first) - due, seconds, perSecond: granted / seconds, spread };
  } finally {
    await stopChildren(children);
    fs.rmSync(f.base, { recursive: true, force: true });
  }
}

const ms = (x: number): string => (x >= 1_000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);

export function formatOurLateness(l: OurLateness): string {
  const how = l.kind === 'noop' ? 'in-process no-op executor, as the peers\' handlers' : 'each run a `true` process; not judged';
  return `ours (3 members, ${l.tasks} tasks on 1-second slots, ${how}): lateness p50 ${ms(l.p50)} · p99 ${ms(l.p99)} · max ${ms(l.max)}; `
    + `${l.samples}/${l.expected} slots run, ${l.skipped} skipped, ${l.withoutRecord} without a record, doubles ${l.doubles}; `
    + (l.kind === 'noop' ? `goal p99 ≤ ${LATENESS_GOAL_P99_MS} ms: ${l.p99 <= LATENESS_GOAL_P99_MS ? 'met' : 'missed'}` : 'the process starts share the 2 cores');
}

export function formatOurClaims(c: OurClaims): string {
  return `ours: ${c.perSecond.toFixed(0)} slot claims/s with ${c.members} member(s) (${c.granted}/${c.tasks} slots due at one second granted in ${c.seconds.toFixed(2)} s, `
    + `first after ${ms(c.firstMs)}; per member ${c.spread.join(' / ')}; in-process no-op executor)`;
}
