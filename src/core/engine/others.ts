// What other executors of the same tasks left or changed: the runs a dead one left (interrupted here and
// retried by their policy) and what a live one stored (pending jobs, task states) — at start, and for a
// cluster member all along (Scheduler.recover / absorb).
import type { PendingJob, RunRecord, TaskStateRecord } from '../ports';
import type { Core } from './core';
import type { Outcomes } from './outcomes';

/**
 * Runs a dead executor left queued/running become `interrupted`; those that had started follow the
 * retry policy. Their retries are stored first (ids derived from the runs): a crash in between
 * finds the runs still running and stores the same jobs again, where the other order would lose them.
 */
export async function interruptLeftovers(core: Core, outcomes: Outcomes, reason: string): Promise<RunRecord[]> {
  const history = core.deps.history;
  const now = core.now();
  const left = await core.writer.read(() => history.abandoned());
  continueSeries(core, outcomes, left, now, reason);
  await core.writer.idle();
  return core.writer.read(() => history.markInterrupted(now, reason));
}

/** Interrupted runs that had started follow their retry policy; returns their final records. */
export function continueSeries(core: Core, outcomes: Outcomes, runs: RunRecord[], now: number, reason: string): RunRecord[] {
  const out: RunRecord[] = [];
  for (const run of runs) {
    const rt = core.tasks.get(run.taskId);
    if (!rt || run.startedAt === undefined) continue;
    const ended: RunRecord = { ...run, status: 'interrupted', endedAt: now, error: reason };
    outcomes.ended({ run: ended, priority: rt.spec.priority, dueAt: run.scheduledFor ?? run.queuedAt, waitForTask: false }, ended, true);
    out.push(ended);
  }
  return out;
}

/** The pending jobs as stored: new ones are followed; gone ones (not queued here) were run or dropped elsewhere. */
export function absorbPending(core: Core, pending: PendingJob[]): void {
  const stored = new Map(pending.map((j) => [j.id, j]));
  for (const id of [...core.pending.keys()]) {
    const job = core.pending.get(id)!;
    if (stored.has(id) || core.jobsQueued.has(id)) continue;
    core.pending.delete(id);
    core.jobWaves.delete(id);
    core.changed(core.tasks.get(job.taskId));
  }
  for (const job of stored.values()) {
    if (!core.pending.has(job.id)) { core.pending.set(job.id, { ...job }); core.changed(core.tasks.get(job.taskId)); }
  }
}

/** Task states as stored: retry counts taken, pause and resume applied through the engine's own calls. */
export function absorbStates(core: Core, states: TaskStateRecord[], control: { pause(taskId: string, reason?: string): void; resume(taskId: string): void }): void {
  for (const s of states) {
    const rt = core.tasks.get(s.taskId);
    if (!rt) continue;
    const counts = rt.state.retryCount !== s.retryCount || rt.state.consecutiveFailures !== s.consecutiveFailures;
    rt.state.retryCount = s.retryCount;
    rt.state.consecutiveFailures = s.consecutiveFailures;
    if (s.paused && !rt.state.paused) control.pause(s.taskId, s.pausedReason);
    else if (!s.paused && rt.state.paused) control.resume(s.taskId);
    else if (counts) core.changed(rt);
  }
}
