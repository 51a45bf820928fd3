// One run of a `module` task in a runner process (warm or cold): send it the task, relay what it
// says (started, enqueue, done) to the observer, and turn how it ended into a RunOutcome.
import type { Clock } from '../clock';
import { formatDuration } from '../duration';
import type { EnqueueRequest, RunObserver, RunOutcome, RunRequest } from '../ports';
import { isRunnerMessage, type DoneMessage, type HostMessage, type RunMessage } from '../../runner/protocol';
import type { OutputCap } from './outputBuffer';
import { OutputCapture } from './outputCapture';
import { Redactor } from './redact';
import type { RunnerProcess } from './runnerProcess';
import { Supervisor, type ProcessEnd } from './supervise';
import { resolveOutputFile, type ActiveRun } from './activeRun';
import { taskStack } from './taskStack';

/** The runner's lines for the host's log (a hook error's whole stack): a few per run, each bounded. */
const MAX_LOG_LINES_PER_RUN = 20;
const MAX_LOG_CHARS = 16 * 1024;

/** After `done`, the runner exits at once; one that does not (a stuck exit handler) is killed after this. */
const DONE_EXIT_MS = 1_000;
/** A task calling ctx.enqueue in a loop must not flood the queue and the history. */
export const MAX_ENQUEUES_PER_RUN = 1_000;

export interface ModuleRunOptions {
  runner: RunnerProcess;
  request: RunRequest;
  modulePath: string;
  observer?: RunObserver;
  clock: Clock;
  graceMs: number;
  outputCap: OutputCap;
  /** The runner bundle's path, whose frames are cut from a failed run's stack. */
  runnerPath?: string;
  /** Where the uncut stack goes. */
  log?: (line: string) => void;
}

export function startModuleRun(o: ModuleRunOptions): ActiveRun {
  const { runner, request, observer, clock } = o;
  const { task } = request;
  const child = runner.child;
  const queuedAt = clock.now();
  let startedAt: number | undefined;
  let done: DoneMessage | undefined;
  let readyError: Error | undefined;
  let runSent = false;
  let enqueues = 0;
  let logLines = 0;

  const redactor = new Redactor(Object.values(request.secrets ?? {}));
  const capture = new OutputCapture({
    cap: o.outputCap,
    redactor,
    file: resolveOutputFile(task),
    live: observer?.output ? (line) => observer.output?.(line) : undefined,
    now: () => clock.now(),
  });
  capture.attach(child.stdout, child.stderr);

  const send = (msg: HostMessage): void => {
    if (child.connected) child.send(msg, () => undefined);
  };
  const supervisor: Supervisor = new Supervisor({
    clock,
    timeoutMs: task.timeout,
    graceMs: o.graceMs,
    // Before the task was sent there is nothing to be polite to.
    askToStop: (reason, message) => {
      if (runSent) send({ type: 'abort', reason: reason === 'timeout' ? 'timeout' : 'cancelled', message });
      else supervisor.kill();
    },
  });
  const disconnected = new Promise<void>((resolve) => {
    if (!child.connected) resolve();
    else child.once('disconnect', () => resolve());
  });
  const ended = supervisor.watch(child, capture, disconnected);

  child.on('message', (msg: unknown) => {
    if (!isRunnerMessage(msg)) return;
    if (msg.type === 'started') {
      startedAt = clock.now();
      observer?.started?.(startedAt);
    } else if (msg.type === 'enqueue') {
      send({ type: 'enqueued', id: msg.id, error: acceptEnqueue(msg.request) });
    } else if (msg.type === 'log') {
      // Task code can send this too: capped per run and in length, secrets masked, like its output.
      if (typeof msg.text === 'string' && ++logLines <= MAX_LOG_LINES_PER_RUN) o.log?.(redactor.text(msg.text.slice(0, MAX_LOG_CHARS)));
    } else if (msg.type === 'done' && !done) {
      done = msg;
      supervisor.finishing(DONE_EXIT_MS);
    }
  });

  const acceptEnqueue = (req: EnqueueRequest): string | undefined => {
    if (!observer?.enqueue) return 'this scheduler does not accept enqueued runs here';
    if (typeof req?.taskId !== 'string' || !req.taskId) return 'taskId must be a non-empty string';
    if (++enqueues > MAX_ENQUEUES_PER_RUN) return `a run may enqueue at most ${MAX_ENQUEUES_PER_RUN} runs`;
    try {
      observer.enqueue(req);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };

  runner.ready.then(
    () => {
      if (supervisor.stopReason) return supervisor.kill();
      const run: RunMessage = {
        type: 'run',
        runId: request.runId,
        taskId: task.id,
        modulePath: o.modulePath,
        params: request.params,
        attempt: request.attempt,
        finalAttempt: request.attempt > task.retries.max,
        trigger: request.trigger,
        scheduledFor: request.scheduledFor,
        workspaceFolder: task.workspaceFolder,
        cwd: task.workspaceFolder,
        env: task.env,
        secrets: request.secrets,
      };
      runSent = true;
      send(run);
    },
    (e: Error) => {
      readyError = e;
      supervisor.kill();
    },
  );

  const outcome = ended.then(async (end): Promise<RunOutcome> => {
    const { output, outputTruncated } = await capture.finish();
    const base = {
      startedAt: startedAt ?? queuedAt, endedAt: clock.now(), exitCode: end.code, signal: end.signal, output, outputTruncated,
    };
    const verdict = judge(end);
    return { ...base, ...verdict, error: verdict.error && redactor.text(verdict.error), result: redactor.json(verdict.result) };
  });

  /** The task's own frames for the user; the whole stack in the log. */
  function userStack(error: string | undefined): string | undefined {
    if (!error || !o.runnerPath) return error;
    const trimmed = taskStack(error, o.runnerPath);
    if (trimmed !== error) o.log?.(`${task.id}: the run's error with the runner's and Node's frames:\n${redactor.text(error)}`);
    return trimmed;
  }

  /** What the end means, in order of precedence: a stop the host asked for, the runner's report, the cause of death. */
  function judge(end: ProcessEnd): Pick<RunOutcome, 'status' | 'error' | 'result'> {
    if (end.spawnError) return { status: 'failed', error: `could not start the runner: ${end.spawnError.message}` };
    if (supervisor.stopReason) {
      const killed = supervisor.killedAfterGrace
        ? `; still running ${formatDuration(o.graceMs)} after it was asked to stop, so it was killed` : '';
      const said = done?.error ? `\n${userStack(done.error)}` : '';
      return { status: supervisor.stopReason === 'timeout' ? 'timed-out' : 'cancelled', error: `${supervisor.stopMessage}${killed}${said}` };
    }
    if (done) {
      // A runner reports timed-out/cancelled only when orphaned; the host did not ask, so it failed.
      const status = done.status === 'timed-out' || done.status === 'cancelled' ? 'failed' : done.status;
      return { status, error: userStack(done.error), result: done.result };
    }
    if (readyError && !runSent) return { status: 'failed', error: readyError.message };
    if (/heap out of memory/i.test(capture.tail())) {
      const limit = runner.memoryLimitMb ? `limit ${runner.memoryLimitMb} MB` : "Node's default heap limit";
      return { status: 'failed', error: `out of memory (${limit})` };
    }
    const how = end.signal ? `was killed by ${end.signal}` : `exited with code ${end.code}`;
    return { status: 'failed', error: `the process ${how} before run() finished` };
  }

  return {
    done: outcome,
    cancel: (reason) => supervisor.stop(reason),
    shutdown: () => {
      supervisor.stop('shutdown');
      supervisor.kill();
    },
  };
}
