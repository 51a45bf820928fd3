// Reads task files' options in a child process, so a task's import-time code never runs in the
// extension host. The host (src/core/tasks/readOptions.ts) starts this with `--describe`, sends the
// compiled files over IPC and gets messages back per file (src/core/tasks/describeProtocol.ts).
// A `start` message before each file lets
// the host tell which file hangs when one loops at import time. Without an IPC channel
// (`node describe.js --describe a.js b.js`) it prints the results as JSON, for people.
import * as path from 'path';
import {
  FUNCTION_OPTIONS, type DescribeMessage, type DescribeRequest, type DescribeResult,
} from '../core/tasks/describeProtocol';

export type { DescribeResult };

/** Loads one compiled task file and describes its default export. Runs inside the child. */
export function describeModule(compiledPath: string): DescribeResult {
  let mod: unknown;
  try {
    mod = require(compiledPath);
  } catch (e) {
    const errorAt = throwSite(e);
    return { hooks: [], error: `loading the task threw: ${errorText(e)}`, ...(errorAt ? { errorAt } : {}) };
  }
  const exported = pickExport(mod);
  if (!exported || typeof exported !== 'object' || Array.isArray(exported)) {
    return { hooks: [], error: 'the task file has no default export of an options object (export default defineTask({ … }))' };
  }
  const hooks: string[] = [];
  const options: Record<string, unknown> = {};
  const seen = new Set<object>([exported]);
  for (const [key, value] of Object.entries(exported)) {
    if (typeof value === 'function') hooks.push(key);
    else if (value !== undefined) options[key] = toPlain(value, seen);
  }
  const order = (k: string): number => {
    const i = (FUNCTION_OPTIONS as readonly string[]).indexOf(k);
    return i < 0 ? FUNCTION_OPTIONS.length : i;
  };
  hooks.sort((a, b) => order(a) - order(b));
  return { options, hooks };
}

/** `export default x` compiles to `exports.default`; `module.exports = x` is taken as it is. */
function pickExport(mod: unknown): unknown {
  if (mod && typeof mod === 'object' && 'default' in mod) return (mod as { default: unknown }).default;
  return mod;
}

/** JSON-safe copy: functions dropped, Dates as ISO strings, cycles cut, other objects as their own fields. */
function toPlain(value: unknown, seen: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined; // function, symbol, undefined
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => toPlain(v, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const plain = toPlain(v, seen);
      if (plain !== undefined) out[k] = plain;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** The first stack frame in a file (not Node's own code), e.g. `at Object.<anonymous> (/ws/a.task.ts:3:7)`. */
function throwSite(e: unknown): DescribeResult['errorAt'] {
  const stack = e instanceof Error ? e.stack ?? '' : '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:\/|[A-Za-z]:\\)[^():]*(?::\\[^():]*)?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (m) return { file: m[1], line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/**
 * The child's main loop. `proc` is `process`, passed in for tests. Exits when done instead of
 * waiting for the event loop: a task module may leave timers or sockets open at import time.
 */
export function runDescribeChild(proc: NodeJS.Process = process): void {
  // Compiled tasks carry inline source maps: stacks (and so `errorAt`) then name the .ts lines.
  proc.setSourceMapsEnabled?.(true);
  if (!proc.send) {
    const files = proc.argv.slice(proc.argv.indexOf('--describe') + 1);
    const results = files.map((f) => ({ file: f, ...describeModule(path.resolve(f)) }));
    proc.stdout.write(JSON.stringify(results, null, 2) + '\n', () => proc.exit(0));
    return;
  }
  // Errors a task's import-time code throws later (a rejected promise, a timer) do not change the
  // options already read: they must not end the child before the other files are described.
  proc.on('uncaughtException', () => undefined);
  proc.on('unhandledRejection', () => undefined);
  const send = (m: DescribeMessage): Promise<void> =>
    new Promise((resolve) => proc.send!(m, undefined, undefined, () => resolve()));
  proc.once('message', async (msg: Partial<DescribeRequest>) => {
    const files = msg?.type === 'describe' && Array.isArray(msg.files) ? msg.files : [];
    for (let index = 0; index < files.length; index++) {
      await send({ type: 'start', index });
      await send({ type: 'result', index, result: describeModule(files[index]) });
    }
    await send({ type: 'done' });
    proc.exit(0);
  });
}

// Runs itself only when it is the entry file (tests, debugging), never when bundled into runner.js,
// whose main dispatches `--describe` to runDescribeChild().
if (require.main === module && /^describe\.[jt]s$/.test(path.basename(__filename)) && process.argv.includes('--describe')) {
  runDescribeChild();
}
