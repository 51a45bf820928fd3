// Cron-free schedules for engine tests, shaped like core/schedule's Schedule.
import type { EngineSchedule } from '../../../src/core/engine/types';

/** Slots at every multiple of `ms` since the epoch (so "every minute" lands on :00). */
export function every(ms: number): EngineSchedule {
  return {
    kind: 'cron', source: `every ${ms} ms`,
    next: (after) => Math.floor(after / ms) * ms + ms,
    previous: (before) => Math.ceil(before / ms) * ms - ms,
    nextRuns(after, count) {
      const out: number[] = [];
      for (let t = this.next(after)!; out.length < count; t += ms) out.push(t);
      return out;
    },
    describe: () => `every ${ms / 1000} seconds`,
  };
}

/** A fixed list of slots. */
export function slots(times: Array<string | number>, kind: 'cron' | 'once' = 'cron'): EngineSchedule {
  const list = times.map((t) => new Date(t).getTime()).sort((a, b) => a - b);
  return {
    kind, source: list.map((t) => new Date(t).toISOString()).join(','), at: kind === 'once' ? list[0] : undefined,
    next: (after) => list.find((t) => t > after),
    previous: (before) => [...list].reverse().find((t) => t < before),
    nextRuns: (after, count) => list.filter((t) => t > after).slice(0, count),
    describe: () => `at ${list.length} times`,
  };
}

export function onceAt(time: string): EngineSchedule {
  return slots([time], 'once');
}

export function nowSchedule(): EngineSchedule {
  return { kind: 'now', source: 'now', next: () => undefined, previous: () => undefined, nextRuns: () => [], describe: () => 'once, as soon as loaded' };
}

export function manualSchedule(): EngineSchedule {
  return { kind: 'manual', source: 'manual', next: () => undefined, previous: () => undefined, nextRuns: () => [], describe: () => 'only when run by hand' };
}
