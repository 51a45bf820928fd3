// A run's life: admitted (overlap policy) → queued → started on an executor → final, each step written
// to history. Whatever an executor does (throws, rejects, never answers), the run ends recorded and
// the task is not left "running": the bookkeeping is undone in `finally`, and a watchdog gives up on an
// executor that never reports.
import type { RunStatus, Trigger } from '../model';
import type { CancelReason, ClaimDecision, ClaimRequest, Claims, EnqueueRequest, PendingJob, RunOutcome, RunRecord, RunRequest } from '../ports';
import { errorText, type ActiveRun, type Core } from './core';
import { ahead, type QueueEntry } from './queue';
import type { TaskRuntime } from './taskState';

/**
 * The executor enforces the task's timeout (then kills after its own grace). If it has not reported a
 * minute after that, it is stuck itself: the engine records the run timed out and frees the slot.
 */
export const WATCHDOG_GRACE_MS = 60_000;

export interface AdmitRequest {
  trigger: Trigger;
  scheduledFor: number;
  attempt?: number;
  params?: Record<string, unknown>;
  /**
   * slot    — the task's overlap policy decides (schedule, manual, dependency);
   * job     — a retry or enqueued job: never skipped; waits for the running run unless overlap is `allow`;
   * backlog — one of several catch-up runs: never skipped, always one after another.
   */
  mode: 'slot' | 'job' | 'backlog';
  waveId?: number;
  job?: PendingJob;
  /** What the run is an occurrence of (RunRecord.occurrence); default: the job's, else the run's own id. */
  occurrence?: string;
}

export interface RunHooks {
  /** A run's final record was written; `ran` = it reached an executor. */
  ended(entry: QueueEntry, run: RunRecord, ran: boolean): void;
  /** Due times may have changed: re-arm the timer. */
  rearm(): void;
  enqueue(request: EnqueueRequest): void;
}

export class Runs {
  private dispatching = false;
  private again = false;
  /** Claims asked and not answered yet: each holds a place under the concurrency limit. */
  private claiming = 0;

  constructor(private readonly core: Core, private readonly hooks: RunHooks) {}

  /** Applies the overlap policy; returns the queued run, or the skipped one. */
  admit(rt: TaskRuntime, req: AdmitRequest): { run: RunRecord; queued: boolean } {
    const { core } = this;
    const now = core.now();
    const id = core.newId(now);
    const occurrence = req.occurrence ?? (req.job ? `job:${req.job.id}` : `run:${id}`);
    const entry: QueueEntry = {
      run: {
        id, taskId: rt.spec.id, trigger: req.trigger, status: 'queued', attempt: req.attempt ?? 1,
        scheduledFor: req.scheduledFor, queuedAt: now, params: req.params, executor: core.deps.executorId, occurrence,
      },
      priority: rt.spec.priority, dueAt: req.scheduledFor, waitForTask: false, waveId: req.waveId,
      jobId: req.job?.id, origin: req.job?.kind, retries: req.job?.retries,
    };
    const policy = rt.spec.overlap;
    if (req.mode === 'backlog') entry.waitForTask = true;
    else if (req.mode === 'job') entry.waitForTask = policy !== 'allow';
    else {
      // A copy whose claim is out is no run yet (in a cluster most are another member's, found `taken`):
      // the claim decides overlap across the members. Without claims nothing is ever `claiming`.
      const queued = core.queue.countFor(rt.spec.id, (e) => !e.claiming);
      const busy = rt.running.size > 0 || queued > 0;
      if (policy === 'skip' && busy) {
        return { run: this.skip(entry, rt.running.size ? 'previous run still running' : 'previous run still queued'), queued: false };
      }
      if (policy === 'queue') {
        if (queued > 0) return { run: this.skip(entry, 'a run is already waiting for the previous one'), queued: false };
        entry.waitForTask = true;
      }
      if (policy === 'replace') {
        this.drop((e) => e.run.taskId === rt.spec.id, 'cancelled', 'replaced by a newer run', true);
        for (const id of [...rt.running]) this.cancel(id, 'replaced');
        entry.waitForTask = true;
      }
    }
    if (entry.jobId) core.jobsQueued.add(entry.jobId);
    core.queue.add(entry);
    void core.putRun(entry.run);
    core.emit({ type: 'run-queued', run: { ...entry.run } });
    core.changed(rt);
    this.dispatch();
    return { run: entry.run, queued: true };
  }

  /** Starts queued runs while there is room; never re-entered. */
  dispatch(): void {
    if (this.dispatching) { this.again = true; return; }
    this.dispatching = true;
    try {
      do {
        this.again = false;
        const { core } = this;
        while (core.started && !core.stopping && core.active.size + this.claiming < Math.max(1, core.settings.concurrency)) {
          const startable = (e: QueueEntry) => {
            const rt = core.tasks.get(e.run.taskId);
            return !!rt && !e.claiming && !e.parked && !(e.waitForTask && rt.running.size > 0);
          };
          const claims = core.deps.claims;
          if (!claims) {
            const entry = core.queue.take(startable);
            if (!entry) break;
            this.launch(entry);
            continue;
          }
          const entry = core.queue.entries().find(startable);
          if (!entry) break;
          this.claim(claims, entry);
        }
      } while (this.again);
    } finally {
      this.dispatching = false;
    }
  }

  /**
   * Asks the claims whether this executor may start the entry (several executors share the tasks).
   * While the answer is out the entry stays queued (views and overlap count it) but is not taken again.
   */
  private claim(claims: Claims, entry: QueueEntry): void {
    entry.claiming = true;
    let decision: ClaimDecision | Promise<ClaimDecision>;
    try {
      decision = claims.claim(this.requestOf(entry));
    } catch (err) {
      decision = { granted: false, why: 'unavailable', reason: errorText(err) };
    }
    if (!(decision instanceof Promise)) { this.decided(entry, decision); return; }
    this.claiming++;
    decision.catch((err): ClaimDecision => ({ granted: false, why: 'unavailable', reason: errorText(err) })).then((d) => {
      this.claiming--;
      this.decided(entry, d);
      this.dispatch();
    });
  }

  private decided(entry: QueueEntry, d: ClaimDecision): void {
    const { core } = this;
    entry.claiming = false;
    const queued = core.queue.entries().includes(entry);
    const waited = entry.waitsForRoom;
    if (d.granted || d.why !== 'full') entry.waitsForRoom = false;
    if (d.granted) {
      if (queued && core.started && !core.stopping && core.tasks.has(entry.run.taskId)) {
        core.queue.remove((e) => e === entry);
        this.launch(entry);
      } else {
        // Dropped (cancelled, paused, stopping) while the claim was out: the claimed run ends here.
        core.queue.remove((e) => e === entry);
        const now = core.now();
        void core.putRun({ ...entry.run, status: 'cancelled', startedAt: now, endedAt: now, error: 'cancelled before it started' });
        this.hooks.rearm();
      }
      return;
    }
    // Dropped while asked: a place the claims recorded for it (a `full` answer) is given up.
    if (!queued) { if (d.why === 'full') this.tellWaiting(); return; }
    const rt = core.tasks.get(entry.run.taskId);
    if (d.why === 'taken') {
      // Another executor runs this occurrence: the queued copy never existed anywhere but here.
      core.queue.remove((e) => e === entry);
      if (entry.jobId) { core.pending.delete(entry.jobId); core.jobsQueued.delete(entry.jobId); core.jobWaves.delete(entry.jobId); }
      core.log('debug', `${entry.run.taskId}: ${entry.run.occurrence} runs elsewhere`);
      core.changed(rt);
    } else if (d.why === 'busy' && !entry.waitForTask) {
      core.queue.remove((e) => e === entry);
      this.skip(entry, `previous run still running${d.holder ? ` (on ${d.holder})` : ''}`);
      core.changed(rt);
    } else if (d.why === 'full') {
      this.waitForRoom(entry);
      return;
    } else {
      entry.parked = true;
    }
    if (waited) this.tellWaiting();
  }

  /**
   * The shared limit is full for `entry`: it, and every queued run not ahead of it, waits for a wake
   * instead of asking one by one (they would be refused alike); the claims are told which runs wait.
   * Runs ahead of it (come meanwhile) are still asked: a better run may pass where this one could not.
   */
  private waitForRoom(entry: QueueEntry): void {
    const rt = (e: QueueEntry) => this.core.tasks.get(e.run.taskId);
    for (const e of this.core.queue.entries()) {
      const startable = e === entry || (!e.claiming && !e.parked && !(e.waitForTask && (rt(e)?.running.size ?? 0) > 0));
      if (startable && !ahead(e, entry)) { e.parked = true; e.waitsForRoom = true; }
    }
    this.tellWaiting();
  }

  private tellWaiting(): void {
    const claims = this.core.deps.claims;
    if (!claims?.waiting) return;
    try {
      claims.waiting(this.core.queue.entries().filter((e) => e.waitsForRoom).map((e) => this.requestOf(e)));
    } catch (err) {
      this.core.warn('executor', `telling the claims which runs wait failed: ${errorText(err)}`);
    }
  }

  private requestOf(entry: QueueEntry): ClaimRequest {
    const overlap = this.core.tasks.get(entry.run.taskId)?.spec.overlap ?? 'skip';
    return {
      run: { ...entry.run }, jobId: entry.jobId, priority: entry.priority, overlap,
      exclusive: entry.waitForTask || overlap !== 'allow',
    };
  }

  /** The claims may have changed their mind (a run ended elsewhere, the coordinator is back): ask again. */
  unpark(): void {
    for (const e of this.core.queue.entries()) e.parked = false;
    this.dispatch();
  }

  private launch(entry: QueueEntry): void {
    const { core } = this;
    const rt = core.tasks.get(entry.run.taskId)!;
    const now = core.now();
    let markEnded!: () => void;
    const ended = new Promise<void>((resolve) => { markEnded = resolve; });
    const active: ActiveRun = { run: { ...entry.run, status: 'running', startedAt: now }, entry, settled: false, ended, markEnded };
    core.active.set(active.run.id, active);
    rt.running.add(active.run.id);
    if (entry.waveId === undefined) entry.waveId = core.waves.start(rt.spec.id);
    void core.putRun(active.run);
    if (entry.jobId) core.deletePending(entry.jobId);
    core.log('debug', `${rt.spec.id}: run ${active.run.id} started (${entry.run.trigger}, attempt ${entry.run.attempt})`);
    core.emit({ type: 'run-started', run: { ...active.run } });
    core.changed(rt);
    try {
      const executor = core.deps.executors.find((e) => e.kinds.includes(rt.spec.kind));
      if (!executor) throw new Error(`no executor runs tasks of kind "${rt.spec.kind}"`);
      const request: RunRequest = {
        runId: active.run.id, task: rt.spec, compiledPath: rt.compiledPath,
        params: { ...rt.spec.params, ...entry.run.params }, attempt: entry.run.attempt, trigger: entry.run.trigger,
        scheduledFor: entry.run.scheduledFor, secrets: core.deps.secrets?.(rt.spec.id) ?? {},
      };
      if (rt.spec.timeout > 0) active.deadline = now + rt.spec.timeout + WATCHDOG_GRACE_MS;
      active.handle = executor.start(request, {
        output: (line) => core.emit({ type: 'run-output', runId: active.run.id, taskId: rt.spec.id, line }),
        enqueue: (req) => this.hooks.enqueue(req),
      });
      active.handle.done.then((outcome) => this.finish(active, outcome), (err) => this.finish(active, crashed(err, now, core.now())));
    } catch (err) {
      this.finish(active, crashed(err, now, core.now()));
    }
  }

  /** Decides and records the final state of an active run; idempotent. */
  finish(active: ActiveRun, outcome: RunOutcome): void {
    if (active.settled) return;
    active.settled = true;
    const { core } = this;
    let run: RunRecord = { ...active.run, status: 'failed', endedAt: core.now() };
    try {
      run = finalRecord(active, outcome);
    } finally {
      core.active.delete(run.id);
      core.tasks.get(run.taskId)?.running.delete(run.id);
      active.markEnded();
    }
    try {
      core.log(run.status === 'succeeded' || run.status === 'skipped' ? 'info' : 'warn',
        `${run.taskId}: run ${run.id} (${run.trigger}, attempt ${run.attempt}) ${run.status}${run.error ? `: ${run.error.split('\n')[0]}` : ''}`);
      // What the end means (a retry job, whose id derives from the run) is written before the final
      // record: a crash in between finds the run still running, and its retry is stored again under
      // the same id. In the other order the retry would be lost.
      this.hooks.ended(active.entry, run, true);
    } catch (err) {
      core.warn('executor', `after run ${run.id} of ${run.taskId}: ${errorText(err)}`, run.taskId);
    } finally {
      this.announce(run);
      core.changed(core.tasks.get(run.taskId));
      this.dispatch();
      this.hooks.rearm();
    }
  }

  /** Cancels a queued or running run. */
  cancel(runId: string, reason: CancelReason): boolean {
    const active = this.core.active.get(runId);
    if (active) {
      active.cancelReason ??= reason;
      try {
        active.handle?.cancel(reason);
      } catch (err) {
        this.core.warn('executor', `cancelling run ${runId} threw: ${errorText(err)}`, active.run.taskId);
      }
      return true;
    }
    return this.drop((e) => e.run.id === runId, 'cancelled', reason === 'cancelled' ? 'cancelled before it started' : reason, false) > 0;
  }

  /**
   * Takes queued runs out of the queue and records them with `status`. `keepJobs`: their pending jobs
   * stay stored and run later (pause, shutdown); otherwise the jobs are deleted with them.
   */
  drop(match: (entry: QueueEntry) => boolean, status: RunStatus, reason: string, keepJobs: boolean): number {
    const { core } = this;
    const dropped = core.queue.remove(match);
    if (dropped.some((e) => e.waitsForRoom)) this.tellWaiting();
    for (const entry of dropped) {
      if (entry.jobId) {
        if (keepJobs) core.jobsQueued.delete(entry.jobId);
        else core.deletePending(entry.jobId);
      }
      this.record(entry, status, reason);
      core.changed(core.tasks.get(entry.run.taskId));
    }
    if (dropped.length) this.hooks.rearm();
    return dropped.length;
  }

  /** Gives up on runs whose executor never reported. */
  checkWatchdogs(now: number): void {
    for (const active of [...this.core.active.values()]) {
      if (active.deadline === undefined || active.deadline > now) continue;
      try {
        active.handle?.cancel('cancelled');
      } catch { /* it is already misbehaving; the record below is what matters */ }
      this.core.warn('executor', `run ${active.run.id} of ${active.run.taskId}: the executor never reported its end`, active.run.taskId);
      this.finish(active, {
        status: 'timed-out', startedAt: active.run.startedAt ?? now, endedAt: now, output: '', outputTruncated: false,
        error: `no end was reported ${Math.round(WATCHDOG_GRACE_MS / 1000)} s after the timeout; the run was abandoned`,
      });
    }
  }

  earliestDeadline(): number | undefined {
    let min: number | undefined;
    for (const a of this.core.active.values()) if (a.deadline !== undefined && (min === undefined || a.deadline < min)) min = a.deadline;
    return min;
  }

  /** Records a run the engine decided not to start (skipped dependency, missed slot). */
  recordFinal(rt: TaskRuntime, fields: Pick<RunRecord, 'trigger' | 'status' | 'error'> & Partial<RunRecord>, waveId?: number): RunRecord {
    const now = this.core.now();
    const id = this.core.newId(now);
    const entry: QueueEntry = {
      run: {
        id, taskId: rt.spec.id, attempt: 1, queuedAt: now, executor: this.core.deps.executorId,
        scheduledFor: now, occurrence: `run:${id}`, ...fields,
      },
      priority: rt.spec.priority, dueAt: now, waitForTask: false, waveId,
    };
    return this.record(entry, fields.status, fields.error ?? '');
  }

  private skip(entry: QueueEntry, reason: string): RunRecord {
    return this.record(entry, 'skipped', reason);
  }

  /** Records a run that never reached an executor. */
  private record(entry: QueueEntry, status: RunStatus, reason: string): RunRecord {
    const run: RunRecord = { ...entry.run, status, endedAt: this.core.now(), error: reason };
    this.hooks.ended(entry, run, false);
    this.announce(run);
    return run;
  }

  /**
   * Writes a run's final record and announces it once it is durable: a view (or a terminal) never
   * shows a run as finished that a crash then loses.
   */
  private announce(run: RunRecord): void {
    const copy = { ...run };
    void this.core.putRun(run).then(() => this.core.emit({ type: 'run-finished', run: copy }));
  }
}

function crashed(err: unknown, startedAt: number, endedAt: number): RunOutcome {
  return { status: 'failed', startedAt, endedAt, error: `executor error: ${errorText(err)}`, output: '', outputTruncated: false };
}

function finalRecord(active: ActiveRun, outcome: RunOutcome): RunRecord {
  let status: RunStatus = outcome.status;
  let error = outcome.error;
  if (status === 'cancelled') {
    if (active.cancelReason === 'shutdown') { status = 'interrupted'; error = 'the scheduler stopped while it ran'; }
    else if (active.cancelReason === 'replaced') error ??= 'replaced by a newer run';
    else error ??= 'cancelled';
  }
  return {
    ...active.run, status, error,
    startedAt: outcome.startedAt ?? active.run.startedAt, endedAt: outcome.endedAt,
    exitCode: outcome.exitCode, output: outcome.output, outputTruncated: outcome.outputTruncated, result: outcome.result,
  };
}
