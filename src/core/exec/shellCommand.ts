// `command:` tasks: a shell command line with the same limits as a module task — timeout, cancel,
// output cap and file, the whole process group killed at the end. Exit code 0 succeeds; anything else
// fails. The polite stop is SIGTERM to the group (a shell has no abort signal).
// Secrets are not passed to commands: they only travel over the runner's IPC channel, never the environment.
import { spawn } from 'child_process';
import { existsSync } from 'fs';
import { resolve } from 'path';
import type { Clock } from '../clock';
import { formatDuration } from '../duration';
import type { RunObserver, RunOutcome, RunRequest } from '../ports';
import { endedRun, resolveOutputFile, type ActiveRun } from './activeRun';
import { killProcessGroup } from './killTree';
import type { OutputCap } from './outputBuffer';
import { OutputCapture } from './outputCapture';
import { Redactor } from './redact';
import { Supervisor, type ProcessEnd } from './supervise';
import { ORPHAN_GRACE_MS } from '../../runner/protocol';

/**
 * Runs before the task's command line (on one line, so the shell's error messages keep the command's
 * own line numbers). stderr joins stdout in one pipe, so the output keeps the order the command wrote
 * it in, as in a terminal. Then a watcher in the background holds fd 3, the lifeline: when the
 * scheduler dies without stopping the run (kill -9, a crashed editor) the lifeline closes, and the
 * watcher sends SIGTERM to the command's process group, waits up to ORPHAN_GRACE_MS for the shell to
 * end, then SIGKILLs what is left (itself included) — as an orphaned module runner does — so no command
 * outlives its scheduler. The watcher ignores the TERM it sends; the command
 * itself does not see fd 3.
 */
const POSIX_PRELUDE = 'exec 2>&1; { trap \'\' TERM; read -r _ <&3; kill -TERM -$$; n=0; '
  + `while kill -0 $$ && [ $n -lt ${ORPHAN_GRACE_MS / 100} ]; do sleep 0.1; n=$((n+1)); done; kill -KILL -$$; } </dev/null >/dev/null 2>&1 & exec 3<&-`;

export interface CommandRunOptions {
  request: RunRequest;
  observer?: RunObserver;
  clock: Clock;
  graceMs: number;
  outputCap: OutputCap;
  /** The environment the task's `env` is laid over. */
  baseEnv: NodeJS.ProcessEnv;
}

export function startCommandRun(o: CommandRunOptions): ActiveRun {
  const { request, observer, clock } = o;
  const { task } = request;
  const startedAt = clock.now();
  if (!task.command?.trim()) return endedRun(startedAt, 'failed', 'the task has no command to run');
  const cwd = resolve(task.workspaceFolder, task.cwd ?? '.');
  // Checked here because a missing cwd otherwise surfaces as a baffling "spawn /bin/sh ENOENT".
  if (!existsSync(cwd)) return endedRun(startedAt, 'failed', `the working directory ${cwd} does not exist`);

  const posix = process.platform !== 'win32';
  const child = spawn(posix ? `${POSIX_PRELUDE}\n${task.command}` : task.command, {
    shell: true,
    cwd,
    env: { ...o.baseEnv, ...task.env },
    detached: true, // its own process group: see killTree.ts
    // fd 3 is the lifeline (see POSIX_PRELUDE): we never write to it; it closes when we go away.
    stdio: ['ignore', 'pipe', 'pipe', ...(posix ? ['pipe' as const] : [])],
    windowsHide: true,
  });
  const lifeline = child.stdio[3] as { destroy(): void } | null | undefined;
  const capture = new OutputCapture({
    cap: o.outputCap,
    // Commands are not given the secrets, but a value may still reach them (a config file, the env).
    redactor: new Redactor(Object.values(request.secrets ?? {})),
    file: resolveOutputFile(task),
    live: observer?.output ? (line) => observer.output?.(line) : undefined,
    now: () => clock.now(),
  });
  capture.attach(child.stdout, child.stderr);
  const supervisor = new Supervisor({
    clock,
    timeoutMs: task.timeout,
    graceMs: o.graceMs,
    askToStop: () => { killProcessGroup(child.pid, 'SIGTERM'); },
  });
  const ended = supervisor.watch(child, capture);
  if (child.pid !== undefined) observer?.started?.(startedAt);

  const judge = (end: ProcessEnd): Pick<RunOutcome, 'status' | 'error'> => {
    if (end.spawnError) return { status: 'failed', error: `could not start the command: ${end.spawnError.message}` };
    if (supervisor.stopReason) {
      const killed = supervisor.killedAfterGrace
        ? `; still running ${formatDuration(o.graceMs)} after SIGTERM, so it was killed` : '';
      return { status: supervisor.stopReason === 'timeout' ? 'timed-out' : 'cancelled', error: `${supervisor.stopMessage}${killed}` };
    }
    if (end.code === 0) return { status: 'succeeded' };
    return { status: 'failed', error: end.signal ? `the command was killed by ${end.signal}` : `the command exited with code ${end.code}` };
  };

  const done = ended.then(async (end): Promise<RunOutcome> => {
    lifeline?.destroy();
    const { output, outputTruncated } = await capture.finish();
    return { startedAt, endedAt: clock.now(), exitCode: end.code, signal: end.signal, output, outputTruncated, ...judge(end) };
  });
  return {
    done,
    cancel: (reason) => supervisor.stop(reason),
    shutdown: () => {
      supervisor.stop('shutdown');
      supervisor.kill();
    },
  };
}
