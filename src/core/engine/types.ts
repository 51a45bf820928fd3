// What the engine is given: its dependencies, and the plan of tasks it schedules. The engine needs only
// a part of core/schedule's `Schedule`, as a type (no code of it), so tests pass small fakes.
import type { Clock } from '../clock';
import type { TaskSpec } from '../model';
import type { Claims, Executor, History } from '../ports';
import type { Schedule } from '../schedule/schedule';

/** The part of core/schedule's `Schedule` the engine uses. */
export type EngineSchedule = Pick<Schedule, 'kind' | 'source' | 'at' | 'timezone' | 'next' | 'nextRuns' | 'previous' | 'describe'>;

export interface PlannedTask {
  spec: TaskSpec;
  /** Undefined = manual (runs only when asked or triggered by a dependency). */
  schedule?: EngineSchedule;
  /** The compiled CommonJS file of a `module` task. */
  compiledPath?: string;
}

/** A task file or YAML entry that could not be turned into a task: listed, never run. */
export interface InvalidTask {
  id: string;
  name: string;
  file: string;
  reason: string;
}

export interface EngineSettings {
  /** Most runs at once, across all tasks. */
  concurrency: number;
  /** Global pause as configured; applied when it changes between loads (see Scheduler.load). */
  paused: boolean;
  retentionDays?: number;
  maxRunsPerTask?: number;
  /** Only tasks with one of these tags run on their own; empty/undefined = all. */
  tags?: string[];
  /**
   * false: run only what is asked for (Run Now) and its dependents — no slots, catch-up, `now` tasks,
   * pending retries/jobs or retention, which stay for the real executor (a short-lived CLI command).
   * Default true.
   */
  automatic?: boolean;
}

export interface LoadPlan {
  tasks: PlannedTask[];
  invalid?: InvalidTask[];
  settings: EngineSettings;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SchedulerDeps {
  clock: Clock;
  /** Already opened by the caller. */
  history: History;
  executors: Executor[];
  /** The lease owner id, written on every run. */
  executorId: string;
  /** Several executors share the tasks: each start is claimed first (see ports.ts `Claims`). */
  claims?: Claims;
  log?: (level: LogLevel, message: string) => void;
  /** In [0, 1); used for retry jitter. */
  random?: () => number;
  secrets?: (taskId: string) => Record<string, string>;
}

/** What `Scheduler.resetSchedule` found and did. */
export interface ScheduleReset {
  taskId: string;
  /** The newest slot handled before the reset. */
  lastSlot?: number;
  /** A slot fell due after `lastSlot` and has not run (a backlog). */
  overdue: boolean;
  /** The next slot counted from now. */
  nextRun?: number;
  /** False for a dry run, and for tasks with no recurring schedule (manual, now). */
  changed: boolean;
}
