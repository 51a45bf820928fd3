// Records ↔ SQL rows. Optional fields are NULL when absent, so a record read back equals the one
// written (undefined stays undefined, null stays null for exit codes and JSON values).
import type { Database, SqlValue } from 'sql.js';
import type { RunStatus, TaskKind, Trigger } from '../model';
import type { PendingJob, RunRecord, TaskStateRecord } from '../ports';

export type Row = Record<string, SqlValue>;

export const RUN_COLUMNS = [
  'id', 'task_id', 'trigger', 'status', 'attempt', 'scheduled_for', 'queued_at', 'started_at', 'ended_at',
  'exit_code', 'error', 'output', 'output_truncated', 'result', 'params', 'executor',
] as const;

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export function runToRow(r: RunRecord): SqlValue[] {
  return [
    r.id, r.taskId, r.trigger, r.status, r.attempt, opt(r.scheduledFor), r.queuedAt, opt(r.startedAt), opt(r.endedAt),
    json(r.exitCode), opt(r.error), opt(r.output), r.outputTruncated === undefined ? null : r.outputTruncated ? 1 : 0,
    json(r.result), json(r.params), opt(r.executor),
  ];
}

/** Sets only the fields the row has, so absent stays absent. */
export function rowToRun(row: Row): RunRecord {
  const r: RunRecord = {
    id: row.id as string,
    taskId: row.task_id as string,
    trigger: row.trigger as Trigger,
    status: row.status as RunStatus,
    attempt: row.attempt as number,
    queuedAt: row.queued_at as number,
  };
  if (row.scheduled_for !== null) r.scheduledFor = row.scheduled_for as number;
  if (row.started_at !== null) r.startedAt = row.started_at as number;
  if (row.ended_at !== null) r.endedAt = row.ended_at as number;
  if (row.exit_code !== null) r.exitCode = JSON.parse(row.exit_code as string) as number | null;
  if (row.error !== null) r.error = row.error as string;
  if (row.output !== null) r.output = row.output as string;
  if (row.output_truncated !== null) r.outputTruncated = row.output_truncated === 1;
  if (row.result !== null) r.result = JSON.parse(row.result as string);
  if (row.params !== null) r.params = JSON.parse(row.params as string) as Record<string, unknown>;
  if (row.executor !== null && row.executor !== undefined) r.executor = row.executor as string;
  return r;
}

export const TASK_COLUMNS = [
  'task_id', 'name', 'file', 'kind', 'paused', 'paused_reason', 'last_slot', 'retry_count',
  'consecutive_failures', 'removed', 'updated_at',
] as const;

export function taskToRow(t: TaskStateRecord): SqlValue[] {
  return [
    t.taskId, t.name, t.file, t.kind, t.paused ? 1 : 0, opt(t.pausedReason), opt(t.lastSlot), t.retryCount,
    t.consecutiveFailures, t.removed ? 1 : 0, t.updatedAt,
  ];
}

export function rowToTask(row: Row): TaskStateRecord {
  const t: TaskStateRecord = {
    taskId: row.task_id as string,
    name: row.name as string,
    file: row.file as string,
    kind: row.kind as TaskKind,
    paused: row.paused === 1,
    retryCount: row.retry_count as number,
    consecutiveFailures: row.consecutive_failures as number,
    removed: row.removed === 1,
    updatedAt: row.updated_at as number,
  };
  if (row.paused_reason !== null) t.pausedReason = row.paused_reason as string;
  if (row.last_slot !== null) t.lastSlot = row.last_slot as number;
  return t;
}

export const PENDING_COLUMNS = [
  'id', 'task_id', 'kind', 'due_at', 'attempt', 'trigger', 'params', 'retries', 'previous_run_id', 'created_at',
] as const;

export function pendingToRow(j: PendingJob): SqlValue[] {
  return [
    j.id, j.taskId, j.kind, j.dueAt, j.attempt, j.trigger, json(j.params), json(j.retries), opt(j.previousRunId), j.createdAt,
  ];
}

export function rowToPending(row: Row): PendingJob {
  const j: PendingJob = {
    id: row.id as string,
    taskId: row.task_id as string,
    kind: row.kind as PendingJob['kind'],
    dueAt: row.due_at as number,
    attempt: row.attempt as number,
    trigger: row.trigger as Trigger,
    createdAt: row.created_at as number,
  };
  if (row.params !== null) j.params = JSON.parse(row.params as string) as Record<string, unknown>;
  if (row.retries !== null) j.retries = JSON.parse(row.retries as string) as PendingJob['retries'];
  if (row.previous_run_id !== null) j.previousRunId = row.previous_run_id as string;
  return j;
}

/** `?, ?, …` for an insert of these columns. */
export function placeholders(columns: readonly string[]): string {
  return columns.map(() => '?').join(', ');
}

/** Every row of a query, as objects keyed by column name. */
export function all(db: Database, sql: string, params: SqlValue[] = []): Row[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const rows: Row[] = [];
    while (stmt.step()) rows.push(stmt.getAsObject() as Row);
    return rows;
  } finally {
    stmt.free();
  }
}
