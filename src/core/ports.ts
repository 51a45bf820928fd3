// The seams between the engine and what it drives: the history store, the executors that run a task,
// and the executor lease. The engine depends only on these interfaces; src/core/store, src/core/exec
// and src/core/lease implement them; tests can pass in-memory versions.
import type { Millis, OverlapPolicy, Priority, RetryPolicy, RunStatus, TaskKind, TaskSpec, Trigger } from './model';

// ---------------------------------------------------------------------------------------------
// Runs and history

/** One run of a task, as recorded. Times are epoch ms. */
export interface RunRecord {
  /** Unique, sortable by creation (e.g. `${queuedAt.toString(36)}-${random}`). */
  id: string;
  taskId: string;
  trigger: Trigger;
  status: RunStatus;
  /** 1 for the first try; retries count up. */
  attempt: number;
  /** The schedule slot (or retry/enqueue due time) this run is for. */
  scheduledFor?: number;
  queuedAt: number;
  startedAt?: number;
  endedAt?: number;
  exitCode?: number | null;
  /** Why it failed/was skipped/missed/interrupted, for people. */
  error?: string;
  /** Captured output, size-capped (head and tail kept). */
  output?: string;
  outputTruncated?: boolean;
  /** The JSON value `run()` returned. */
  result?: unknown;
  params?: Record<string, unknown>;
  /** Which executor (lease owner id) ran it. */
  executor?: string;
  /**
   * What the run is an occurrence of: `slot:<time>` (a schedule slot), `now:<hash>` (a `now` task's
   * definition), `job:<id>` (a retry or enqueued job), `run:<id>` (anything else). A cluster allows one
   * run per occurrence and task.
   */
  occurrence?: string;
}

/** What the engine keeps per task between restarts. */
export interface TaskStateRecord {
  taskId: string;
  name: string;
  file: string;
  kind: TaskKind;
  paused: boolean;
  pausedReason?: string;
  /** The newest schedule slot already handled (fired, skipped or recorded missed): the catch-up baseline. */
  lastSlot?: number;
  /** Failed attempts of the current series; reset by a success or Reset Retries. */
  retryCount: number;
  consecutiveFailures: number;
  /** The task's file or YAML entry is gone: deactivated, history kept. */
  removed: boolean;
  updatedAt: number;
}

/** A run waiting for its time: a retry, a one-time run, or a `ctx.enqueue` request. Survives restarts. */
export interface PendingJob {
  id: string;
  taskId: string;
  kind: 'retry' | 'once' | 'enqueue';
  dueAt: number;
  attempt: number;
  trigger: Trigger;
  params?: Record<string, unknown>;
  /** Retry policy for an enqueued job (overrides the task's). */
  retries?: Partial<RetryPolicy>;
  /** The run whose failure created this retry. */
  previousRunId?: string;
  createdAt: number;
}

export interface Health {
  windowMs: Millis;
  finished: number;
  succeeded: number;
  /** succeeded / finished over the window; undefined when nothing finished. */
  successRate?: number;
  running: number;
  queued: number;
  averageDurationMs?: number;
}

export interface RunQuery {
  taskId?: string;
  limit?: number;
  /** Only runs queued before this time (paging backwards). */
  before?: number;
  statuses?: RunStatus[];
}

/** What opening the history found and did. */
export interface OpenReport {
  /** The file was unreadable and was moved aside to this path; a fresh one was started. */
  movedAside?: string;
  /** Human-readable reason when moved aside or refused. */
  reason?: string;
  /** The schema version found on disk (before migrations). */
  fromVersion?: number;
  /** Damaged journal entries that were skipped while replaying (a cut-off last line is not counted). */
  skippedJournalEntries?: number;
}

export interface History {
  /** Throws `NewerSchemaError` for a file written by a newer version (never overwritten). */
  open(): Promise<OpenReport>;
  /** Record the current task list; tasks not in it are marked removed (history kept). */
  syncTasks(tasks: Array<Pick<TaskStateRecord, 'taskId' | 'name' | 'file' | 'kind'>>, now: number): Promise<void>;
  taskStates(): Promise<TaskStateRecord[]>;
  saveTaskState(state: TaskStateRecord): Promise<void>;

  /** Insert or replace by id. A run that reaches a final status must be durable when the promise resolves. */
  putRun(run: RunRecord): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  runs(query: RunQuery): Promise<RunRecord[]>;
  lastErrors(taskId: string, limit?: number): Promise<RunRecord[]>;
  health(windowMs: Millis, now: number): Promise<Health>;
  /** Runs a dead executor left `queued`/`running` (read at start, before `markInterrupted`). */
  abandoned(): Promise<RunRecord[]>;
  /** Runs left `queued`/`running` by a dead executor become `interrupted`; returns them. */
  markInterrupted(now: number, reason: string): Promise<RunRecord[]>;

  putPending(job: PendingJob): Promise<void>;
  deletePending(id: string): Promise<void>;
  pending(): Promise<PendingJob[]>;

  /** Retention: drop finished runs older than `olderThanMs` and beyond `maxRunsPerTask` per task. */
  cleanup(opts: { now: number; olderThanMs?: Millis; maxRunsPerTask?: number }): Promise<{ deleted: number }>;
  /** Make everything written so far durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Running a task

export interface RunRequest {
  runId: string;
  task: TaskSpec;
  /** The compiled CommonJS file for kind = 'module'. */
  compiledPath?: string;
  params: Record<string, unknown>;
  attempt: number;
  trigger: Trigger;
  scheduledFor?: number;
  secrets: Record<string, string>;
}

export type FinalRunStatus = Extract<RunStatus, 'succeeded' | 'failed' | 'timed-out' | 'cancelled' | 'skipped'>;

export interface RunOutcome {
  status: FinalRunStatus;
  startedAt: number;
  endedAt: number;
  exitCode?: number | null;
  signal?: string | null;
  /** Message (and stack for thrown errors); for skipped: the predicate's reason. */
  error?: string;
  output: string;
  outputTruncated: boolean;
  result?: unknown;
}

/** `ctx.enqueue(taskId, params, { retries, delay })` from inside a task. */
export interface EnqueueRequest {
  taskId: string;
  params?: Record<string, unknown>;
  retries?: Partial<RetryPolicy>;
  delay?: Millis;
}

export interface RunObserver {
  /** The task's code is about to be called (after any warm-up). */
  started?(at: number): void;
  /** A line of output or a ctx.log/warn/error call, already prefixed with its level. */
  output?(line: string): void;
  enqueue?(request: EnqueueRequest): void;
}

export type CancelReason = 'cancelled' | 'replaced' | 'shutdown';

export interface RunHandle {
  cancel(reason: CancelReason): void;
  readonly done: Promise<RunOutcome>;
}

/** Runs one task kind. The child-process executor handles 'module' and 'command'; the extension adds the VS Code kinds. */
export interface Executor {
  readonly kinds: readonly TaskKind[];
  start(request: RunRequest, observer?: RunObserver): RunHandle;
  dispose(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Several executors of one workspace (a cluster): who starts a queued run

/** A queued run about to start, as the engine asks for it. */
export interface ClaimRequest {
  run: RunRecord;
  /** The pending job the run comes from (a retry, an enqueued job). */
  jobId?: string;
  priority: Priority;
  overlap: OverlapPolicy;
  /** It may not run beside another run of its task (any overlap but `allow`, or a run that waits for its task). */
  exclusive: boolean;
}

export type ClaimDecision =
  | { granted: true }
  /** Another executor has this occurrence (or job): forget the queued copy, without a record. */
  | { granted: false; why: 'taken' }
  /** Another run of the task runs elsewhere: an overlap `skip` is recorded skipped; others wait. */
  | { granted: false; why: 'busy'; holder?: string }
  /** The shared concurrency limit is reached, or the coordinator cannot be asked: wait. */
  | { granted: false; why: 'full' | 'unavailable'; reason?: string };

/**
 * Asked before each start when several executors share the tasks. Without one (a single executor)
 * every queued run starts when there is room. A decision may come back at once or later.
 */
export interface Claims {
  claim(request: ClaimRequest): ClaimDecision | Promise<ClaimDecision>;
  /** Something changed elsewhere (a run ended, a limit freed): runs that waited may be asked again. */
  onWake(listener: () => void): () => void;
  /**
   * The runs this executor has ready to start but holds back because the shared limit is full (told
   * after each `full` answer and whenever one of them leaves the queue), best first; each call replaces
   * the previous list, an empty one says none wait. A coordinator keeps a worse run of another executor
   * from taking a freed place before these.
   */
  waiting?(requests: ClaimRequest[]): void;
}

// ---------------------------------------------------------------------------------------------
// One executor per workspace

export interface LeaseOwner {
  /** Unique per process instance. */
  id: string;
  /** For people: "VS Code window (pid 1234)" / "task-scheduler run (pid 99) on host". */
  label: string;
  pid: number;
  host: string;
}

export interface LeaseState {
  /** Whether this process holds the lease (and so may execute tasks). */
  leader: boolean;
  /** Who holds it now, if anyone. */
  holder?: LeaseOwner;
  /** When the holder last renewed it. */
  heartbeatAt?: number;
}

export interface Lease {
  state(): LeaseState;
  /** Fires whenever leadership or the holder changes. */
  onChange(listener: (state: LeaseState) => void): () => void;
  /** Try to become the leader now (e.g. "Take over"): true when this process leads afterwards. */
  tryAcquire(force?: boolean): Promise<boolean>;
  release(): Promise<void>;
}
