// The engine's shared state and the small services every part uses (clock, ids, events, history
// writes, views). The parts — runs, outcomes, the scheduler — each hold the one Core.
import { randomBytes } from 'crypto';
import type { CancelReason, PendingJob, RunHandle, RunRecord } from '../ports';
import { DependencyGraph, Waves } from './dependencies';
import type { EngineEvent, EngineListener, TaskView, WarningCode } from './events';
import { RunQueue, type QueueEntry } from './queue';
import { taskView, type TaskRuntime } from './taskState';
import type { EngineSettings, InvalidTask, LogLevel, SchedulerDeps } from './types';
import { HistoryWriter } from './writes';

/** A run that has been handed to an executor. */
export interface ActiveRun {
  run: RunRecord;
  entry: QueueEntry;
  handle?: RunHandle;
  cancelReason?: CancelReason;
  /** When the engine stops waiting for the executor to report (the watchdog). */
  deadline?: number;
  /** Set once the final record is decided; later reports are ignored. */
  settled: boolean;
  /** Resolves when settled. */
  ended: Promise<void>;
  markEnded: () => void;
}

export class Core {
  readonly tasks = new Map<string, TaskRuntime>();
  invalid = new Map<string, InvalidTask>();
  readonly queue = new RunQueue();
  readonly active = new Map<string, ActiveRun>();
  readonly pending = new Map<string, PendingJob>();
  /** Pending jobs whose run is queued (so a wake does not queue them twice). */
  readonly jobsQueued = new Set<string>();
  /** The wave a pending retry continues, in memory only (a restart starts a new wave). */
  readonly jobWaves = new Map<string, number>();
  /** Before start: the runs history shows queued/running per task (another executor's, in a viewer). */
  observed = new Map<string, { running: string[]; queued: number }>();
  settings: EngineSettings = { concurrency: 1, paused: false };
  globallyPaused = false;
  started = false;
  stopping = false;
  graph = new DependencyGraph(new Map());
  readonly waves = new Waves(() => this.graph);
  readonly writer: HistoryWriter;
  private readonly listeners = new Set<EngineListener>();
  private seq = 0;

  constructor(readonly deps: SchedulerDeps) {
    this.writer = new HistoryWriter((what, err) => this.warn('history', `history: ${what} failed: ${errorText(err)}`));
  }

  now(): number {
    return this.deps.clock.now();
  }

  random(): number {
    return (this.deps.random ?? Math.random)();
  }

  log(level: LogLevel, message: string): void {
    this.deps.log?.(level, message);
  }

  warn(code: WarningCode, message: string, taskId?: string): void {
    this.log('warn', message);
    this.emit({ type: 'warning', code, message, taskId });
  }

  onEvent(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        // A failing view must not break the engine; report it once, without recursing on warnings.
        if (event.type !== 'warning') this.warn('listener', `event listener threw on ${event.type}: ${errorText(err)}`);
      }
    }
  }

  /** Sortable by creation: base-36 time, a per-engine sequence, and randomness against other processes. */
  newId(at: number): string {
    return `${at.toString(36).padStart(9, '0')}-${(this.seq++ % 1_679_616).toString(36).padStart(4, '0')}-${randomBytes(3).toString('hex')}`;
  }

  /** Why a task does not run on its own, or undefined when it does. Pausing is separate. */
  inactiveReason(rt: TaskRuntime): string | undefined {
    if (!rt.spec.enabled) return 'disabled (enabled: false)';
    const tags = this.settings.tags;
    if (tags && tags.length && !rt.spec.tags.some((t) => tags.includes(t))) return `not tagged ${tags.join(' or ')}`;
    return undefined;
  }

  /** Follows its schedule, runs its retries and its dependency triggers. */
  runnable(rt: TaskRuntime): boolean {
    return !this.inactiveReason(rt) && !rt.state.paused && !this.globallyPaused;
  }

  saveState(rt: TaskRuntime): void {
    rt.state.updatedAt = this.now();
    const snapshot = { ...rt.state };
    void this.writer.write(`save state of ${rt.spec.id}`, () => this.deps.history.saveTaskState(snapshot));
  }

  putRun(run: RunRecord): Promise<void> {
    const copy = { ...run };
    return this.writer.write(`record run ${run.id} (${run.status})`, () => this.deps.history.putRun(copy));
  }

  putPending(job: PendingJob): Promise<void> {
    return this.writer.write(`store pending job ${job.id}`, () => this.deps.history.putPending({ ...job }));
  }

  deletePending(id: string): void {
    this.pending.delete(id);
    this.jobsQueued.delete(id);
    this.jobWaves.delete(id);
    void this.writer.write(`delete pending job ${id}`, () => this.deps.history.deletePending(id));
  }

  view(rt: TaskRuntime): TaskView {
    let nextRetryAt: number | undefined;
    let nextJobAt: number | undefined;
    for (const job of this.pending.values()) {
      if (job.taskId !== rt.spec.id) continue;
      if (job.trigger === 'retry' && (nextRetryAt === undefined || job.dueAt < nextRetryAt)) nextRetryAt = job.dueAt;
      if (nextJobAt === undefined || job.dueAt < nextJobAt) nextJobAt = job.dueAt;
    }
    // Before start (or in a viewer that never starts) history is the truth: what it shows running and
    // queued, and the next slot after the stored `lastSlot`.
    const seen = this.started ? undefined : this.observed.get(rt.spec.id);
    return taskView(rt, {
      inactiveReason: this.inactiveReason(rt), globallyPaused: this.globallyPaused, nextRetryAt, nextJobAt,
      running: this.started ? [...rt.running] : seen?.running ?? [],
      queued: this.started ? this.queue.countFor(rt.spec.id) : seen?.queued ?? 0,
      nextSlot: rt.armed ? rt.nextSlot : projectedSlot(rt, this.now()),
    });
  }

  changed(rt: TaskRuntime | undefined): void {
    if (this.listeners.size === 0) return;
    if (rt && this.tasks.get(rt.spec.id) === rt) this.emit({ type: 'task-changed', task: this.view(rt) });
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}

/** Where a task not followed yet would fire next: after its stored `lastSlot`, or after now. */
function projectedSlot(rt: TaskRuntime, now: number): number | undefined {
  const kind = rt.schedule?.kind;
  if (kind !== 'cron' && kind !== 'once') return undefined;
  return rt.schedule!.next(Math.max(rt.state.lastSlot ?? now, now));
}
