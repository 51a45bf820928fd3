// The shapes `.scheduler.yaml` and task options resolve to. Plain data only (it crosses to the
// runner and the CLI as JSON); positions live beside the data, never inside it.

import type {
  CatchUpPolicy, Dependency, Diagnostic, Millis, OutputOptions, OverlapPolicy, Priority, RetryPolicy, ScheduleInput,
  ScheduleWarningName,
} from '../model';

/** A place in a user's file, 1-based like `Diagnostic`. */
export interface SourceRange {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Where a diagnostic points: a file plus a range in it. */
export type Location = Pick<Diagnostic, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>;

/** Keys and list indexes from the options object down to a value, e.g. `['retries', 'delay']`. */
export type Path = (string | number)[];

/**
 * Maps a path inside the options object to its place in the source. `key` asks for the key itself
 * (an unknown key is reported there); `offset`/`length` ask for a span inside a string value (a
 * schedule error names a character). A resolver that only knows coarser places returns those.
 */
export type PositionResolver = (path: Path, where?: { key?: boolean; offset?: number; length?: number }) => SourceRange;

/**
 * One task's options as written, validated and normalised, every field optional: a level in the
 * precedence chain (built-in < config defaults < task file or job < config override).
 */
export interface TaskOptions {
  name?: string;
  description?: string;
  schedule?: ScheduleInput[];
  timezone?: string;
  timeout?: Millis;
  retries?: Partial<RetryPolicy>;
  overlap?: OverlapPolicy;
  catchUp?: CatchUpPolicy;
  catchUpWindow?: Millis;
  priority?: Priority;
  dependsOn?: Dependency[];
  tags?: string[];
  enabled?: boolean;
  env?: Record<string, string>;
  params?: Record<string, unknown>;
  /** Written `memoryLimit` (MB, or "512MB" / "1GB"); named like `TaskSpec.memoryLimitMb`. */
  memoryLimitMb?: number;
  output?: OutputOptions;
  pauseAfterFailures?: number;
  ignoreWarnings?: ScheduleWarningName[];
}

/** The three kinds of task that need no TypeScript, by the key that names them. */
export const JOB_KINDS = ['command', 'vscodeCommand', 'vscodeTask'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** A task written in `.scheduler.yaml` under `jobs:`. */
export interface JobOptions extends TaskOptions {
  /** Set when exactly one of command / vscodeCommand / vscodeTask is given. */
  kind?: JobKind;
  command?: string;
  cwd?: string;
  vscodeCommand?: string;
  args?: unknown[];
  vscodeTask?: string;
}

export interface SchedulerConfig {
  version: 1;
  /** IANA zone for tasks that name none; undefined = the machine's zone. */
  timezone?: string;
  /** Most runs at once, across all tasks of the workspace folder. */
  concurrency: number;
  /** Which files are task files (workspace-relative globs). `exclude` already holds the built-in excludes. */
  tasks: { include: string[]; exclude: string[] };
  /** Defaults for every task; `timezone` is copied here from the top level so precedence handles it. */
  defaults: TaskOptions;
  history: { retentionDays: number; maxRunsPerTask: number };
  notifications: { onFailure: boolean; onSuccess: boolean };
  /** Global pause: nothing runs on a schedule until resumed. */
  paused: boolean;
  /** Per task id (`scripts/nightly-backup` or a job id). */
  overrides: Record<string, TaskOptions>;
  /** Tasks with no TypeScript, keyed by id. */
  jobs: Record<string, JobOptions>;
  /** A PostgreSQL database that makes this folder's executors a cluster; undefined = the embedded history. */
  store?: StoreConfig;
}

/** `store:` as written: `url` may hold `${env:NAME}` (expanded when used, as in VS Code's tasks.json). */
export interface StoreConfig {
  url: string;
  /** One database holds several clusters by name. */
  name: string;
  /** Set when `store:` was written with an error: the folder asked for a cluster and must not run without one. */
  invalid?: string;
}

/** Where the config wrote what later checks (dependencies, override targets) need to point at. */
export interface ConfigLocations {
  /** The key of each job under `jobs:`. */
  jobs: Record<string, SourceRange>;
  /** The key of each entry under `overrides:`. */
  overrides: Record<string, SourceRange>;
  /** Per task id, each `dependsOn` entry this file sets for it (an override's list wins over a job's). */
  dependsOn: Record<string, SourceRange[]>;
}

export interface LoadedConfig {
  /** Absolute path of the file read; undefined when the folder has none (built-in defaults). */
  file?: string;
  config: SchedulerConfig;
  diagnostics: Diagnostic[];
  locations: ConfigLocations;
}
