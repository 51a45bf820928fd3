// Rows of the cluster's tables ↔ the engine's records. Epoch ms stay epoch ms; JSON goes in jsonb.
import type { PendingJob, RunRecord, TaskStateRecord } from '../ports';
import type { RunStatus, TaskKind, Trigger } from '../model';
import { SCHEMA } from './schema';

export interface RunRow {
  id: string; task_id: string; trigger: string; status: string; attempt: number; scheduled_for: number | null;
  queued_at: number; started_at: number | null; ended_at: number | null; exit_code: number | null; error: string | null;
  output: string | null; output_truncated: boolean; result: unknown; params: Record<string, unknown> | null;
  executor: string | null; member: string | null; occurrence: string | null;
}

export const RUN_COLUMNS = 'id, task_id, trigger, status, attempt, scheduled_for, queued_at, started_at, ended_at, exit_code, error, output, output_truncated, result, params, executor, member, occurrence';

export function runFromRow(r: RunRow): RunRecord {
  const run: RunRecord = {
    id: r.id, taskId: r.task_id, trigger: r.trigger as Trigger, status: r.status as RunStatus, attempt: r.attempt, queuedAt: r.queued_at,
  };
  if (r.scheduled_for !== null) run.scheduledFor = r.scheduled_for;
  if (r.started_at !== null) run.startedAt = r.started_at;
  if (r.ended_at !== null) run.endedAt = r.ended_at;
  if (r.exit_code !== null) run.exitCode = r.exit_code;
  if (r.error !== null) run.error = r.error;
  if (r.output !== null) run.output = r.output;
  if (r.output_truncated) run.outputTruncated = true;
  if (r.result !== null && r.result !== undefined) run.result = r.result;
  if (r.params !== null) run.params = r.params;
  if (r.executor !== null) run.executor = r.executor;
  if (r.occurrence !== null) run.occurrence = r.occurrence;
  return run;
}

/** The values of RUN_COLUMNS after `cluster`, in order, for an INSERT. */
export function runValues(run: RunRecord, member: string | null): unknown[] {
  return [
    run.id, run.taskId, run.trigger, run.status, run.attempt, run.scheduledFor ?? null, run.queuedAt, run.startedAt ?? null,
    run.endedAt ?? null, typeof run.exitCode === 'number' ? run.exitCode : null, run.error ?? null, run.output ?? null,
    !!run.outputTruncated, run.result === undefined ? null : JSON.stringify(run.result),
    run.params === undefined ? null : JSON.stringify(run.params), run.executor ?? null, member, run.occurrence ?? null,
  ];
}

export interface TaskRow {
  task_id: string; name: string; file: string; kind: string; paused: boolean; paused_reason: string | null;
  last_slot: number | null; retry_count: number; consecutive_failures: number; removed: boolean; updated_at: number; change: number;
}

export function stateFromRow(r: TaskRow): TaskStateRecord {
  const s: TaskStateRecord = {
    taskId: r.task_id, name: r.name, file: r.file, kind: r.kind as TaskKind, paused: r.paused, retryCount: r.retry_count,
    consecutiveFailures: r.consecutive_failures, removed: r.removed, updatedAt: r.updated_at,
  };
  if (r.paused_reason !== null) s.pausedReason = r.paused_reason;
  if (r.last_slot !== null) s.lastSlot = r.last_slot;
  return s;
}

export function jobFromRow(r: { job: PendingJob; due_at: number }): PendingJob {
  return { ...r.job, dueAt: r.due_at };
}

/**
 * Stores a pending job ($1 cluster, $2 id, $3 task, $4 due, $5 job). Never one that has run: a late write
 * of it (a member's write chain behind, a journal replayed) must not bring back a job another member
 * claimed and deleted, which every member would then find due and `taken` again and again.
 */
export const PUT_PENDING = `INSERT INTO ${SCHEMA}.pending (cluster, id, task_id, due_at, job)
  SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.runs WHERE cluster = $1 AND task_id = $3 AND occurrence = 'job:' || $2)
  ON CONFLICT (cluster, id) DO UPDATE SET due_at = excluded.due_at, job = excluded.job`;
