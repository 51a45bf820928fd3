// `runner.js --serve`: the child side of one run. Starts, says `ready` (a warm spare waits here with
// Node and this code already loaded), takes exactly one `run` message, runs it, reports `done`, exits.
// One process per run: nothing a task leaves behind (globals, timers, a patched module) reaches the next.
import { createContext } from './context';
import { loadTask } from './loadTask';
import { describeError, runTask } from './runTask';
import { isHostMessage, ORPHAN_GRACE_MS, type AbortReason, type DoneMessage, type RunMessage, type RunnerMessage } from './protocol';
import { startOrphanWatchdog } from './watchdog';
import { taskStack } from '../core/exec/taskStack';

export function serve(proc: NodeJS.Process): void {
  if (!proc.send) {
    proc.stderr.write('runner.js --serve must be started by the scheduler, with an IPC channel\n');
    proc.exitCode = 2;
    return;
  }
  // Node writes to pipes asynchronously on POSIX, queueing in this process: a flood would grow the
  // child's memory, and process.exit() or a crash would drop what is queued. Blocking writes push
  // back on the task instead, and nothing written is lost.
  for (const stream of [proc.stdout, proc.stderr]) {
    (stream as { _handle?: { setBlocking?(blocking: boolean): void } })._handle?.setBlocking?.(true);
  }
  const controller = new AbortController();
  let abortReason: AbortReason | undefined;
  let run: RunMessage | undefined;
  let finished = false;
  let nextEnqueueId = 1;
  const enqueues = new Map<number, { resolve(): void; reject(e: Error): void }>();

  const send = (msg: RunnerMessage, then?: (error: Error | null) => void): void => {
    try {
      proc.send!(msg, undefined, undefined, (error: Error | null) => then?.(error));
    } catch (e) {
      then?.(e as Error);
    }
  };

  const abort = (reason: AbortReason, message: string): void => {
    if (controller.signal.aborted) return;
    abortReason = reason;
    controller.abort(new DOMException(message, reason === 'timeout' ? 'TimeoutError' : 'AbortError'));
  };

  /**
   * Let stdout/stderr drain, then report once and exit: every byte of output reaches the host before
   * `done`, and the host's short wait for the exit is not spent flushing. Whatever the task left
   * running dies with the process group.
   */
  const finish = (done: DoneMessage): void => {
    if (finished) return;
    finished = true;
    proc.stdout.write('', () => proc.stderr.write('', () => send(done, () => proc.exit(0))));
  };

  const start = async (msg: RunMessage): Promise<void> => {
    try {
      // A warm spare was started before its task was known: the task's variables and directory apply now.
      Object.assign(proc.env, msg.env);
      proc.chdir(msg.cwd);
      // Stacks of compiled tasks point at the .task.ts lines when the compiler emitted source maps.
      proc.setSourceMapsEnabled?.(true);
    } catch (e) {
      finish({ type: 'done', status: 'failed', error: `could not prepare the run: ${describeError(e)}` });
      return;
    }
    send({ type: 'started' });
    const ctx = createContext(msg, controller.signal, {
      write: (text) => { proc.stdout.write(text); },
      enqueue: (request) => new Promise<void>((resolve, reject) => {
        const id = nextEnqueueId++;
        enqueues.set(id, { resolve, reject });
        send({ type: 'enqueue', id, request }, (error) => {
          if (error) { enqueues.delete(id); reject(new Error(`ctx.enqueue: the scheduler is not reachable (${error.message})`)); }
        });
      }),
    });
    const done = await runTask({
      load: () => loadTask(msg.modulePath),
      ctx,
      abortReason: () => abortReason,
      finalAttempt: msg.finalAttempt,
      report: (line) => { proc.stdout.write(`${line}\n`); },
      userError: (text) => {
        const shown = taskStack(text, __filename);
        if (shown !== text) send({ type: 'log', text: `${msg.taskId}: a hook's error with the runner's and Node's frames:\n${text}` }, () => undefined);
        return shown;
      },
    });
    finish(done);
  };

  proc.on('message', (msg: unknown) => {
    if (!isHostMessage(msg)) return;
    if (msg.type === 'run') {
      if (run) return; // one run per process, always
      run = msg;
      start(msg).catch((e: unknown) => finish({ type: 'done', status: 'failed', error: describeError(e) }));
    } else if (msg.type === 'abort') {
      abort(msg.reason, msg.message);
    } else {
      const pending = enqueues.get(msg.id);
      enqueues.delete(msg.id);
      if (msg.error) pending?.reject(new Error(`ctx.enqueue: ${msg.error}`));
      else pending?.resolve();
    }
  });

  // Errors the task's code threw where no one could catch them (a callback, a forgotten promise) end
  // the run as failed with that error, as Node would end the process, but with the cause recorded.
  const uncaught = (kind: string) => (e: unknown): void => {
    if (!run) {
      proc.stderr.write(`runner: ${kind}: ${describeError(e)}\n`);
      proc.exit(1);
    }
    finish({ type: 'done', status: 'failed', error: `${kind}: ${describeError(e)}` });
  };
  proc.on('uncaughtException', uncaught('uncaught exception'));
  proc.on('unhandledRejection', uncaught('unhandled promise rejection'));

  proc.on('disconnect', () => {
    if (!run) proc.exit(0); // an idle spare whose host is gone has nothing to do
    abort('cancelled', 'the scheduler that started this run has stopped');
    const timer = setTimeout(() => {
      try { proc.kill(-proc.pid, 'SIGKILL'); } catch { proc.exit(1); }
    }, ORPHAN_GRACE_MS);
    timer.unref();
  });

  // For a task that blocks this thread, the disconnect above never comes: the watchdog ends it instead.
  startOrphanWatchdog(ORPHAN_GRACE_MS);
  send({ type: 'ready', pid: proc.pid });
}
