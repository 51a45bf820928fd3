// Reads task options in a child process (src/runner/describe.ts): task files are never imported in
// the extension host. One child describes all files; when one hangs at import time (an endless loop)
// the child is killed, that file is marked with the reason, and a new child goes on after it.
import { spawn } from 'child_process';
import type { DescribeMessage, DescribeRequest, DescribeResult } from './describeProtocol';

export type TaskDescription = DescribeResult;

export interface DescribeLauncher {
  /** Arguments to `execPath` that start the describe child, e.g. `[<ext>/dist/runner.js, '--describe']`. */
  args: string[];
  /** Default `process.execPath` (VS Code's Electron binary in the host: run as Node via ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  /** The workspace folder: task code sees it as its working directory, as when it runs. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** How long one file may take to load. Default {@link DEFAULT_LOAD_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * Loading a task file should only define it; real work belongs in `run`. Generous for a cold disk on
 * a busy two-core machine, short enough that a looping file does not hold up the task list for long.
 */
export const DEFAULT_LOAD_TIMEOUT_MS = 5_000;

/** Node's own start (and, in tests, the TypeScript hook) comes before the first file. */
const STARTUP_ALLOWANCE_MS = 10_000;

/** Kept from the child's stderr to explain a crash; the rest is dropped. */
const STDERR_LIMIT = 4_096;

/** Task file → what its compiled file exports. Every task file of `compiled` gets an entry. */
export async function readTaskOptions(
  compiled: ReadonlyMap<string, string>, launcher: DescribeLauncher,
): Promise<Map<string, TaskDescription>> {
  const taskFiles = [...compiled.keys()];
  const out = new Map<string, TaskDescription>();
  let from = 0;
  while (from < taskFiles.length) {
    const batch = taskFiles.slice(from);
    const run = await describeInChild(batch.map((f) => compiled.get(f)!), launcher);
    run.results.forEach((r, i) => { if (r) out.set(batch[i], r); });
    const stop = run.stopped;
    if (!stop) break;
    if (stop.blame !== undefined) {
      out.set(batch[stop.blame], { hooks: [], error: stop.reason });
      from += stop.blame + 1;
    } else if (stop.resumeAt !== undefined) {
      from += stop.resumeAt; // it died between files after some progress: a fresh child goes on
    } else {
      // It died before describing anything: no file to blame, and a new child would fare the same.
      for (const f of batch) if (!out.has(f)) out.set(f, { hooks: [], error: stop.reason });
      break;
    }
  }
  for (const f of taskFiles) if (!out.has(f)) out.set(f, { hooks: [], error: 'its options were not read (the reader stopped early)' });
  return out;
}

interface ChildRun {
  /** By index of the files given; undefined where the child gave none. */
  results: Array<DescribeResult | undefined>;
  /**
   * Set when the child stopped before finishing: why, and either the file it was loading (to blame),
   * or where to resume (it died between files after describing some), or neither (it got nowhere).
   */
  stopped?: { reason: string; blame?: number; resumeAt?: number };
}

function describeInChild(files: string[], launcher: DescribeLauncher): Promise<ChildRun> {
  const timeoutMs = launcher.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  return new Promise((resolve) => {
    const results: Array<DescribeResult | undefined> = new Array(files.length).fill(undefined);
    let loading = -1;
    let timedOut = false;
    let settled = false;
    let stderr = '';
    const child = spawn(launcher.execPath ?? process.execPath, launcher.args, {
      cwd: launcher.cwd,
      env: { ...(launcher.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      windowsHide: true,
    });
    let timer = setTimeout(onTimeout, timeoutMs + STARTUP_ALLOWANCE_MS);
    function onTimeout(): void {
      timedOut = true;
      child.kill('SIGKILL');
    }
    const finish = (run: ChildRun): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(run);
    };
    child.stderr!.on('data', (d: Buffer) => { if (stderr.length < STDERR_LIMIT) stderr += d.toString('utf8'); });
    child.on('message', (m: DescribeMessage) => {
      if (m.type === 'start') {
        loading = m.index;
        clearTimeout(timer);
        timer = setTimeout(onTimeout, timeoutMs);
      } else if (m.type === 'result') {
        results[m.index] = m.result;
        loading = -1;
      } else if (m.type === 'done') {
        finish({ results });
      }
    });
    child.on('error', (e) => finish({ results, stopped: { reason: `could not start the options reader: ${e.message}` } }));
    child.on('exit', (code, signal) => {
      if (settled) return;
      const tail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
      let reason: string;
      if (timedOut) {
        reason = loading >= 0
          ? `loading the task did not finish within ${timeoutMs} ms (an endless loop at import time?)`
          : `the options reader did not answer within ${timeoutMs} ms`;
      } else {
        reason = `${loading >= 0 ? 'loading the task ended' : 'the options reader ended'} its process (${signal ?? `exit code ${code}`})${tail ? `: ${tail}` : ''}`;
      }
      if (loading >= 0) { finish({ results, stopped: { reason, blame: loading } }); return; }
      const next = results.indexOf(undefined);
      if (next < 0) { finish({ results }); return; } // every file described; only the goodbye was lost
      finish({ results, stopped: next > 0 ? { reason, resumeAt: next } : { reason } });
    });
    const request: DescribeRequest = { type: 'describe', files };
    child.send(request);
  });
}
