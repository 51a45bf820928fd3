// The messages between the host (src/core/exec) and a runner child (src/runner), over Node's IPC
// channel. One discriminated union per direction, imported by both sides, so a change to either is a
// type error on the other. Plain JSON only; this file imports types and nothing that runs.
import type { EnqueueRequest } from '../core/ports';
import type { Trigger } from '../core/model';

/** The first argument of `runner.js`: which job the child process does. */
export const RunnerMode = {
  /** Load the runner, say `ready`, wait for one `run` message, run that task, exit. */
  serve: '--serve',
  /** Read task files' options (src/runner/describe.ts, its protocol in src/core/tasks/describeProtocol.ts). */
  describe: '--describe',
} as const;

/**
 * When the scheduler dies mid-run (kill -9, a crashed editor), the run gets this long after being asked
 * to stop before its whole process group is killed: a module task (src/runner/serve.ts, watchdog.ts) and
 * a shell command (src/core/exec/shellCommand.ts) alike, so nothing outlives its scheduler for long.
 */
export const ORPHAN_GRACE_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// Host → runner

/** Run one task. Sent once per process: a runner never runs a second task (isolation). */
export interface RunMessage {
  type: 'run';
  runId: string;
  taskId: string;
  /** Absolute path of the compiled CommonJS task file. */
  modulePath: string;
  params: Record<string, unknown>;
  attempt: number;
  /** No retry follows if this attempt fails, so `onFailure` is called. */
  finalAttempt: boolean;
  trigger: Trigger;
  /** Epoch ms of the slot this run is for. */
  scheduledFor?: number;
  workspaceFolder: string;
  /** Working directory of the run (a warm spare changes to it before loading the task). */
  cwd: string;
  /** The task's own variables, laid over the runner's environment (a warm spare started without them). */
  env: Record<string, string>;
  /** Only ever sent here, never through argv or the environment, so `ps` and /proc do not show them. */
  secrets: Record<string, string>;
}

export type AbortReason = 'timeout' | 'cancelled';

/** Stop politely: the task's `ctx.signal` is aborted; the host kills the process after its grace period. */
export interface AbortMessage {
  type: 'abort';
  reason: AbortReason;
  /** For people, e.g. "timed out after 10m". Becomes the signal's reason. */
  message: string;
}

/** The answer to an `enqueue` message: the job was handed to the engine (or why not). */
export interface EnqueuedMessage {
  type: 'enqueued';
  id: number;
  error?: string;
}

export type HostMessage = RunMessage | AbortMessage | EnqueuedMessage;

// ---------------------------------------------------------------------------------------------
// Runner → host

/** The runner is loaded and waits for its `run` message (a warm spare sits here). */
export interface ReadyMessage {
  type: 'ready';
  pid: number;
}

/** The task's own code is about to be loaded and called. */
export interface StartedMessage {
  type: 'started';
}

/** `ctx.enqueue(…)`; answered by an `enqueued` message with the same id. */
export interface EnqueueMessage {
  type: 'enqueue';
  id: number;
  request: EnqueueRequest;
}

/** How the runner saw the run end. The host may still record it as timed out or cancelled. */
export type ChildStatus = 'succeeded' | 'failed' | 'skipped' | 'timed-out' | 'cancelled';

export interface DoneMessage {
  type: 'done';
  status: ChildStatus;
  /** The JSON value `run()` returned (already passed through JSON). */
  result?: unknown;
  /** Message and stack of what was thrown; for `skipped`, the predicate's reason. */
  error?: string;
}

/** A line for the host's log, not the run's output (e.g. a hook error's whole stack). */
export interface LogMessage {
  type: 'log';
  text: string;
}

export type RunnerMessage = ReadyMessage | StartedMessage | EnqueueMessage | DoneMessage | LogMessage;

const RUNNER_TYPES: ReadonlySet<string> = new Set<RunnerMessage['type']>(['ready', 'started', 'enqueue', 'done', 'log']);
const HOST_TYPES: ReadonlySet<string> = new Set<HostMessage['type']>(['run', 'abort', 'enqueued']);

/** Task code can call `process.send` itself, so the host checks what it receives. */
export function isRunnerMessage(value: unknown): value is RunnerMessage {
  return typeof value === 'object' && value !== null && RUNNER_TYPES.has((value as { type?: unknown }).type as string);
}

export function isHostMessage(value: unknown): value is HostMessage {
  return typeof value === 'object' && value !== null && HOST_TYPES.has((value as { type?: unknown }).type as string);
}
