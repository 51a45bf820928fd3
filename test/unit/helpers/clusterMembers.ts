// Real `task-scheduler run` members of one cluster for the cluster tests: one workspace folder (or a copy
// with other definitions), each member with its own TASK_SCHEDULER_HOME, short cluster timings, and the
// cluster's tables read back with pg.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import { Client } from 'pg';
import { ensureBuilt, RunProcess, type Workspace } from '../../chaos/procs';

/** Short enough that a test sees deaths in about a second; the defaults are in src/core/cluster/timings.ts. */
export const TEST_TIMINGS = { TASK_SCHEDULER_CLUSTER_HEARTBEAT_MS: '300', TASK_SCHEDULER_CLUSTER_TTL_MS: '1500', TASK_SCHEDULER_CLUSTER_POLL_MS: '1000' };

export interface ClusterFolder extends Workspace { url: string; name: string }

export function clusterFolder(url: string, name: string, files: Record<string, string>): ClusterFolder {
  ensureBuilt();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `ts-cluster-${name}-`));
  const ws = path.join(base, 'ws');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text.replace('STORE', `store: { url: "\${env:TEST_DATABASE_URL}", name: ${name} }`));
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...TEST_TIMINGS, TEST_DATABASE_URL: url, TASK_SCHEDULER_HOME: path.join(base, 'home-cli') };
  delete env.TASK_SCHEDULER_DATABASE_URL;
  return { base, ws, home: env.TASK_SCHEDULER_HOME!, env, url, name };
}

/** A member: `task-scheduler run` with its own home (data folder, local journal). */
export function member(f: ClusterFolder, n: number, ws = f.ws): RunProcess {
  const home = path.join(f.base, `home-${n}`);
  return new RunProcess({ ...f, ws, home, env: { ...f.env, TASK_SCHEDULER_HOME: home } });
}

export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export interface RunRow {
  id: string; task_id: string; status: string; attempt: number; trigger: string; occurrence: string | null; member: string | null;
  scheduled_for: string | null; started_at: string | null; ended_at: string | null; error: string | null;
}

export function runsOf(f: ClusterFolder): Promise<RunRow[]> {
  return sql<RunRow>(f.url, 'SELECT * FROM task_scheduler.runs WHERE cluster = $1 ORDER BY queued_at', [f.name]);
}

export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The cluster's notification channel (src/core/cluster/db.ts). */
export function channelOf(name: string): string {
  return `task_scheduler_${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}

/** Sends an action to one member (by its pid), as `task-scheduler` would send it to any: a row and a NOTIFY. */
export async function sendTo(f: ClusterFolder, pid: number, action: Record<string, unknown>): Promise<void> {
  const [m] = await sql<{ id: string }>(f.url, 'SELECT id FROM task_scheduler.members WHERE cluster = $1 AND pid = $2', [f.name, pid]);
  if (!m) throw new Error(`no member with pid ${pid} in cluster ${f.name}`);
  await sql(f.url, `INSERT INTO task_scheduler.actions (cluster, target, action, sender) VALUES ($1, $2, $3, 'test')`, [f.name, m.id, JSON.stringify(action)]);
  await sql(f.url, 'SELECT pg_notify($1, $2)', [channelOf(f.name), 'action']);
}
