// The reads the tree, dashboard and CLI make. Each is one of the `Query` union so the same code answers
// in the worker, in-process (read-only CLI) and in tests.
import type { Database, SqlValue } from 'sql.js';
import type { Millis, RunStatus } from '../model';
import type { Health, History, PendingJob, RunQuery, RunRecord, TaskStateRecord } from '../ports';
import { all, rowToPending, rowToRun, rowToTask } from './rows';

/** Statuses shown as "last errors": the run ended badly on its own (cancelled/skipped were asked for). */
export const ERROR_STATUSES: readonly RunStatus[] = ['failed', 'timed-out', 'interrupted'];
/** Runs still in flight: never deleted by retention; a dead executor leaves them to be marked interrupted. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];
/** Runs that actually executed and ended: the success rate's denominator (skipped/missed never ran). */
export const HEALTH_FINISHED: readonly RunStatus[] = ['succeeded', 'failed', 'timed-out', 'cancelled', 'interrupted'];
/** A query without a limit still pages: every row carries its output, and 100k of them would not fit a view. */
export const DEFAULT_RUN_LIMIT = 100;
/** The dashboard shows the last five errors of each task. */
export const DEFAULT_ERROR_LIMIT = 5;

export type Query =
  | { q: 'taskStates' }
  | { q: 'getRun'; id: string }
  | { q: 'runs'; query: RunQuery }
  | { q: 'lastErrors'; taskId: string; limit?: number }
  | { q: 'health'; windowMs: Millis; now: number }
  | { q: 'pending' }
  | { q: 'runPage'; after?: [number, string]; limit: number }
  | { q: 'runIds'; ids: string[] };

export interface QueryResults {
  taskStates: TaskStateRecord[];
  getRun: RunRecord | undefined;
  runs: RunRecord[];
  lastErrors: RunRecord[];
  health: Health;
  pending: PendingJob[];
  runPage: RunRecord[];
  runIds: string[];
}

export type QueryResult<Q extends Query> = QueryResults[Q['q']];

/** Reads for moving a whole history (`history export` / `import`), beside the views' reads. */
export interface BulkQueries {
  /** Every run, oldest first, `limit` at a time after the (queued_at, id) of the last one read. */
  runPage(after: [number, string] | undefined, limit: number): Promise<RunRecord[]>;
  /** Which of `ids` the history holds. */
  runIds(ids: string[]): Promise<string[]>;
}

export function bulkApi(ask: Ask): BulkQueries {
  return {
    runPage: (after, limit) => ask({ q: 'runPage', after, limit }),
    runIds: (ids) => ask({ q: 'runIds', ids }),
  };
}

/** The read half of `History`, answered by whoever can run a Query (the worker, or an engine in-process). */
export type HistoryQueries = Pick<History, 'taskStates' | 'getRun' | 'runs' | 'lastErrors' | 'health' | 'pending'>;
export type Ask = <Q extends Query>(q: Q) => Promise<QueryResult<Q>>;

export function queryApi(ask: Ask): HistoryQueries {
  return {
    taskStates: () => ask({ q: 'taskStates' }),
    getRun: (id) => ask({ q: 'getRun', id }),
    runs: (query) => ask({ q: 'runs', query }),
    lastErrors: (taskId, limit) => ask({ q: 'lastErrors', taskId, limit }),
    health: (windowMs, now) => ask({ q: 'health', windowMs, now }),
    pending: () => ask({ q: 'pending' }),
  };
}

export const inList = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

export function runQuery<Q extends Query>(db: Database, query: Q): QueryResult<Q> {
  return answer(db, query) as QueryResult<Q>;
}

function answer(db: Database, q: Query): QueryResults[keyof QueryResults] {
  switch (q.q) {
    case 'taskStates':
      return all(db, 'SELECT * FROM tasks ORDER BY task_id').map(rowToTask);
    case 'getRun':
      return all(db, 'SELECT * FROM runs WHERE id = ?', [q.id]).map(rowToRun)[0];
    case 'runs':
      return runs(db, q.query);
    case 'lastErrors':
      return runs(db, { taskId: q.taskId, statuses: [...ERROR_STATUSES], limit: q.limit ?? DEFAULT_ERROR_LIMIT });
    case 'health':
      return health(db, q.windowMs, q.now);
    case 'pending':
      return all(db, 'SELECT * FROM pending ORDER BY due_at, id').map(rowToPending);
    case 'runPage': {
      const after = q.after ? 'WHERE queued_at > ? OR (queued_at = ? AND id > ?)' : '';
      const params: SqlValue[] = q.after ? [q.after[0], q.after[0], q.after[1]] : [];
      return all(db, `SELECT * FROM runs ${after} ORDER BY queued_at, id LIMIT ?`, [...params, Math.max(1, Math.floor(q.limit))]).map(rowToRun);
    }
    case 'runIds':
      return q.ids.length ? all(db, `SELECT id FROM runs WHERE id IN (${inList(q.ids)})`, q.ids).map((r) => r.id as string) : [];
  }
}

function runs(db: Database, query: RunQuery): RunRecord[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (query.taskId !== undefined) { where.push('task_id = ?'); params.push(query.taskId); }
  if (query.statuses?.length) { where.push(`status IN (${inList(query.statuses)})`); params.push(...query.statuses); }
  if (query.before !== undefined) { where.push('queued_at < ?'); params.push(query.before); }
  params.push(Math.max(0, Math.floor(query.limit ?? DEFAULT_RUN_LIMIT)));
  const sql = `SELECT * FROM runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
               ORDER BY queued_at DESC, id DESC LIMIT ?`;
  return all(db, sql, params).map(rowToRun);
}

function health(db: Database, windowMs: Millis, now: number): Health {
  const [f] = all(db, `
    SELECT COUNT(*) AS finished,
           COALESCE(SUM(status = 'succeeded'), 0) AS succeeded,
           AVG(CASE WHEN started_at IS NOT NULL THEN ended_at - started_at END) AS avg
      FROM runs WHERE ended_at >= ? AND status IN (${inList(HEALTH_FINISHED)})`,
  [now - windowMs, ...HEALTH_FINISHED]);
  const counts = new Map(all(db,
    `SELECT status, COUNT(*) AS n FROM runs WHERE status IN (${inList(ACTIVE_STATUSES)}) GROUP BY status`,
    [...ACTIVE_STATUSES]).map((r) => [r.status as string, r.n as number]));
  const finished = f.finished as number;
  const succeeded = f.succeeded as number;
  const h: Health = { windowMs, finished, succeeded, running: counts.get('running') ?? 0, queued: counts.get('queued') ?? 0 };
  if (finished > 0) h.successRate = succeeded / finished;
  if (f.avg !== null) h.averageDurationMs = f.avg as number;
  return h;
}
