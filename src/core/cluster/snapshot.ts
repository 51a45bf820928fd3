// What a window shows of a cluster, read in one statement: task states, pending jobs, the runs running
// now, each task's newest finished run, the members and the global pause, with the database's clock.
// One round trip however many tasks (200 tasks cost one statement, not 200), and no output column: a
// run's output is read when someone opens it.
import type { History, PendingJob, RunQuery, RunRecord, TaskStateRecord } from '../ports';
import type { Db } from './db';
import type { MemberRow } from './membership';
import { jobFromRow, runFromRow, stateFromRow, type RunRow, type TaskRow } from './rows';
import { SCHEMA } from './schema';

/** A task's last result, as the engine's views read it (fromHistory.ts): `missed` is not a result. */
export const LAST_RUN_STATUSES = ['succeeded', 'failed', 'timed-out', 'cancelled', 'interrupted', 'skipped'];

export interface ClusterSnapshot {
  /** The database's clock when it was read (epoch ms). */
  dbNow: number;
  /** This machine's clock then: `dbNow - localNow` is how far the database's clock is ahead. */
  localNow: number;
  pausedAll: boolean;
  states: TaskStateRecord[];
  pending: PendingJob[];
  /** Runs `running` now, on any member. */
  active: RunRecord[];
  /** Per task, its newest run with a LAST_RUN_STATUSES status. */
  lastRuns: RunRecord[];
  /** Per task, how many of its runs wait for room under the cluster's `concurrency` (queued on some member). */
  waiting: Record<string, number>;
  members: MemberRow[];
}

/** The run columns without output and result: what lists need. */
export const LIGHT_RUN = `id, task_id, trigger, status, attempt, scheduled_for, queued_at, started_at, ended_at, exit_code, error,
  NULL::text AS output, output_truncated, NULL::jsonb AS result, params, executor, member, occurrence`;

/** The one statement: every part as a JSON array, so one row comes back. */
const SNAPSHOT_SQL = `SELECT
  (extract(epoch from now()) * 1000)::float8 AS db_now,
  coalesce((SELECT paused_all FROM ${SCHEMA}.clusters WHERE name = $1), false) AS paused_all,
  (SELECT coalesce(json_agg(t ORDER BY t.task_id), '[]') FROM ${SCHEMA}.tasks t WHERE t.cluster = $1) AS states,
  (SELECT coalesce(json_agg(json_build_object('job', p.job, 'due_at', p.due_at) ORDER BY p.due_at, p.id), '[]') FROM ${SCHEMA}.pending p WHERE p.cluster = $1) AS pending,
  (SELECT coalesce(json_agg(r), '[]') FROM (SELECT ${LIGHT_RUN} FROM ${SCHEMA}.runs WHERE cluster = $1 AND status = 'running') r) AS active,
  (SELECT coalesce(json_agg(r), '[]') FROM ${SCHEMA}.tasks t CROSS JOIN LATERAL (
      SELECT ${LIGHT_RUN} FROM ${SCHEMA}.runs x WHERE x.cluster = t.cluster AND x.task_id = t.task_id AND x.status = ANY($2)
      ORDER BY x.queued_at DESC, x.id DESC LIMIT 1) r WHERE t.cluster = $1) AS last_runs,
  (SELECT coalesce(json_object_agg(w.task_id, w.n), '{}') FROM (
      SELECT task_id, count(DISTINCT occurrence)::int AS n FROM ${SCHEMA}.waiting WHERE cluster = $1 AND expires_at > now() GROUP BY task_id) w) AS waiting,
  (SELECT coalesce(json_agg(m ORDER BY m.since, m.id), '[]') FROM (
      SELECT id, label, host, pid, version, (extract(epoch from since) * 1000)::float8 AS since,
        (extract(epoch from heartbeat_at) * 1000)::float8 AS heartbeat_at, definitions, task_hashes, standby, running, stale_writes, lock_key
      FROM ${SCHEMA}.members WHERE cluster = $1) m) AS members`;

interface SnapshotRow {
  db_now: number; paused_all: boolean; states: TaskRow[]; pending: Array<{ job: PendingJob; due_at: number }>;
  active: RunRow[]; last_runs: RunRow[]; waiting: Record<string, number>; members: MemberRow[];
}

export async function readSnapshot(db: Db, cluster: string): Promise<ClusterSnapshot> {
  const [row] = await db.query<SnapshotRow>(SNAPSHOT_SQL, [cluster, LAST_RUN_STATUSES]);
  return {
    dbNow: row.db_now, localNow: Date.now(), pausedAll: row.paused_all,
    states: row.states.map(stateFromRow), pending: row.pending.map(jobFromRow),
    active: row.active.map(runFromRow), lastRuns: row.last_runs.map(runFromRow), waiting: row.waiting, members: row.members,
  };
}

/** The members alone (the Members panel's heartbeats, refreshed while it is shown), with the database's clock. */
export async function readMembers(db: Db, cluster: string): Promise<Pick<ClusterSnapshot, 'members' | 'dbNow' | 'localNow'>> {
  const [row] = await db.query<{ db_now: number; members: MemberRow[] }>(`SELECT (extract(epoch from now()) * 1000)::float8 AS db_now,
    (SELECT coalesce(json_agg(m ORDER BY m.since, m.id), '[]') FROM (
      SELECT id, label, host, pid, version, (extract(epoch from since) * 1000)::float8 AS since,
        (extract(epoch from heartbeat_at) * 1000)::float8 AS heartbeat_at, definitions, task_hashes, standby, running, stale_writes, lock_key
      FROM ${SCHEMA}.members WHERE cluster = $1) m) AS members`, [cluster]);
  return { members: row.members, dbNow: row.db_now, localNow: Date.now() };
}

/**
 * The reads a viewer's engine makes (task states, pending jobs, running runs, each task's last run),
 * answered from a snapshot; anything else goes to the cluster's history. Writes are dropped: a viewer's
 * engine never runs anything.
 */
export function snapshotHistory(snapshot: () => ClusterSnapshot, history: Pick<History, 'runs' | 'getRun' | 'lastErrors' | 'health'>): History {
  const ignore = async (): Promise<void> => undefined;
  const runs = async (q: RunQuery): Promise<RunRecord[]> => {
    const s = snapshot();
    const statuses = q.statuses ?? [];
    if (q.before === undefined && statuses.length && statuses.every((x) => x === 'running' || x === 'queued')) {
      // A queued run exists only in a member's memory (a cluster run exists from its claim on); the ones
      // held back by the cluster's concurrency are counted in `waiting`: one stand-in record each.
      const queued = statuses.includes('queued') ? Object.entries(s.waiting).flatMap(([taskId, n]) => Array.from({ length: n }, (_, i): RunRecord => (
        { id: `waiting:${taskId}:${i}`, taskId, trigger: 'schedule', status: 'queued', attempt: 1, queuedAt: s.localNow }))) : [];
      const active = statuses.includes('running') ? s.active : [];
      return [...active, ...queued].filter((r) => q.taskId === undefined || r.taskId === q.taskId).slice(0, q.limit ?? 100);
    }
    if (q.taskId !== undefined && q.limit === 1 && q.before === undefined && sameSet(statuses, LAST_RUN_STATUSES)) {
      return s.lastRuns.filter((r) => r.taskId === q.taskId);
    }
    return history.runs(q);
  };
  return {
    open: async () => ({}), taskStates: async () => snapshot().states, pending: async () => snapshot().pending, runs,
    getRun: (id) => history.getRun(id), lastErrors: (t, l) => history.lastErrors(t, l), health: (w, n) => history.health(w, n),
    abandoned: async () => [], markInterrupted: async () => [], syncTasks: ignore, saveTaskState: ignore, putRun: ignore,
    putPending: ignore, deletePending: ignore, cleanup: async () => ({ deleted: 0 }), flush: ignore, close: ignore,
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
