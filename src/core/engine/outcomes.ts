// What a run's end means for its task: the retry series (schedule the next attempt, or count a final
// failure and maybe auto-pause), and the dependency wave (fire or skip the dependents).
import type { PendingJob, RunRecord } from '../ports';
import type { Core } from './core';
import type { WaveStatus } from './dependencies';
import type { QueueEntry } from './queue';
import { isFailure, mergeRetryPolicy, retryDelay } from './retry';
import type { Runs } from './runs';
import { summarize, type TaskRuntime } from './taskState';

export class Outcomes {
  constructor(
    private readonly core: Core,
    private readonly runs: () => Runs,
    private readonly pause: (taskId: string, reason: string) => void,
  ) {}

  /** A run's final record was written; `ran` = it reached an executor (or was interrupted while running). */
  ended(entry: QueueEntry, run: RunRecord, ran: boolean): void {
    const rt = this.core.tasks.get(run.taskId);
    let retrying = false;
    if (ran && rt) {
      rt.lastRun = summarize(run);
      retrying = this.series(rt, entry, run);
    }
    // A run that will be retried has not finished for its dependents yet: the retry continues the wave.
    if (entry.waveId !== undefined && !retrying) this.propagate(entry.waveId, run.taskId, run.status);
  }

  /** A dependency of `taskId` finished in `waveId` with `status`, or `taskId` could not run in it. */
  propagate(waveId: number, taskId: string, status: WaveStatus): void {
    // Stopping: nothing new may start, and "skipped because the scheduler stopped" would say nothing.
    if (this.core.stopping) return;
    for (const decision of this.core.waves.finished(waveId, taskId, status)) {
      const rt = this.core.tasks.get(decision.taskId);
      if (!rt) continue;
      if (!decision.fire) {
        this.runs().recordFinal(rt, { trigger: 'dependency', status: 'skipped', error: decision.reason }, waveId);
      } else if (!this.core.runnable(rt)) {
        // Paused, disabled or filtered out: it does not run and says nothing; its dependents learn why.
        this.propagate(waveId, rt.spec.id, 'not-run');
      } else {
        this.runs().admit(rt, { trigger: 'dependency', scheduledFor: this.core.now(), mode: 'slot', waveId });
      }
    }
  }

  /** Updates the retry series; true when a retry was scheduled. */
  private series(rt: TaskRuntime, entry: QueueEntry, run: RunRecord): boolean {
    const { core } = this;
    const state = rt.state;
    if (isFailure(run.status)) {
      const policy = mergeRetryPolicy(rt.spec.retries, entry.retries);
      state.retryCount = run.attempt;
      if (run.attempt <= policy.max) {
        const now = core.now();
        const delayMs = retryDelay(policy, run.attempt, () => core.random());
        const job: PendingJob = {
          id: retryJobId(run.id), taskId: rt.spec.id, kind: entry.origin === 'enqueue' ? 'enqueue' : 'retry',
          dueAt: now + delayMs, attempt: run.attempt + 1, trigger: 'retry', params: run.params,
          retries: entry.retries, previousRunId: run.id, createdAt: now,
        };
        core.pending.set(job.id, job);
        if (entry.waveId !== undefined) core.jobWaves.set(job.id, entry.waveId);
        void core.putPending(job);
        core.saveState(rt);
        core.emit({ type: 'retry-scheduled', job: { ...job }, delayMs });
        return true;
      }
      state.consecutiveFailures++;
      core.saveState(rt);
      const limit = rt.spec.pauseAfterFailures;
      if (limit > 0 && state.consecutiveFailures >= limit && !state.paused) {
        this.pause(rt.spec.id, `paused after ${state.consecutiveFailures} consecutive failures (last: ${run.error ?? run.status})`);
      }
      return false;
    }
    if (run.status === 'succeeded') {
      if (state.retryCount || state.consecutiveFailures) {
        state.retryCount = 0;
        state.consecutiveFailures = 0;
        core.saveState(rt);
      }
      // The task works again: an older failure's pending retry would only repeat work that just succeeded.
      // Enqueued jobs are separate work items and keep their retries.
      if (entry.origin !== 'enqueue') {
        for (const job of [...core.pending.values()]) {
          if (job.taskId === rt.spec.id && job.kind === 'retry' && !core.jobsQueued.has(job.id)) core.deletePending(job.id);
        }
      }
    }
    return false;
  }
}

/**
 * A retry's id derives from the run it retries: storing it again after a crash (the run found still
 * running, then interrupted) replaces the first one instead of adding a second retry.
 */
export function retryJobId(runId: string): string {
  return `retry-of-${runId}`;
}
