// Starting a runner child (`runner.js --serve`): the same for a warm spare and a cold start, so the
// only difference between them is when it happens.
import { spawn, type ChildProcess } from 'child_process';
import { RunnerMode, isRunnerMessage } from '../../runner/protocol';

export interface RunnerSpawnOptions {
  /** The Node (or Electron) binary; under VS Code, `process.execPath` is Electron. */
  nodePath: string;
  runnerPath: string;
  cwd: string;
  /** Complete environment of the child. */
  env: NodeJS.ProcessEnv;
  /** V8 heap limit; undefined = Node's own default. */
  memoryLimitMb?: number;
}

export interface RunnerProcess {
  readonly child: ChildProcess;
  readonly memoryLimitMb: number | undefined;
  /** Resolves when the runner says `ready`; rejects when it exits or fails to start before that. */
  readonly ready: Promise<void>;
  /** Whether `ready` has resolved. */
  isReady(): boolean;
}

/** The environment every runner gets: Electron's binary then behaves as plain Node. */
export function runnerEnv(base: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...base, ...extra, ELECTRON_RUN_AS_NODE: '1' };
}

export function spawnRunner(options: RunnerSpawnOptions): RunnerProcess {
  const execArgv = options.memoryLimitMb ? [`--max-old-space-size=${options.memoryLimitMb}`] : [];
  const child = spawn(options.nodePath, [...execArgv, options.runnerPath, RunnerMode.serve], {
    cwd: options.cwd,
    env: options.env,
    // Its own process group, so the run's whole tree can be killed at once (see killTree.ts).
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
    windowsHide: true,
  });
  let ready = false;
  const readyPromise = new Promise<void>((resolve, reject) => {
    const onMessage = (msg: unknown): void => {
      if (isRunnerMessage(msg) && msg.type === 'ready') {
        ready = true;
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`the runner exited before it was ready (${signal ? `signal ${signal}` : `code ${code}`})`));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(new Error(`could not start the runner: ${e.message}`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', onError);
  });
  readyPromise.catch(() => undefined); // the caller that uses the runner awaits it; an idle spare's failure is handled by the pool
  return { child, memoryLimitMb: options.memoryLimitMb, ready: readyPromise, isReady: () => ready };
}

/**
 * An idle spare must not keep the host alive (a CLI that forgot to dispose still exits, and the
 * spare then sees its channel close and exits too); a runner in use must.
 */
export function setHeld(child: ChildProcess, held: boolean): void {
  const handles = [child, child.stdout, child.stderr, child.channel] as Array<{ ref?(): void; unref?(): void } | null | undefined>;
  for (const h of handles) {
    if (held) h?.ref?.();
    else h?.unref?.();
  }
}
