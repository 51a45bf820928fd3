// One run's life inside the child: load, predicates, hooks, run, result. No IPC here: serve.ts wires
// it to the process, so the order of calls is plain to read (and to test in-process).
import { inspect } from 'util';
import type { TaskContext } from './context';
import type { LoadedTask } from './loadTask';
import type { AbortReason, ChildStatus, DoneMessage } from './protocol';

/** A result bigger than this is not sent whole: history rows stay small and IPC stays cheap. */
export const MAX_RESULT_JSON_CHARS = 256 * 1024;
/** How much of an unusable result is kept, as text, so people still see what it was. */
const RESULT_PREVIEW_CHARS = 4 * 1024;

export interface RunTaskDeps {
  /** Loads the task module; its top-level code runs here, so a throw is an import-time error. */
  load(): LoadedTask;
  ctx: TaskContext;
  /** Why `ctx.signal` was aborted, if it was. */
  abortReason(): AbortReason | undefined;
  /** No retry follows a failure: `onFailure` is due. */
  finalAttempt: boolean;
  /** A line in the run's output, among the task's own ctx lines (hook failures, result problems). */
  report(line: string): void;
  /** What the user reads of an error: the stack cut at the task's own frames (the rest goes to `log`). */
  userError?(text: string): string;
}

type HookOutcome = { status: 'succeeded'; result: unknown } | { status: Exclude<ChildStatus, 'succeeded' | 'skipped'>; error: Error };

/**
 * The order: load → when → skip → before → run → onSuccess | onFailure → after.
 * A skipped run calls no hook. `before` throwing fails the attempt without calling `run`. A throw in
 * `onSuccess`, `onFailure` or `after` is reported in the output but does not change the outcome: the
 * work itself is done (or failed) by then, and turning a success into a failure could retry it.
 */
export async function runTask(deps: RunTaskDeps): Promise<DoneMessage> {
  const { ctx } = deps;
  let task: LoadedTask;
  try {
    task = deps.load();
  } catch (e) {
    return { type: 'done', status: 'failed', error: `the task file threw while loading: ${describeError(e)}` };
  }

  if (task.when && !(await task.when(ctx))) return { type: 'done', status: 'skipped', error: 'when() returned false' };
  if (task.skip) {
    const skip = await task.skip(ctx);
    if (typeof skip === 'string' && skip) return { type: 'done', status: 'skipped', error: skip };
    if (skip === true) return { type: 'done', status: 'skipped', error: 'skip() returned true' };
  }

  let outcome: HookOutcome;
  try {
    if (task.before) await task.before(ctx);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    outcome = { status: 'succeeded', result: await task.run(ctx) };
  } catch (e) {
    const reason = deps.abortReason();
    const status = reason === 'timeout' ? 'timed-out' : reason === 'cancelled' ? 'cancelled' : 'failed';
    outcome = { status, error: e instanceof Error ? e : new Error(describeError(e)) };
  }

  if (outcome.status === 'succeeded') await callHook('onSuccess', task.onSuccess, deps, outcome.result);
  else if (outcome.status !== 'cancelled' && deps.finalAttempt) await callHook('onFailure', task.onFailure, deps, outcome.error);
  await callHook('after', task.after, deps, outcome);

  if (outcome.status !== 'succeeded') {
    // Rethrowing the signal's own reason says nothing the host does not know (and its stack is the runner's).
    const error = outcome.error === ctx.signal.reason ? undefined : describeError(outcome.error);
    return { type: 'done', status: outcome.status, error };
  }
  const { result, problem } = toJsonResult(outcome.result);
  if (problem) deps.report(`[warn] ${problem}`);
  return { type: 'done', status: 'succeeded', result };
}

async function callHook(name: string, hook: ((...a: unknown[]) => unknown) | undefined, deps: RunTaskDeps, arg: unknown): Promise<void> {
  if (!hook) return;
  try {
    await hook(deps.ctx, arg);
  } catch (e) {
    const text = describeError(e);
    deps.report(`[error] ${name}() threw (the run's outcome is unchanged): ${deps.userError ? deps.userError(text) : text}`);
  }
}

/**
 * The result as JSON would store it. Decision: a value JSON cannot hold (a cycle, a BigInt) or one too
 * large does not fail the run — the work is done, and failing it could retry a non-idempotent task —
 * it is kept as a short inspected text instead, with a warning in the output saying so.
 */
export function toJsonResult(value: unknown): { result?: unknown; problem?: string } {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    return { result: preview(inspect(value, { depth: 4, breakLength: Infinity })), problem: `run() returned a value that is not JSON-serialisable (${(e as Error).message}); kept as text` };
  }
  if (json === undefined) return {};
  if (json.length > MAX_RESULT_JSON_CHARS) {
    return { result: preview(json), problem: `run() returned ${json.length} characters of JSON, more than the ${MAX_RESULT_JSON_CHARS} kept; kept the start as text` };
  }
  return { result: JSON.parse(json) as unknown };
}

function preview(text: string): string {
  return text.length > RESULT_PREVIEW_CHARS ? `${text.slice(0, RESULT_PREVIEW_CHARS)}…` : text;
}

/** Message and stack (and causes) of what was thrown, as people read it. */
export function describeError(e: unknown, depth = 0): string {
  if (!(e instanceof Error)) return `a non-Error value was thrown: ${inspect(e, { depth: 2, breakLength: Infinity })}`;
  let text = e.stack && e.stack.includes(e.message) ? e.stack : `${e.name}: ${e.message}${e.stack ? `\n${e.stack}` : ''}`;
  // Three causes deep is enough to see the root; a cycle of causes must not loop forever.
  if (e.cause !== undefined && depth < 3) text += `\nCaused by: ${describeError(e.cause, depth + 1)}`;
  return text;
}
