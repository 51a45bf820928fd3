// The scheduling engine: one timer, one queue, one record per task. Callers open the history, `load`
// a plan (again on every config or task-file change), `start`, act on tasks, and `stop`. Decisions are
// synchronous; history writes follow in order (see writes.ts). Semantics: DESIGN.md "Engine semantics",
// and the decisions documented beside each part (catchUp.ts, dependencies.ts, retry.ts, slots.ts).
import type { RetryPolicy } from '../model';
import type { PendingJob, RunRecord, TaskStateRecord } from '../ports';
import { Core, errorText } from './core';
import { cleanupHistory, loadLastRun, refreshFromHistory } from './fromHistory';
import { DependencyGraph } from './dependencies';
import type { EngineListener, TaskView, UpcomingRun } from './events';
import { absorbPending, absorbStates, continueSeries, interruptLeftovers } from './others';
import { Outcomes } from './outcomes';
import { Runs } from './runs';
import { Slots } from './slots';
import { definitionOf, invalidView, kindOfFile, newRuntime, redefine, type TaskRuntime } from './taskState';
import type { EngineSettings, LoadPlan, ScheduleReset, SchedulerDeps } from './types';
import { upcomingRuns } from './upcoming';
import { Wake } from './wake';

/** A graceful stop lets running runs finish for this long before cancelling them. */
export const STOP_WAIT_MS = 30_000;
/** After cancelling at stop, the executors get this long (their own grace, then a kill) to report. */
export const KILL_WAIT_MS = 10_000;
const INTERRUPTED = 'the scheduler running it stopped (editor closed, process killed or crashed) before it ended';

export interface StopOptions {
  /** true: let running runs finish (up to `waitMs`) before cancelling them; false: cancel at once. */
  graceful?: boolean;
  waitMs?: number;
}

export class Scheduler {
  private readonly core: Core;
  private readonly runs: Runs;
  private readonly outcomes: Outcomes;
  private readonly slots: Slots;
  private readonly wake: Wake;
  /** Task ids seen (valid or invalid) by an earlier load of this instance. */
  private readonly seen = new Set<string>();
  private configuredPause?: boolean;

  constructor(deps: SchedulerDeps) {
    const core = this.core = new Core(deps);
    this.outcomes = new Outcomes(core, () => this.runs, (taskId, reason) => this.pause(taskId, reason));
    this.runs = new Runs(core, {
      ended: (entry, run, ran) => this.outcomes.ended(entry, run, ran),
      rearm: () => this.wake.rearm(),
      enqueue: (req) => {
        this.enqueue(req.taskId, req.params, { retries: req.retries, delay: req.delay })
          .catch((err) => core.warn('enqueue', `ctx.enqueue("${req.taskId}") refused: ${errorText(err)}`, req.taskId));
      },
    });
    this.slots = new Slots(core, this.runs);
    this.wake = new Wake(core, deps.clock, this.slots, this.runs);
    deps.claims?.onWake(() => { if (core.started) this.runs.unpark(); });
  }

  onEvent(listener: EngineListener): () => void {
    return this.core.onEvent(listener);
  }

  /**
   * Applies a plan: the first one and every reload alike. New tasks are added, changed ones take their
   * new definition (a changed schedule starts from now: the old schedule's slots are not caught up),
   * removed ones are deactivated (history kept, running runs finish). `settings.paused` is applied when
   * it differs from the previous load's, so a reload does not undo a `pauseAll()` the config never saw.
   */
  async load(plan: LoadPlan): Promise<void> {
    const { core } = this;
    const history = core.deps.history;
    let stored: TaskStateRecord[] = [];
    try {
      stored = await core.writer.read(() => history.taskStates());
    } catch (err) {
      core.warn('history', `history: reading task states failed: ${errorText(err)}`);
    }
    const now = core.now();
    const storedById = new Map(stored.map((s) => [s.taskId, s]));
    const planned = new Map(plan.tasks.map((t) => [t.spec.id, t]));
    const invalid = (plan.invalid ?? []).filter((i) => !planned.has(i.id));
    const listed = [
      ...plan.tasks.map(({ spec }) => ({ taskId: spec.id, name: spec.name, file: spec.file, kind: spec.kind })),
      ...invalid.map((i) => ({ taskId: i.id, name: i.name, file: i.file, kind: kindOfFile(i.file) })),
    ];
    void core.writer.write('sync the task list', () => history.syncTasks(listed, now));
    this.applySettings(plan.settings);

    for (const rt of [...core.tasks.values()]) if (!planned.has(rt.spec.id)) this.remove(rt);
    for (const task of plan.tasks) {
      const existing = core.tasks.get(task.spec.id);
      const definition = definitionOf(task);
      if (!existing) {
        const s = storedById.get(task.spec.id);
        const running = [...core.active.values()].filter((a) => a.run.taskId === task.spec.id).map((a) => a.run.id);
        // Catch up only time the scheduler was not running, not time the task was absent or invalid.
        const rt = newRuntime(task, s, now, running, !!s && !s.removed && !this.seen.has(task.spec.id));
        core.tasks.set(task.spec.id, rt);
        if (!s) core.saveState(rt);
        else if (core.started) void loadLastRun(this.core, rt).catch(() => undefined);
      } else if (existing.definition !== definition) {
        const scheduleChanged = redefine(existing, task);
        core.saveState(existing);
        if (core.started && existing.armed) this.slots.arm(existing, !scheduleChanged, existing.schedule?.kind === 'now');
      }
    }
    if (!core.started) await refreshFromHistory(this.core, storedById);
    core.invalid = new Map(invalid.map((i) => [i.id, i]));
    for (const id of [...planned.keys(), ...core.invalid.keys()]) this.seen.add(id);
    core.graph = new DependencyGraph(new Map([...core.tasks].map(([id, rt]) => [id, rt.spec.dependsOn])));
    if (core.started) for (const rt of core.tasks.values()) this.reconcile(rt);
    core.emit({ type: 'tasks-loaded', tasks: this.snapshot() });
    if (core.started) this.wake.tick();
  }

  /**
   * Begins executing (the history is already open). Runs left queued/running by a previous executor
   * become `interrupted` and follow the retry policy if they had started; stored pending jobs are
   * resumed (overdue ones run now); each task catches up from its persisted `lastSlot`.
   */
  async start(): Promise<void> {
    const { core } = this;
    if (core.started) return;
    const history = core.deps.history;
    let interrupted: RunRecord[] = [];
    try {
      for (const job of await core.writer.read(() => history.pending())) core.pending.set(job.id, job);
      interrupted = await interruptLeftovers(this.core, this.outcomes, INTERRUPTED);
      await Promise.all([...core.tasks.values()].map((rt) => loadLastRun(this.core, rt)));
    } catch (err) {
      core.warn('history', `history: reading at start failed: ${errorText(err)}`);
    }
    core.started = true;
    core.stopping = false;
    this.wake.begin();
    for (const run of interrupted) core.emit({ type: 'run-finished', run });
    for (const rt of core.tasks.values()) this.reconcile(rt);
    this.wake.tick();
  }

  /**
   * Runs another executor of the same tasks left running when it died (a cluster member): they follow
   * their retry policy here, as if this engine had run them. Returns their final records (the caller
   * writes them, fenced, after `idle()` — retries first, as at start). Retry ids derive from run ids,
   * so a caller that dies midway and is repeated stores the same retries again, not new ones.
   */
  recover(runs: RunRecord[], reason: string): RunRecord[] {
    const ended = continueSeries(this.core, this.outcomes, runs, this.core.now(), reason);
    for (const run of ended) this.core.emit({ type: 'run-finished', run: { ...run } });
    this.wake.rearm();
    return ended;
  }

  /**
   * Takes in what other executors of the same tasks changed (a cluster member): the pending jobs as
   * stored (new ones are followed; gone ones were run or dropped elsewhere), and task states (pause,
   * retry counts). `lastSlot` is not taken: a running engine follows its own timer, and the claims
   * decide who runs a slot.
   */
  absorb(update: { pending?: PendingJob[]; states?: TaskStateRecord[] }): void {
    if (update.pending) absorbPending(this.core, update.pending);
    absorbStates(this.core, update.states ?? [], { pause: (id, reason) => this.pause(id, reason), resume: (id) => this.resume(id) });
    if (this.core.started) this.wake.tick();
  }

  /** Stops timers and the queue; running runs finish (graceful, bounded) or are cancelled and recorded `interrupted`. */
  async stop(options: StopOptions = {}): Promise<void> {
    const { core } = this;
    if (!core.started || core.stopping) return;
    core.stopping = true;
    this.wake.cancel();
    // Queued runs are recorded; their pending jobs (retries, enqueued) stay stored for the next start.
    this.runs.drop(() => true, 'cancelled', 'the scheduler stopped before it started', true);
    const allEnded = () => Promise.all([...core.active.values()].map((a) => a.ended)).then(() => undefined);
    if (options.graceful !== false && core.active.size) await this.within(allEnded(), options.waitMs ?? STOP_WAIT_MS);
    for (const active of [...core.active.values()]) this.runs.cancel(active.run.id, 'shutdown');
    if (core.active.size) await this.within(allEnded(), KILL_WAIT_MS);
    for (const active of [...core.active.values()]) {
      const now = core.now();
      this.runs.finish(active, { status: 'cancelled', startedAt: active.run.startedAt ?? now, endedAt: now, output: '', outputTruncated: false });
    }
    core.waves.clear();
    await core.writer.idle();
    try {
      await core.deps.history.flush();
    } catch (err) {
      core.warn('history', `history: flush at stop failed: ${errorText(err)}`);
    }
    core.started = false;
    core.stopping = false;
    for (const rt of core.tasks.values()) { rt.armed = false; rt.nextSlot = undefined; }
  }

  /** Pauses a task: its slots are skipped (not queued, not caught up on resume); running runs go on. */
  pause(taskId: string, reason?: string): void {
    const rt = this.task(taskId);
    if (rt.state.paused) return;
    rt.state.paused = true;
    rt.state.pausedReason = reason;
    this.core.saveState(rt);
    this.reconcile(rt);
    this.core.emit({ type: 'task-paused', taskId, reason });
    this.core.changed(rt);
    this.wake.rearm();
  }

  /** Resumes a task from now; after an auto-pause its failure count starts again. */
  resume(taskId: string): void {
    const rt = this.task(taskId);
    if (!rt.state.paused) return;
    rt.state.paused = false;
    rt.state.pausedReason = undefined;
    const limit = rt.spec.pauseAfterFailures;
    if (limit > 0 && rt.state.consecutiveFailures >= limit) rt.state.consecutiveFailures = 0;
    this.core.saveState(rt);
    this.reconcile(rt);
    this.core.emit({ type: 'task-resumed', taskId });
    this.core.changed(rt);
    this.wake.tick();
  }

  /** Pauses every task. Not stored by the engine: the caller persists it on `pause-all-changed`. */
  pauseAll(): void {
    this.setGlobalPause(true);
  }

  resumeAll(): void {
    this.setGlobalPause(false);
  }

  get pausedAll(): boolean {
    return this.core.globallyPaused;
  }

  /** Cancels one run (by run id) or every queued and running run of a task (by task id); returns how many. */
  cancel(runOrTaskId: string): number {
    const { core, runs } = this;
    if (core.active.has(runOrTaskId) || core.queue.entries().some((e) => e.run.id === runOrTaskId)) {
      return runs.cancel(runOrTaskId, 'cancelled') ? 1 : 0;
    }
    const rt = core.tasks.get(runOrTaskId);
    if (!rt) return 0;
    let n = runs.drop((e) => e.run.taskId === runOrTaskId, 'cancelled', 'cancelled before it started', false);
    for (const id of [...rt.running]) if (runs.cancel(id, 'cancelled')) n++;
    return n;
  }

  /** Runs a task now (trigger `manual`, the task's overlap policy applies; dependents follow). Returns the run id. */
  runNow(taskId: string, params?: Record<string, unknown>): string {
    const rt = this.task(taskId);
    if (!this.core.started || this.core.stopping) throw new Error('the scheduler is not running');
    return this.runs.admit(rt, { trigger: 'manual', scheduledFor: this.core.now(), params, mode: 'slot' }).run.id;
  }

  /** A one-off run with params, stored until it has run (and retried by `retries` over the task's policy). */
  async enqueue(
    taskId: string, params?: Record<string, unknown>, options: { retries?: Partial<RetryPolicy>; delay?: number } = {},
  ): Promise<PendingJob> {
    this.task(taskId);
    const { core } = this;
    const now = core.now();
    const job: PendingJob = {
      id: core.newId(now), taskId, kind: 'enqueue', dueAt: now + Math.max(0, options.delay ?? 0), attempt: 1,
      trigger: 'enqueue', params, retries: options.retries, createdAt: now,
    };
    core.pending.set(job.id, job);
    const stored = core.putPending(job);
    core.emit({ type: 'job-pending', job: { ...job } });
    this.core.changed(core.tasks.get(taskId));
    if (core.started) this.wake.tick();
    await stored;
    return { ...job };
  }

  /**
   * Clears the retry count, the failed state and pending retries of a task. Retries of enqueued jobs
   * stay: each is its own piece of work with its own params.
   */
  resetRetries(taskId: string): void {
    const { core } = this;
    const rt = this.task(taskId);
    rt.state.retryCount = 0;
    rt.state.consecutiveFailures = 0;
    core.saveState(rt);
    for (const job of [...core.pending.values()]) {
      if (job.taskId !== taskId || job.kind !== 'retry') continue;
      if (core.jobsQueued.has(job.id)) this.runs.drop((e) => e.jobId === job.id, 'cancelled', 'retries were reset', false);
      else core.deletePending(job.id);
    }
    core.changed(rt);
    this.wake.rearm();
  }

  /**
   * The seeds' reset tool: forget the slots a task missed (a backlog after downtime) and follow its
   * schedule from now, so a later start does not catch them up. `dryRun` only reports. `overdue` is
   * whether a slot fell due since the task's last handled one.
   */
  resetSchedule(taskId: string, options: { dryRun?: boolean } = {}): ScheduleReset {
    const { core } = this;
    const rt = this.task(taskId);
    const now = core.now();
    const schedule = rt.schedule;
    const before = rt.state.lastSlot;
    const following = schedule !== undefined && schedule.kind !== 'manual' && schedule.kind !== 'now';
    const firstDue = following && before !== undefined ? schedule.next(before) : undefined;
    const overdue = firstDue !== undefined && firstDue <= now;
    const nextRun = following ? schedule.next(now) : undefined;
    if (!options.dryRun && following) {
      rt.state.lastSlot = now;
      if (rt.armed) rt.nextSlot = nextRun;
      core.saveState(rt);
      core.changed(rt);
      this.wake.rearm();
    }
    return { taskId, lastSlot: before, overdue, nextRun, changed: !options.dryRun && following };
  }

  /** Deletes finished runs (Clear History: `olderThanMs` 0); the views drop a last run that is gone. */
  cleanup(options: { olderThanMs?: number; maxRunsPerTask?: number }): Promise<{ deleted: number }> {
    return cleanupHistory(this.core, options);
  }

  /** Every task (invalid ones included), optionally only those with `tag`. */
  snapshot(filter: { tag?: string } = {}): TaskView[] {
    const views = [...this.core.tasks.values()].map((rt) => this.core.view(rt));
    for (const inv of this.core.invalid.values()) views.push(invalidView(inv));
    return filter.tag === undefined ? views : views.filter((v) => v.tags.includes(filter.tag!));
  }

  /** The next `count` runs across tasks (slots and pending jobs), soonest first. */
  nextRuns(count: number): UpcomingRun[] {
    return upcomingRuns(this.core, count);
  }

  /** Resolves when every history write so far is done (tests, and callers about to read history). */
  idle(): Promise<void> {
    return this.core.writer.idle();
  }

  // -------------------------------------------------------------------------------------------

  private task(taskId: string): TaskRuntime {
    const rt = this.core.tasks.get(taskId);
    if (rt) return rt;
    const inv = this.core.invalid.get(taskId);
    throw new Error(inv ? `task "${taskId}" is invalid: ${inv.reason}` : `no task "${taskId}"`);
  }

  private applySettings(settings: EngineSettings): void {
    this.core.settings = { ...settings, tags: settings.tags ? [...settings.tags] : undefined };
    if (this.configuredPause !== settings.paused) {
      this.configuredPause = settings.paused;
      this.setGlobalPause(settings.paused);
    }
  }

  private setGlobalPause(paused: boolean): void {
    const { core } = this;
    if (core.globallyPaused === paused) return;
    core.globallyPaused = paused;
    if (core.started) for (const rt of core.tasks.values()) this.reconcile(rt);
    core.emit({ type: 'pause-all-changed', paused });
    for (const rt of core.tasks.values()) core.changed(rt);
    if (core.started) this.wake.tick();
  }

  /** Arms a task that may run and is not followed yet; disarms one that may not. */
  private reconcile(rt: TaskRuntime): void {
    const { core } = this;
    if (!core.started) return;
    const catchUp = rt.catchUpOnArm;
    rt.catchUpOnArm = false;
    const runnable = core.runnable(rt) && core.settings.automatic !== false;
    if (runnable && !rt.armed) this.slots.arm(rt, catchUp);
    else if (!runnable && rt.armed) {
      this.slots.disarm(rt, core.inactiveReason(rt) ?? (rt.state.paused ? 'task paused' : core.globallyPaused ? 'all tasks paused' : 'runs only on demand'));
    }
  }

  private remove(rt: TaskRuntime): void {
    this.runs.drop((e) => e.run.taskId === rt.spec.id, 'cancelled', 'task removed', true);
    this.core.tasks.delete(rt.spec.id);
  }

  private within(promise: Promise<void>, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = this.core.deps.clock.setTimer(resolve, ms);
      promise.then(() => { timer.cancel(); resolve(); }, () => { timer.cancel(); resolve(); });
    });
  }
}
