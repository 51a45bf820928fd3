// The `ctx` a task's `run` and hooks receive, built in the child from the host's `run` message. Its
// type is the public TaskContext of the `task-scheduler` module (src/api), imported as a type only, so
// what task authors are promised and what the runner builds cannot drift apart.
import { format } from 'util';
import { parseDuration } from '../core/duration';
import type { EnqueueRequest } from '../core/ports';
import type { RetryPolicy } from '../core/model';
import type { EnqueueOptions, TaskContext } from '../api';
import type { RunMessage } from './protocol';

export type { EnqueueOptions, TaskContext };

/** What the context needs from the process around it (passed in, so it is testable without IPC). */
export interface ContextIo {
  /** Write a line to the run's captured output. */
  write(text: string): void;
  /** Hand a request to the host; resolves once the engine has queued it. */
  enqueue(request: EnqueueRequest): Promise<void>;
}

/**
 * The level prefix of each ctx line, so the output shows which lines the task logged on purpose and
 * how severe they are. All levels go to one stream: two pipes are read independently, so lines split
 * across stdout and stderr could reach the host out of the order the task wrote them.
 */
const LEVEL_PREFIX = { log: '[log] ', warn: '[warn] ', error: '[error] ' } as const;

export function createContext(msg: RunMessage, signal: AbortSignal, io: ContextIo): TaskContext {
  const line = (level: keyof typeof LEVEL_PREFIX) => (...args: unknown[]): void => {
    io.write(`${LEVEL_PREFIX[level]}${format(...args)}\n`);
  };
  return Object.freeze({
    params: msg.params,
    signal,
    log: line('log'),
    warn: line('warn'),
    error: line('error'),
    attempt: msg.attempt,
    trigger: msg.trigger,
    scheduledFor: msg.scheduledFor === undefined ? undefined : new Date(msg.scheduledFor),
    secrets: Object.freeze({ ...msg.secrets }),
    workspaceFolder: msg.workspaceFolder,
    taskId: msg.taskId,
    env: Object.freeze({ ...process.env }),
    async enqueue(taskId: string, params?: Record<string, unknown>, options?: EnqueueOptions): Promise<void> {
      await io.enqueue(toEnqueueRequest(taskId, params, options));
    },
  });
}

/** Checks and converts the author's arguments into the engine's form (durations in ms). Throws TypeError. */
export function toEnqueueRequest(taskId: unknown, params?: unknown, options?: EnqueueOptions): EnqueueRequest {
  if (typeof taskId !== 'string' || !taskId.trim()) throw new TypeError('ctx.enqueue: taskId must be a non-empty string');
  const request: EnqueueRequest = { taskId };
  if (params !== undefined) {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new TypeError('ctx.enqueue: params must be an object');
    }
    // Stored with the pending job as JSON, so what cannot survive that is refused here, where it is written.
    try {
      request.params = JSON.parse(JSON.stringify(params)) as Record<string, unknown>;
    } catch (e) {
      throw new TypeError(`ctx.enqueue: params must be JSON-serialisable (${(e as Error).message})`);
    }
  }
  if (options?.delay !== undefined) request.delay = duration(options.delay, 'delay');
  const retries = options?.retries;
  if (typeof retries === 'number') {
    if (!Number.isInteger(retries) || retries < 0) throw new TypeError('ctx.enqueue: retries must be a whole number ≥ 0');
    request.retries = { max: retries };
  } else if (retries !== undefined) {
    const policy: Partial<RetryPolicy> = {};
    if (retries.max !== undefined) policy.max = retries.max;
    if (retries.backoff !== undefined) policy.backoff = retries.backoff;
    if (retries.jitter !== undefined) policy.jitter = retries.jitter;
    if (retries.delay !== undefined) policy.delay = duration(retries.delay, 'retries.delay');
    if (retries.maxDelay !== undefined) policy.maxDelay = duration(retries.maxDelay, 'retries.maxDelay');
    request.retries = policy;
  }
  return request;
}

function duration(value: string | number, name: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new TypeError(`ctx.enqueue: ${name} must be a duration like "30s" or a number of ms, not ${JSON.stringify(value)}`);
  return ms;
}
