// Generated from src/api/index.ts by types/generate.js — do not edit.
/** A duration: `"500ms"`, `"30s"`, `"10m"`, `"2h"`, `"1d"`, `"1h30m"`, or a number of milliseconds. */
export type Duration = string | number;
/** Queue order when more runs are due than may run at once; `critical` first. */
export type Priority = 'critical' | 'high' | 'normal' | 'low' | 'background';
/** What happens when a run is due while the previous run of the same task is still going. */
export type OverlapPolicy = 'skip' | 'queue' | 'allow' | 'replace';
/** What happens to runs that fell due while the editor was closed or the machine asleep. */
export type CatchUpPolicy = 'skip' | 'latest' | 'all';
/** How the wait between retries grows. */
export type Backoff = 'fixed' | 'linear' | 'exponential';
/** The outcome of a dependency that lets a dependent run. */
export type DependencyOutcome = 'success' | 'failure' | 'completion';
/**
 * A schedule the editor warns about as valid but probably not meant: never fires, next run more than a
 * year away, a time in a DST gap or repeated hour, both day fields restricted (OR'd), a step that does not
 * divide its field, a past one-time date, every second with `overlap: "allow"`, many tasks in the same
 * second (a herd), a dependency that never runs.
 */
export type ScheduleWarningName = 'never-fires' | 'far-next' | 'dst-gap' | 'dst-repeat' | 'day-or' | 'uneven-step' | 'past-once' | 'overlap-every-second' | 'herd' | 'dependency-never-runs';
/** Why a run started. */
export type Trigger = 'schedule' | 'manual' | 'retry' | 'dependency' | 'catch-up' | 'enqueue' | 'once';
/**
 * A schedule written as an object (the structured form of Django-style schedulers).
 * `day_of_week` counts from 0 = Monday.
 */
export interface StructuredSchedule {
    type: 'minutes' | 'hourly' | 'daily' | 'weekly' | 'monthly';
    /** Every `interval` minutes/hours/days…  @default 1 */
    interval?: number;
    /** Hour of day, 0–23. @default 0 */
    hour?: number;
    /** Minute of hour, 0–59. @default 0 */
    minute?: number;
    /** 0 = Monday … 6 = Sunday (weekly only). @default 0 */
    day_of_week?: number;
    /** 1–31 (monthly only). @default 1 */
    day_of_month?: number;
}
/**
 * One schedule: a cron pattern (`"0 2 * * *"`, 6 fields with seconds, 7 with year, `L W # ?`,
 * `@daily`…), a phrase (`"every 5 minutes"`, `"daily at 09:30"`, `"weekdays at 09:00"`,
 * `"weekly on monday at 09:00"`, `"monthly on 15 at 12:00"`, `"twice daily at 1:00 and 13:00"`,
 * `"hourly at :15"`, `"quarterly"`, `"yearly"`), a one-time `"once at 2026-12-01T09:00"` (or an ISO
 * date), `"now"` (once, as soon as loaded), `"manual"` (only on demand), or a {@link StructuredSchedule}.
 */
export type ScheduleInput = string | StructuredSchedule;
/** How failed runs are retried. */
export interface RetryOptions {
    /** Retries after the first attempt; 0 = never retry. @default 0 */
    max?: number;
    /** How the wait grows: the same each time, `delay × attempt`, or doubling. @default "exponential" */
    backoff?: Backoff;
    /** The wait before the first retry. @default "30s" */
    delay?: Duration;
    /** The wait never grows beyond this. @default "10m" */
    maxDelay?: Duration;
    /** Spread each wait randomly so tasks that failed together do not retry in lockstep. @default true */
    jitter?: boolean;
}
/** A task that must finish before this one runs. */
export interface DependencyOptions {
    /** The other task's id: its workspace-relative path without `.task.ts` (`scripts/fetch-data`), or a YAML job id. */
    task: string;
    /** Which outcome of that task lets this one run; otherwise this run is recorded as skipped. @default "success" */
    on?: DependencyOutcome;
}
/** Where a run's output is also written, besides the history. */
export interface OutputFileOptions {
    /** Workspace-relative or absolute path. */
    file: string;
    /** Add to the file or replace it on each run. @default "append" */
    mode?: 'append' | 'overwrite';
}
/** How a run ended, as passed to the `after` hook. */
export type RunOutcome = {
    status: 'succeeded';
    result: unknown;
} | {
    status: 'failed' | 'timed-out' | 'cancelled';
    error: Error;
};
/** Options for {@link TaskContext.enqueue}. */
export interface EnqueueOptions {
    /** Retry policy for that run (a number = `max`). @default the task's own */
    retries?: number | RetryOptions;
    /** Wait this long before it is due. @default 0 */
    delay?: Duration;
}
/** What `run` and the hooks receive. */
export interface TaskContext<P extends Record<string, unknown> = Record<string, unknown>> {
    /** The task's `params`, with those given for this run (e.g. "Run with Parameters…") laid over them. */
    readonly params: P;
    /** Aborted when the run is cancelled or times out: pass it to `fetch` and friends, or check `aborted`. */
    readonly signal: AbortSignal;
    /** Writes a line to the run's captured output. */
    log(...args: unknown[]): void;
    /** Writes a warning line to the run's captured output. */
    warn(...args: unknown[]): void;
    /** Writes an error line to the run's captured output (it does not fail the run; throw for that). */
    error(...args: unknown[]): void;
    /** 1 for the first try, 2 for the first retry, … */
    readonly attempt: number;
    /** Why this run started. */
    readonly trigger: Trigger;
    /** The schedule slot this run is for; undefined for manual and enqueued runs. */
    readonly scheduledFor?: Date;
    /** Secrets stored for this workspace (never written to history or output). */
    readonly secrets: Readonly<Record<string, string | undefined>>;
    /** Absolute path of the workspace folder the task belongs to (the run's working directory). */
    readonly workspaceFolder: string;
    /** This task's id, e.g. `scripts/nightly-backup`. */
    readonly taskId: string;
    /** The run's environment: the scheduler's, with the task's `env` laid over it. */
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Queues a run of another task (or this one) with parameters; resolves once it is queued. */
    enqueue(taskId: string, params?: Record<string, unknown>, options?: EnqueueOptions): Promise<void>;
}
/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;
/**
 * A task: what `export default defineTask({ … })` in a `*.task.ts` file describes. Everything but
 * `run` is optional; `.scheduler.yaml` can set defaults and per-task overrides for the same options.
 */
export interface TaskDefinition<P extends Record<string, unknown> = Record<string, unknown>, R = unknown> {
    /** Shown in the tree, dashboard and notifications. @default the task id */
    name?: string;
    /** One line about what the task does, shown in tooltips and `task-scheduler list`. */
    description?: string;
    /** When the task runs: one schedule or several (it runs at each). No schedule = manual. @default "manual" */
    schedule?: ScheduleInput | ScheduleInput[];
    /** IANA time zone for the schedule, e.g. `"Europe/Berlin"`. @default the config's `timezone`, else the machine's */
    timezone?: string;
    /** A run still going after this is stopped (politely, then killed). @default "10m" */
    timeout?: Duration;
    /** Retry a failed run: a number is the most retries, or the full policy. @default 0 (no retries) */
    retries?: number | RetryOptions;
    /** What to do when a run is due while the previous one still runs: skip it, queue one, allow both, or replace the running one. @default "skip" */
    overlap?: OverlapPolicy;
    /** Runs missed while asleep or closed: none, the latest once, or each. @default "latest" */
    catchUp?: CatchUpPolicy;
    /** Missed runs older than this are recorded as missed, not caught up. @default "1d" */
    catchUpWindow?: Duration;
    /** Queue order when more runs are due than may run at once. @default "normal" */
    priority?: Priority;
    /** Tasks that must finish first: an id means `{ task: id, on: "success" }`. @default [] */
    dependsOn?: Array<string | DependencyOptions>;
    /** Free labels to filter by in the tree and dashboard. @default [] */
    tags?: string[];
    /** A disabled task is listed but never runs on its schedule. @default true */
    enabled?: boolean;
    /** Environment variables for the run's process. @default {} */
    env?: Record<string, string>;
    /** Default parameters (`ctx.params`); a run can be started with others. @default {} */
    params?: P;
    /** Heap limit of the run's process: MB, or `"512MB"` / `"1GB"`. @default 512 */
    memoryLimit?: number | string;
    /** Also write each run's output to a file. */
    output?: OutputFileOptions;
    /** Pause the task after this many failed runs in a row (after retries); 0 = never. @default 0 */
    pauseAfterFailures?: number;
    /** Schedule warnings this task means to have: the editor stops showing them for it. @default [] */
    ignoreWarnings?: ScheduleWarningName[];
    /** Runs only when this returns true (checked each time the task is due; false records a skipped run). */
    when?(ctx: TaskContext<P>): Awaitable<boolean>;
    /** Skips the run when this returns true or a string (the reason recorded with the skipped run). */
    skip?(ctx: TaskContext<P>): Awaitable<boolean | string>;
    /** Called before each attempt; a throw fails that attempt. */
    before?(ctx: TaskContext<P>): Awaitable<void>;
    /** Called after each attempt, whatever its outcome. */
    after?(ctx: TaskContext<P>, outcome: RunOutcome): Awaitable<void>;
    /** Called once when a run succeeds, with what `run` returned. */
    onSuccess?(ctx: TaskContext<P>, result: R): Awaitable<void>;
    /** Called once when a run has failed for good (after its last retry). */
    onFailure?(ctx: TaskContext<P>, error: Error): Awaitable<void>;
    /** The work. Its return value (JSON) is kept in the history; a throw or rejection fails the run. */
    run(ctx: TaskContext<P>): Awaitable<R>;
}
/**
 * Declares a task with full type checking and completion. Returns its argument unchanged: a plain
 * `export default { schedule, run }` works the same, only without the editor's help.
 */
export declare function defineTask<P extends Record<string, unknown> = Record<string, unknown>, R = unknown>(definition: TaskDefinition<P, R>): TaskDefinition<P, R>;
