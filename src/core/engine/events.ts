// Everything the engine tells its listeners (tree, dashboard, status bar, CLI), as one discriminated
// union, plus the read-only views those listeners render.
import type { Priority, RunStatus, TaskKind, TaskState, Trigger } from '../model';
import type { PendingJob, RunRecord } from '../ports';

/** The newest finished run of a task, as the views show it. */
export interface RunSummary {
  id: string;
  status: RunStatus;
  trigger: Trigger;
  endedAt?: number;
  durationMs?: number;
  error?: string;
  /** Who ran it (an owner id, `host:pid:random`): a cluster's views say which member. */
  executor?: string;
}

/** One task as the views show it. */
export interface TaskView {
  id: string;
  name: string;
  description?: string;
  file: string;
  kind: TaskKind;
  tags: string[];
  priority: Priority;
  state: TaskState;
  /** Why the task is invalid, disabled or paused. */
  stateReason?: string;
  pausedReason?: string;
  /** Plain-English schedule, undefined for manual tasks. */
  schedule?: string;
  scheduleSource?: string;
  nextRun?: number;
  nextRetryAt?: number;
  running: string[];
  queued: number;
  lastRun?: RunSummary;
  retryCount: number;
  consecutiveFailures: number;
}

/** One upcoming run, for the status bar and the timeline. */
export interface UpcomingRun {
  taskId: string;
  name: string;
  at: number;
  trigger: Trigger;
}

export type WarningCode =
  | 'clock-jump'        // the wall clock moved forward more than expected (sleep, suspend, clock set)
  | 'clock-back'        // the wall clock moved backwards
  | 'history'           // a history write or read failed
  | 'listener'          // an event listener threw
  | 'executor'          // an executor misbehaved (threw, never reported)
  | 'enqueue';          // a ctx.enqueue request was refused

export type EngineEvent =
  | { type: 'tasks-loaded'; tasks: TaskView[] }
  | { type: 'task-changed'; task: TaskView }
  | { type: 'run-queued'; run: RunRecord }
  | { type: 'run-started'; run: RunRecord }
  | { type: 'run-output'; runId: string; taskId: string; line: string }
  | { type: 'run-finished'; run: RunRecord }
  | { type: 'retry-scheduled'; job: PendingJob; delayMs: number }
  | { type: 'job-pending'; job: PendingJob }
  | { type: 'task-paused'; taskId: string; reason?: string }
  | { type: 'task-resumed'; taskId: string }
  /** Global pause changed; the caller persists it (config or its own state) and passes it back in `settings.paused`. */
  | { type: 'pause-all-changed'; paused: boolean }
  | { type: 'missed'; taskId: string; count: number; countIsLowerBound: boolean; from: number; to: number }
  | { type: 'warning'; code: WarningCode; message: string; taskId?: string };

export type EngineListener = (event: EngineEvent) => void;
