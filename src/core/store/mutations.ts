// Every change to the history is one of these plain records. It is applied to the database and
// written, as it is, to the journal; replaying the journal on open applies the same records in the
// same order to the same starting state, so the result is the same (mutations are deterministic:
// `now` travels inside the record, never read from a clock here).
import type { Database } from 'sql.js';
import type { Millis } from '../model';
import type { PendingJob, RunRecord, TaskStateRecord } from '../ports';
import { ACTIVE_STATUSES, inList } from './queries';
import {
  all, PENDING_COLUMNS, pendingToRow, placeholders, RUN_COLUMNS, rowToRun, runToRow, TASK_COLUMNS, taskToRow,
} from './rows';

export type TaskIdentity = Pick<TaskStateRecord, 'taskId' | 'name' | 'file' | 'kind'>;

export type Mutation =
  | { op: 'putRun'; run: RunRecord }
  | { op: 'saveTaskState'; state: TaskStateRecord }
  | { op: 'syncTasks'; tasks: TaskIdentity[]; now: number }
  | { op: 'putPending'; job: PendingJob }
  | { op: 'deletePending'; id: string }
  | { op: 'markInterrupted'; now: number; reason: string }
  | { op: 'cleanup'; now: number; olderThanMs?: Millis; maxRunsPerTask?: number };

export interface MutationResults {
  putRun: undefined;
  saveTaskState: undefined;
  syncTasks: undefined;
  putPending: undefined;
  deletePending: undefined;
  markInterrupted: RunRecord[];
  cleanup: { deleted: number };
}
export type MutationResult<M extends Mutation = Mutation> = MutationResults[M['op']];

const INSERT_RUN = `INSERT OR REPLACE INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${placeholders(RUN_COLUMNS)})`;
const INSERT_TASK = `INSERT OR REPLACE INTO tasks (${TASK_COLUMNS.join(', ')}) VALUES (${placeholders(TASK_COLUMNS)})`;
const INSERT_PENDING = `INSERT OR REPLACE INTO pending (${PENDING_COLUMNS.join(', ')}) VALUES (${placeholders(PENDING_COLUMNS)})`;

/** Apply one mutation atomically (all of it or nothing); a savepoint, so a bulk load can wrap many in one transaction. */
export function applyMutation<M extends Mutation>(db: Database, m: M): MutationResult<M> {
  db.run('SAVEPOINT mutation');
  try {
    const result = apply(db, m);
    db.run('RELEASE mutation');
    return result as MutationResult<M>;
  } catch (e) {
    db.run('ROLLBACK TO mutation');
    db.run('RELEASE mutation');
    throw e;
  }
}

function apply(db: Database, m: Mutation): MutationResult {
  switch (m.op) {
    case 'putRun':
      db.run(INSERT_RUN, runToRow(m.run));
      return undefined;
    case 'saveTaskState':
      db.run(INSERT_TASK, taskToRow(m.state));
      return undefined;
    case 'syncTasks':
      syncTasks(db, m.tasks, m.now);
      return undefined;
    case 'putPending':
      db.run(INSERT_PENDING, pendingToRow(m.job));
      return undefined;
    case 'deletePending':
      db.run('DELETE FROM pending WHERE id = ?', [m.id]);
      return undefined;
    case 'markInterrupted':
      return markInterrupted(db, m.now, m.reason);
    case 'cleanup':
      return cleanup(db, m.now, m.olderThanMs, m.maxRunsPerTask);
    default:
      throw new Error(`unknown history mutation ${JSON.stringify((m as { op?: unknown }).op)}`);
  }
}

function syncTasks(db: Database, tasks: TaskIdentity[], now: number): void {
  // A task that comes back keeps its state (pause, retries) and is active again.
  const upsert = db.prepare(`
    INSERT INTO tasks (task_id, name, file, kind, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (task_id) DO UPDATE SET name = excluded.name, file = excluded.file, kind = excluded.kind,
      removed = 0, updated_at = excluded.updated_at`);
  try {
    for (const t of tasks) upsert.run([t.taskId, t.name, t.file, t.kind, now]);
  } finally {
    upsert.free();
  }
  const present = new Set(tasks.map((t) => t.taskId));
  const gone = all(db, 'SELECT task_id FROM tasks WHERE removed = 0')
    .map((r) => r.task_id as string).filter((id) => !present.has(id));
  for (const id of gone) db.run('UPDATE tasks SET removed = 1, updated_at = ? WHERE task_id = ?', [now, id]);
}

function markInterrupted(db: Database, now: number, reason: string): RunRecord[] {
  const active = [...ACTIVE_STATUSES];
  const left = all(db, `SELECT * FROM runs WHERE status IN (${inList(active)}) ORDER BY queued_at, id`, active).map(rowToRun);
  db.run(`UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? WHERE status IN (${inList(active)})`,
    [now, reason, ...active]);
  return left.map((r) => ({ ...r, status: 'interrupted', endedAt: now, error: reason }));
}

function cleanup(db: Database, now: number, olderThanMs?: Millis, maxRunsPerTask?: number): { deleted: number } {
  const active = [...ACTIVE_STATUSES];
  let deleted = 0;
  if (olderThanMs !== undefined) {
    db.run(`DELETE FROM runs WHERE status NOT IN (${inList(active)}) AND COALESCE(ended_at, queued_at) < ?`,
      [...active, now - olderThanMs]);
    deleted += db.getRowsModified();
  }
  if (maxRunsPerTask !== undefined) {
    // Keep each task's newest `maxRunsPerTask` finished runs (the same order the tree shows).
    db.run(`DELETE FROM runs WHERE id IN (
      SELECT id FROM (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY queued_at DESC, id DESC) AS n
          FROM runs WHERE status NOT IN (${inList(active)}))
      WHERE n > ?)`, [...active, Math.max(0, Math.floor(maxRunsPerTask))]);
    deleted += db.getRowsModified();
  }
  return { deleted };
}
