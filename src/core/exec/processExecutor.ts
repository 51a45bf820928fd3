// The Executor for `module` and `command` tasks: every run in its own child process, so a task that
// hangs, crashes, exits, floods output or exhausts its heap cannot harm the host. Module runs use the
// warm spare when it fits and a cold start otherwise; both run the same `runner.js --serve`.
import { systemClock, type Clock } from '../clock';
import type { TaskKind, TaskSpec } from '../model';
import type { Executor, RunHandle, RunObserver, RunRequest } from '../ports';
import { endedRun, type ActiveRun } from './activeRun';
import { startModuleRun } from './moduleRun';
import { DEFAULT_OUTPUT_CAP, type OutputCap } from './outputBuffer';
import { runnerEnv, spawnRunner, type RunnerProcess } from './runnerProcess';
import { startCommandRun } from './shellCommand';
import { DEFAULT_GRACE_MS } from './supervise';
import { WarmPool } from './warmPool';

/**
 * The heap limit spares start with: the default of `memoryLimit` (TASK_DEFAULTS.memoryLimitMb), so a
 * task that does not set one gets the spare. V8's heap flag is fixed when a process starts, so a task
 * with any other limit gets a cold start with its own flag.
 */
export const DEFAULT_SPARE_MEMORY_LIMIT_MB = 512;

/**
 * Variables Node reads only while it starts (NODE_OPTIONS, NODE_PATH…, UV_THREADPOOL_SIZE): a spare
 * started without them could not honour them, so a task that sets one starts cold.
 */
const STARTUP_ENV = /^(NODE_|UV_)/;

export interface ProcessExecutorOptions {
  /** The runner bundle (`dist/runner.js`). */
  runnerPath: string;
  /** The binary to run it with. @default process.execPath — Electron inside VS Code, started as Node via ELECTRON_RUN_AS_NODE. */
  nodePath?: string;
  /** Where spares start (each run then changes to its task's folder). */
  workspaceFolder: string;
  /** Keep one runner started and idle so a due run skips Node's start. */
  warmSpare: boolean;
  /** @default DEFAULT_SPARE_MEMORY_LIMIT_MB */
  spareMemoryLimitMb?: number;
  /** @default systemClock */
  clock?: Clock;
  /** The executor's own diagnostics (a spare that died, …; at 'info' a failed run's whole stack). @default nothing */
  log?: (line: string, level?: 'debug' | 'info') => void;
  /** Between the polite stop and SIGKILL. @default DEFAULT_GRACE_MS (tests shorten it) */
  graceMs?: number;
  /** @default DEFAULT_OUTPUT_CAP */
  outputCap?: OutputCap;
  /** The environment runs start from (the task's `env` is laid over it). @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface ProcessExecutor extends Executor {
  /** The warm spare, for tests and diagnostics. */
  readonly warm: {
    /** Pid of the idle spare, if there is one. */
    pid(): number | undefined;
    /** Resolves once a spare is ready (at once when spares are off). */
    ready(): Promise<void>;
  };
}

export function createProcessExecutor(options: ProcessExecutorOptions): ProcessExecutor {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  const nodePath = options.nodePath ?? process.execPath;
  const baseEnv = options.env ?? process.env;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const outputCap = options.outputCap ?? DEFAULT_OUTPUT_CAP;
  const spareLimit = options.spareMemoryLimitMb ?? DEFAULT_SPARE_MEMORY_LIMIT_MB;
  const active = new Set<ActiveRun>();
  let disposed = false;

  const pool = options.warmSpare
    ? new WarmPool({
      spawn: () => spawnRunner({
        nodePath, runnerPath: options.runnerPath, cwd: options.workspaceFolder, env: runnerEnv(baseEnv), memoryLimitMb: spareLimit,
      }),
      clock,
      log,
    })
    : undefined;
  pool?.start();

  const fitsSpare = (task: TaskSpec): boolean =>
    task.memoryLimitMb === spareLimit && !Object.keys(task.env ?? {}).some((k) => STARTUP_ENV.test(k));

  const runnerFor = (task: TaskSpec): RunnerProcess =>
    (fitsSpare(task) ? pool?.take() : undefined) ?? spawnRunner({
      nodePath,
      runnerPath: options.runnerPath,
      cwd: task.workspaceFolder,
      env: runnerEnv(baseEnv, task.env),
      memoryLimitMb: task.memoryLimitMb,
    });

  const startRun = (request: RunRequest, observer?: RunObserver): ActiveRun => {
    const { task } = request;
    const now = clock.now();
    if (disposed) return endedRun(now, 'cancelled', 'cancelled (shutdown): the executor was disposed');
    if (task.kind === 'command') {
      return startCommandRun({ request, observer, clock, graceMs, outputCap, baseEnv });
    }
    if (task.kind !== 'module') return endedRun(now, 'failed', `tasks of kind '${task.kind}' are not run in a child process`);
    if (!request.compiledPath) return endedRun(now, 'failed', 'the task has not been compiled (no compiled file was given)');
    return startModuleRun({
      runner: runnerFor(task), request, modulePath: request.compiledPath, observer, clock, graceMs, outputCap,
      runnerPath: options.runnerPath, log: (line) => log(line, 'info'),
    });
  };

  return {
    kinds: ['module', 'command'] as readonly TaskKind[],
    start(request: RunRequest, observer?: RunObserver): RunHandle {
      let run: ActiveRun;
      try {
        run = startRun(request, observer);
      } catch (e) {
        // spawn() throws synchronously on options it cannot use; the engine gets a failed run, not a throw.
        run = endedRun(clock.now(), 'failed', `could not start the run: ${(e as Error).message}`);
      }
      active.add(run);
      void run.done.then(() => active.delete(run));
      return { done: run.done, cancel: (reason) => run.cancel(reason) };
    },
    async dispose(): Promise<void> {
      disposed = true;
      const spareGone = pool?.dispose();
      const runs = [...active];
      for (const run of runs) run.shutdown();
      await Promise.all([spareGone, ...runs.map((r) => r.done)]);
    },
    warm: {
      pid: () => pool?.current()?.child.pid,
      ready: () => pool?.whenReady() ?? Promise.resolve(),
    },
  };
}
