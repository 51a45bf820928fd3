// Built-in defaults: what applies when neither `.scheduler.yaml` nor a task file says otherwise.
// Each value is a decision; the comment beside it is the reason. The JSON Schema's `default`s are
// tested against these, so the editor shows what the engine does.

import type { RetryPolicy } from '../model';
import { DEFAULT_TASK_EXCLUDES, DEFAULT_TASK_INCLUDE } from '../tasks/discover';
import type { SchedulerConfig, TaskOptions } from './types';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Every task option that has a default, fully resolved. */
export interface TaskDefaults extends Required<Omit<TaskOptions,
  'name' | 'description' | 'timezone' | 'output' | 'retries' | 'memoryLimitMb'>> {
  retries: RetryPolicy;
  memoryLimitMb: number;
}

export const TASK_DEFAULTS: Readonly<TaskDefaults> = Object.freeze({
  schedule: [],                       // no schedule = manual: a task runs only when asked until it says when
  timeout: 10 * MINUTE,               // a hung chore is killed long before the next daily slot; long jobs raise it
  retries: Object.freeze({
    max: 0,                           // a failure shows at once; retrying a task that is not idempotent must be asked for
    backoff: 'exponential',           // when retries are asked for, back off from a struggling service
    delay: 30 * SECOND,               // long enough for a blip (network, lock) to pass
    maxDelay: 10 * MINUTE,            // exponential growth stops before it reaches the next slot of most tasks
    jitter: true,                     // tasks that failed together do not retry in lockstep
  }) as RetryPolicy,
  overlap: 'skip',                    // a slow run never piles up behind itself
  catchUp: 'latest',                  // after sleep a missed chore runs once, not once per missed slot
  catchUpWindow: 1 * DAY,             // a slot missed for longer than a day is stale: recorded as missed
  priority: 'normal',                 // the middle of five, so a task can be marked both up and down
  dependsOn: [],
  tags: [],
  enabled: true,
  env: {},
  params: {},
  memoryLimitMb: 512,                 // a runaway allocation dies early instead of swapping the machine
  pauseAfterFailures: 0,              // never auto-pause unless asked: a paused task is easy to forget
  ignoreWarnings: [],                 // every schedule warning shows until a task says it means it
});

export const CONFIG_DEFAULTS = Object.freeze({
  version: 1 as const,
  // Each run is its own Node process (tens of MB, a core while starting): two at once keep the editor
  // responsive on a laptop, and one slow task still leaves a slot for the rest.
  concurrency: 2,
  // Discovery owns its globs (and why); here they are the config's defaults. A user's `exclude` adds
  // to the built-in excludes rather than replacing them: node_modules is never a place for tasks.
  include: DEFAULT_TASK_INCLUDE,
  exclude: DEFAULT_TASK_EXCLUDES,
  retentionDays: 30,                  // the seeds' cleanup default; a month of history answers "when did this break?"
  maxRunsPerTask: 500,                // a week of a 20-minute task; keeps the sql.js file (exported whole) small
  onFailure: true,                    // a final failure (after the last retry) is worth an interruption
  onSuccess: false,                   // success is the normal case; it is in the history
  paused: false,
});

/** The config of a folder with no `.scheduler.yaml`. A fresh object each call: callers may fill it. */
export function defaultConfig(): SchedulerConfig {
  return {
    version: 1,
    timezone: undefined,
    concurrency: CONFIG_DEFAULTS.concurrency,
    tasks: { include: [...CONFIG_DEFAULTS.include], exclude: [...CONFIG_DEFAULTS.exclude] },
    defaults: {},
    history: { retentionDays: CONFIG_DEFAULTS.retentionDays, maxRunsPerTask: CONFIG_DEFAULTS.maxRunsPerTask },
    notifications: { onFailure: CONFIG_DEFAULTS.onFailure, onSuccess: CONFIG_DEFAULTS.onSuccess },
    paused: CONFIG_DEFAULTS.paused,
    overrides: {},
    jobs: {},
  };
}
