// Wraps an executor, and the history, so that nothing starts and nothing is written unless this
// process holds the lease at that moment. A process suspended past its lease's expiry (SIGSTOP, a
// debugger, swapping) may wake with the engine still running before its next heartbeat tells it
// otherwise; this closes that gap (the lease re-reads its file when stale).
import * as os from 'os';
import type { Executor, History, Lease } from '../ports';

const NOT_LEADING = 'this process no longer executes the workspace\'s tasks';

export function leaderOnly(executor: Executor, lease: Lease): Executor {
  return {
    kinds: executor.kinds,
    start(request, observer) {
      if (lease.state().leader) return executor.start(request, observer);
      const now = Date.now();
      // A leader whose lease lapsed (it was suspended) still names itself until its next heartbeat.
      const holder = lease.state().holder;
      const other = holder && (holder.pid !== process.pid || holder.host !== os.hostname()) ? holder : undefined;
      return {
        cancel: () => undefined,
        done: Promise.resolve({
          status: 'cancelled', startedAt: now, endedAt: now, output: '', outputTruncated: false,
          error: `not started: ${NOT_LEADING}${other ? ` (${other.label} does)` : ''}`,
        }),
      };
    },
    dispose: () => executor.dispose(),
  };
}

/**
 * The history belongs to the process that holds the lease: once another one has taken over, it
 * has marked this one's runs interrupted and writes its own. A deposed leader's late records (a run
 * "not started", its runs' ends as it shuts them down) would overwrite those and share the journal
 * with the new writer, so they are refused; the engine reports each refusal as a warning.
 */
export function leaderOnlyHistory(history: History, lease: Lease): History {
  const guard = <A extends unknown[], R>(write: (...args: A) => Promise<R>) => (...args: A): Promise<R> =>
    lease.state().leader ? write(...args) : Promise.reject(new Error(`not written: ${NOT_LEADING}`));
  return {
    open: () => history.open(),
    taskStates: () => history.taskStates(),
    getRun: (id) => history.getRun(id),
    runs: (q) => history.runs(q),
    lastErrors: (taskId, limit) => history.lastErrors(taskId, limit),
    health: (windowMs, now) => history.health(windowMs, now),
    pending: () => history.pending(),
    abandoned: () => history.abandoned(),
    flush: () => history.flush(),
    close: () => history.close(),
    syncTasks: guard((tasks, now) => history.syncTasks(tasks, now)),
    saveTaskState: guard((state) => history.saveTaskState(state)),
    putRun: guard((run) => history.putRun(run)),
    markInterrupted: guard((now, reason) => history.markInterrupted(now, reason)),
    putPending: guard((job) => history.putPending(job)),
    deletePending: guard((id) => history.deletePending(id)),
    cleanup: guard((opts) => history.cleanup(opts)),
  };
}
