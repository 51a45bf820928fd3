// A Scheduler on a ManualClock, an in-memory history and a fake executor, for engine tests.
import { ManualClock } from '../../../src/core/clock';
import type { EngineEvent } from '../../../src/core/engine/events';
import { Scheduler } from '../../../src/core/engine/scheduler';
import type { EngineSchedule, EngineSettings, PlannedTask } from '../../../src/core/engine/types';
import type { TaskSpec } from '../../../src/core/model';
import type { Claims, RunRecord } from '../../../src/core/ports';
import { FakeExecutor } from './fakeExecutor';
import { MemoryHistory } from './memoryHistory';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

export function spec(id: string, o: Partial<TaskSpec> = {}): TaskSpec {
  return {
    id, name: id, kind: 'module', file: `/ws/${id}.task.ts`, workspaceFolder: '/ws', schedule: [], timeout: 10 * MINUTE,
    retries: { max: 0, backoff: 'fixed', delay: 30 * SECOND, maxDelay: 10 * MINUTE, jitter: false },
    overlap: 'skip', catchUp: 'latest', catchUpWindow: DAY, priority: 'normal', dependsOn: [], tags: [], enabled: true,
    env: {}, params: {}, pauseAfterFailures: 0, ...o,
  };
}

export function task(id: string, schedule?: EngineSchedule, o: Partial<TaskSpec> = {}): PlannedTask {
  return { spec: spec(id, o), schedule, compiledPath: `/cache/${id}.js` };
}

export interface Harness {
  clock: ManualClock;
  history: MemoryHistory;
  exec: FakeExecutor;
  engine: Scheduler;
  events: EngineEvent[];
  load(tasks: PlannedTask[], settings?: Partial<EngineSettings>): Promise<void>;
  /** Lets timers due now fire and promise chains settle. */
  settle(): Promise<void>;
  /** History rows of a task, oldest first, after pending writes. */
  rows(taskId?: string): Promise<RunRecord[]>;
}

export interface SetupOptions {
  at?: string | number;
  tasks: PlannedTask[];
  settings?: Partial<EngineSettings>;
  clock?: ManualClock;
  history?: MemoryHistory;
  random?: () => number;
  /** Default true. */
  start?: boolean;
  /** Several executors share the tasks (a cluster): asked before each start. */
  claims?: Claims;
}

export async function setup(o: SetupOptions): Promise<Harness> {
  const clock = o.clock ?? new ManualClock(o.at ?? '2026-03-02T09:00:00.000Z');
  const history = o.history ?? new MemoryHistory();
  const exec = new FakeExecutor(clock);
  const engine = new Scheduler({ clock, history, executors: [exec], claims: o.claims, executorId: 'test', random: o.random ?? (() => 0.5) });
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const base: EngineSettings = { concurrency: 4, paused: false, ...o.settings };
  const h: Harness = {
    clock, history, exec, engine, events,
    load: (tasks, settings) => engine.load({ tasks, settings: { ...base, ...settings } }),
    settle: () => clock.advance(0),
    rows: async (taskId) => { await engine.idle(); return history.all(taskId); },
  };
  await h.load(o.tasks);
  if (o.start !== false) await engine.start();
  await h.settle();
  return h;
}

/** `status@scheduledFor` of each row, for compact literal assertions. */
export function summary(rows: RunRecord[]): string[] {
  return rows.map((r) => `${r.trigger} ${r.status}@${iso(r.scheduledFor)}`);
}
