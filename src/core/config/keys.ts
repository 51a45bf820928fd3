// Every key the validator accepts, per level, in one place. The JSON Schema is tested against these
// lists in both directions, so a key added here and not there (or the reverse) fails a test.

/**
 * Top level of `.scheduler.yaml`. Tasks with no TypeScript live under `jobs:`, not `tasks:`: `tasks:`
 * says which *files* are tasks (include/exclude globs), and a second meaning for the same word would
 * make `tasks: { backup: … }` look right and do nothing. A misplaced job under `tasks:` gets its own hint.
 */
export const TOP_LEVEL_KEYS = [
  'version', 'timezone', 'concurrency', 'tasks', 'defaults', 'history', 'notifications', 'paused', 'overrides', 'jobs', 'store',
] as const;

/** `store:` — a PostgreSQL database that makes the folder's executors a cluster. */
export const STORE_KEYS = ['url', 'name'] as const;

export const DISCOVERY_KEYS = ['include', 'exclude'] as const;
export const HISTORY_KEYS = ['retentionDays', 'maxRunsPerTask'] as const;
export const NOTIFICATION_KEYS = ['onFailure', 'onSuccess'] as const;

/** Options of one task, wherever it is defined: task file, job, or override. */
export const TASK_OPTION_KEYS = [
  'name', 'description', 'schedule', 'timezone', 'timeout', 'retries', 'overlap', 'catchUp', 'catchUpWindow',
  'priority', 'dependsOn', 'tags', 'enabled', 'env', 'params', 'memoryLimit', 'output', 'pauseAfterFailures', 'ignoreWarnings',
] as const;
export type TaskOptionKey = (typeof TASK_OPTION_KEYS)[number];

/** What makes sense for every task at once. The rest belongs to one task (schedule, dependsOn, …). */
export const DEFAULTS_KEYS = [
  'timeout', 'retries', 'overlap', 'catchUp', 'catchUpWindow', 'priority', 'memoryLimit', 'pauseAfterFailures', 'env', 'tags',
  'ignoreWarnings',
] as const;

/** Keys that give a job its kind (exactly one), and the keys that go with them. */
export const JOB_OWN_KEYS = ['command', 'cwd', 'vscodeCommand', 'args', 'vscodeTask'] as const;
export const JOB_KEYS = [...TASK_OPTION_KEYS, ...JOB_OWN_KEYS] as const;

/** Code a task file exports beside its options; read and checked by task-file loading, not here. */
export const TASK_FILE_CODE_KEYS = ['run', 'when', 'skip', 'before', 'after', 'onSuccess', 'onFailure'] as const;

export const RETRY_KEYS = ['max', 'backoff', 'delay', 'maxDelay', 'jitter'] as const;
export const DEPENDENCY_KEYS = ['task', 'on'] as const;
export const OUTPUT_KEYS = ['file', 'mode'] as const;
export const OUTPUT_MODES = ['append', 'overwrite'] as const;
/** The seeds' structured schedule (snake_case as users know it from there, day_of_week 0 = Monday). */
export const STRUCTURED_SCHEDULE_KEYS = ['type', 'interval', 'hour', 'minute', 'day_of_week', 'day_of_month'] as const;
export const STRUCTURED_SCHEDULE_TYPES = ['minutes', 'hourly', 'daily', 'weekly', 'monthly'] as const;

/**
 * Names users bring from the schedulers they used before (see the seeds), with what to write here.
 * Looked up before "did you mean", because these are too far from ours for an edit distance.
 */
export const FOREIGN_KEY_HINTS: Readonly<Record<string, string>> = {
  maxretries: 'use `retries: { max: N }` (or `retries: N`)',
  retrycount: 'use `retries: { max: N }` (or `retries: N`)',
  maxattempts: 'use `retries: { max: N }` (or `retries: N`)',
  retrydelay: 'use `retries: { delay: "5m" }`',
  retrydelayminutes: 'use `retries: { delay: "5m" }`',
  withoutoverlapping: 'use `overlap: skip` (the default)',
  cron: 'use `schedule: "0 2 * * *"`',
  cronexpression: 'use `schedule: "0 2 * * *"`',
  frequency: 'use `schedule:`',
  dependencies: 'use `dependsOn: [other-task]`',
  title: 'use `name:`',
  maxconcurrenttasks: 'use `concurrency:` at the top level',
  cleanupdays: 'use `history: { retentionDays: N }`',
  recurring: 'schedules repeat unless written `once at 2026-12-01T09:00`',
  handler: 'use `command:` for a shell command, or write a *.task.ts file',
  exec: 'use `command:`',
  shell: 'use `command:`',
  scheduletype: 'use `schedule: { type: daily, hour: 9, minute: 30 }`',
  scheduleinterval: 'use `schedule: { type: minutes, interval: 5 }`',
  appendoutputto: 'use `output: { file: logs/task.log, mode: append }`',
  sendoutputto: 'use `output: { file: logs/task.log, mode: overwrite }`',
};
