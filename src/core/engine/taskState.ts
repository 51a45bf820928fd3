// One record per task: its definition, its persisted state, and what is running. All mutable
// per-task state lives here (croner's CronState lesson); the scheduler restores its invariants in
// `finally` blocks.
import * as path from 'path';
import type { TaskKind, TaskSpec, TaskState } from '../model';
import type { TaskStateRecord } from '../ports';
import type { RunSummary, TaskView } from './events';
import type { EngineSchedule, InvalidTask, PlannedTask } from './types';

export interface TaskRuntime {
  spec: TaskSpec;
  schedule?: EngineSchedule;
  compiledPath?: string;
  /** Identity of the definition: a change re-baselines the schedule and reruns a `now` task. */
  definition: string;
  /** What the schedule is, for "did the schedule change" (a new one does not catch up the old one's slots). */
  scheduleKey: string;
  /** Persisted; saved whenever it changes. */
  state: TaskStateRecord;
  /** The next slot after `state.lastSlot` (cached `schedule.next`); undefined = none or not activated. */
  nextSlot?: number;
  /** Ids of this task's runs that are running now. */
  running: Set<string>;
  lastRun?: RunSummary;
  /** `schedule.describe()`, computed once per definition (cronstrue takes tens of µs a call). */
  description?: string;
  /** Slots are being followed (`nextSlot` is meaningful): started, runnable, not paused. */
  armed: boolean;
  /** On first arming, catch up from the persisted `lastSlot` (time the scheduler was not running). */
  catchUpOnArm: boolean;
}

export function definitionOf(task: PlannedTask): string {
  return JSON.stringify([task.spec, task.compiledPath ?? null, scheduleKeyOf(task.schedule)]);
}

/**
 * A definition as the same task files give it on any machine: paths relative to the workspace folder,
 * no compiled file. Executors of one workspace on several machines compare these.
 */
export function portableDefinition(spec: TaskSpec, schedule: EngineSchedule | undefined): string {
  const rel = (p: string | undefined) => p === undefined ? undefined : path.relative(spec.workspaceFolder, p).split(path.sep).join('/');
  return JSON.stringify([{ ...spec, file: rel(spec.file), workspaceFolder: '.', cwd: rel(spec.cwd) }, scheduleKeyOf(schedule)]);
}

export function scheduleKeyOf(schedule: EngineSchedule | undefined): string {
  if (!schedule) return 'manual';
  return JSON.stringify([schedule.kind, schedule.source, schedule.timezone ?? null, schedule.at ?? null]);
}

export function newStateRecord(spec: TaskSpec, now: number): TaskStateRecord {
  return {
    taskId: spec.id, name: spec.name, file: spec.file, kind: spec.kind,
    paused: false, retryCount: 0, consecutiveFailures: 0, removed: false, updatedAt: now,
  };
}

/** A task the engine has not held before; `stored` is its persisted record, if any. */
export function newRuntime(
  task: PlannedTask, stored: TaskStateRecord | undefined, now: number, running: string[], catchUpOnArm: boolean,
): TaskRuntime {
  const { spec } = task;
  return {
    spec, schedule: task.schedule, compiledPath: task.compiledPath, definition: definitionOf(task),
    scheduleKey: scheduleKeyOf(task.schedule), running: new Set(running), armed: false, catchUpOnArm,
    state: stored ? { ...stored, name: spec.name, file: spec.file, kind: spec.kind, removed: false } : newStateRecord(spec, now),
  };
}

/** Takes a task's new definition; true when its schedule changed. */
export function redefine(rt: TaskRuntime, task: PlannedTask): boolean {
  const scheduleKey = scheduleKeyOf(task.schedule);
  const changed = rt.scheduleKey !== scheduleKey;
  Object.assign(rt, {
    spec: task.spec, schedule: task.schedule, compiledPath: task.compiledPath, definition: definitionOf(task), scheduleKey,
    description: undefined,
  });
  Object.assign(rt.state, { name: task.spec.name, file: task.spec.file, kind: task.spec.kind });
  return changed;
}

export function summarize(run: { id: string; status: RunSummary['status']; trigger: RunSummary['trigger']; startedAt?: number; endedAt?: number; error?: string; executor?: string }): RunSummary {
  const summary: RunSummary = {
    id: run.id, status: run.status, trigger: run.trigger, endedAt: run.endedAt, error: run.error,
    durationMs: run.startedAt !== undefined && run.endedAt !== undefined ? run.endedAt - run.startedAt : undefined,
  };
  if (run.executor !== undefined) summary.executor = run.executor;
  return summary;
}

/** What a view needs beyond the task record. */
export interface ViewContext {
  /** Why the task does not run on its own (disabled, not in the tag filter), if so. */
  inactiveReason?: string;
  globallyPaused: boolean;
  /** Run ids running now (this engine's, or as history shows them before start). */
  running: string[];
  queued: number;
  /** The next slot: followed (armed) or projected from `lastSlot` before start. */
  nextSlot?: number;
  /** Due time of the earliest pending retry. */
  nextRetryAt?: number;
  /** Earliest pending job of any kind (retry, enqueue). */
  nextJobAt?: number;
}

/** Precedence: disabled > running > paused > retry-scheduled > failed > scheduled. */
export function deriveState(rt: TaskRuntime, ctx: ViewContext): TaskState {
  if (ctx.inactiveReason) return 'disabled';
  if (ctx.running.length > 0) return 'running';
  if (rt.state.paused || ctx.globallyPaused) return 'paused';
  if (ctx.nextRetryAt !== undefined) return 'retry-scheduled';
  if (rt.state.consecutiveFailures > 0) return 'failed';
  return 'scheduled';
}

export function taskView(rt: TaskRuntime, ctx: ViewContext): TaskView {
  const state = deriveState(rt, ctx);
  const paused = rt.state.paused || ctx.globallyPaused;
  const pausedReason = rt.state.paused ? rt.state.pausedReason : ctx.globallyPaused ? 'all tasks are paused' : undefined;
  const nextSlot = ctx.inactiveReason || paused ? undefined : ctx.nextSlot;
  const nextJob = ctx.inactiveReason || paused ? undefined : ctx.nextJobAt;
  const nextRun = nextSlot === undefined ? nextJob : nextJob === undefined ? nextSlot : Math.min(nextSlot, nextJob);
  return {
    id: rt.spec.id, name: rt.spec.name, description: rt.spec.description, file: rt.spec.file, kind: rt.spec.kind,
    tags: rt.spec.tags, priority: rt.spec.priority, state,
    stateReason: ctx.inactiveReason ?? (paused ? pausedReason : undefined),
    pausedReason,
    schedule: rt.schedule && (rt.description ??= rt.schedule.describe()), scheduleSource: rt.schedule?.source,
    nextRun, nextRetryAt: ctx.nextRetryAt,
    running: ctx.running, queued: ctx.queued, lastRun: rt.lastRun,
    retryCount: rt.state.retryCount, consecutiveFailures: rt.state.consecutiveFailures,
  };
}

/** An invalid task's kind is only known from its file. */
export function kindOfFile(file: string): TaskKind {
  return file.endsWith('.task.ts') ? 'module' : 'command';
}

export function invalidView(inv: InvalidTask): TaskView {
  return {
    id: inv.id, name: inv.name, file: inv.file, kind: kindOfFile(inv.file), tags: [], priority: 'normal',
    state: 'invalid', stateReason: inv.reason, running: [], queued: 0, retryCount: 0, consecutiveFailures: 0,
  };
}
