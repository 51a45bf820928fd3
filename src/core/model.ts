// The shared vocabulary of the core: what a task is, how it runs, and what can go wrong with the
// files that describe it. Plain data only, so it crosses process and worker boundaries as JSON.
// The schedule forms a task file may write are defined once, in the module task files import.
import type { ScheduleInput, StructuredSchedule } from '../api';
export type { ScheduleInput, StructuredSchedule };

/** Order matters: earlier = runs first when the queue is contended. */
export const PRIORITIES = ['critical', 'high', 'normal', 'low', 'background'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const OVERLAP_POLICIES = ['skip', 'queue', 'allow', 'replace'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export const CATCH_UP_POLICIES = ['skip', 'latest', 'all'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

export const BACKOFFS = ['fixed', 'linear', 'exponential'] as const;
export type Backoff = (typeof BACKOFFS)[number];

export const DEPENDENCY_OUTCOMES = ['success', 'failure', 'completion'] as const;
export type DependencyOutcome = (typeof DEPENDENCY_OUTCOMES)[number];

export const RUN_STATUSES = [
  'queued', 'running', 'succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'interrupted', 'missed',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TASK_STATES = ['scheduled', 'running', 'paused', 'retry-scheduled', 'failed', 'disabled', 'invalid'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TRIGGERS = ['schedule', 'manual', 'retry', 'dependency', 'catch-up', 'enqueue', 'once'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/**
 * Schedules that are valid but probably not what was meant: the editor warns about each (Problems),
 * and a task's `ignoreWarnings` silences the ones it means.
 */
export const SCHEDULE_WARNINGS = [
  'never-fires', 'far-next', 'dst-gap', 'dst-repeat', 'day-or', 'uneven-step', 'past-once', 'overlap-every-second', 'herd',
  'dependency-never-runs',
] as const;
export type ScheduleWarningName = (typeof SCHEDULE_WARNINGS)[number];

/** Where a task's code comes from. */
export type TaskKind = 'module' | 'command' | 'vscodeCommand' | 'vscodeTask';

/** Durations are milliseconds once resolved; users write "30s", "10m", "2h", "1d" or a number of ms. */
export type Millis = number;

export interface RetryPolicy {
  /** Retries after the first attempt; 0 = never retry. */
  max: number;
  backoff: Backoff;
  delay: Millis;
  maxDelay: Millis;
  jitter: boolean;
}

export interface Dependency {
  task: string;
  on: DependencyOutcome;
}

export interface OutputOptions {
  file: string;
  mode: 'append' | 'overwrite';
}

/** A task with every option resolved (defaults and overrides applied), ready to schedule. */
export interface TaskSpec {
  /** Workspace-relative path without `.task.ts` (`scripts/nightly-backup`), or the YAML key. */
  id: string;
  name: string;
  description?: string;
  kind: TaskKind;
  /** Absolute path of the file that defines it (task file or .scheduler.yaml). */
  file: string;
  /** Absolute path of the workspace folder it belongs to. */
  workspaceFolder: string;
  /** Raw schedule strings/objects as written; parsed by core/schedule. Empty = manual. */
  schedule: ScheduleInput[];
  timezone?: string;
  timeout: Millis;
  retries: RetryPolicy;
  overlap: OverlapPolicy;
  catchUp: CatchUpPolicy;
  catchUpWindow: Millis;
  priority: Priority;
  dependsOn: Dependency[];
  tags: string[];
  enabled: boolean;
  /** Heap limit for the child process, in MB. */
  memoryLimitMb?: number;
  env: Record<string, string>;
  params: Record<string, unknown>;
  output?: OutputOptions;
  /** Pause the task after this many consecutive final failures (0 = never). */
  pauseAfterFailures: number;
  /** Schedule warnings this task means to have (the editor does not show them). */
  ignoreWarnings?: ScheduleWarningName[];
  /** kind=command */
  command?: string;
  cwd?: string;
  /** kind=vscodeCommand */
  vscodeCommand?: string;
  args?: unknown[];
  /** kind=vscodeTask */
  vscodeTask?: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem in a user's file, positioned for the Problems panel and the CLI (1-based line/column). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  message: string;
  /** Stable machine-readable kind, e.g. `config.unknown-key`, `schedule.invalid`, `compile.missing-package`. */
  code: string;
  /** The task the problem belongs to, when there is one. */
  taskId?: string;
}

/** `file:line:col: severity: message` — the one textual form used by the CLI and logs. */
export function formatDiagnostic(d: Diagnostic, relativeTo?: string): string {
  let file = d.file;
  if (relativeTo && file.startsWith(relativeTo + '/')) file = file.slice(relativeTo.length + 1);
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}
