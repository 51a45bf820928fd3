// Herds: many tasks due in the same second. Every second of the coming month gets a count of the tasks
// due then, from each rule's sets (matcher.ts) and its zone's offset per day — no run is computed one by
// one, which for a thousand tasks would take seconds. Tasks that run more often than once a minute are not
// counted: they are due in every herd, which would then say nothing.
import { cronMatcher } from '../schedule/matcher';
import { CronSchedule, OnceSchedule, UnionSchedule, type Schedule } from '../schedule/schedule';
import { instantOfWall, offsetAt, wallOf } from '../schedule/zone';
import { lowerBound } from './dst';

const DAY = 86_400_000;

/** A month: monthly schedules (`monthly`, `@monthly`: the 1st at 00:00) herd once a month. */
export const HERD_HORIZON_DAYS = 31;
/**
 * Five runs starting in one second is more than twice the default concurrency (2) waiting at once: a
 * queue that delays them all, and a load spike on whatever they share.
 */
export const HERD_MIN_TASKS = 5;
/** More often than once a minute: part of every herd (see above). */
const MAX_TIMES_PER_DAY = 1440;

export interface HerdTask {
  id: string;
  schedule: Schedule;
}

export interface Herd {
  /** The first second in the horizon when this task is due with HERD_MIN_TASKS - 1 others or more. */
  at: number;
  /** The tasks due then, this one included, sorted. */
  members: string[];
  /** How many seconds in the horizon this task shares with such a crowd. */
  times: number;
}

/** Per task id, its herd in [from, from + HERD_HORIZON_DAYS), if it is in one. */
export function findHerds(tasks: readonly HerdTask[], from: number, minTasks = HERD_MIN_TASKS): Map<string, Herd> {
  const start = Math.ceil(from / 1000) * 1000 + 1000; // strictly after `from`, on a whole second
  const seconds = HERD_HORIZON_DAYS * 86_400;
  const counts = new Uint16Array(seconds);
  const offsets = new ZoneDays();
  const runsOf = tasks.map((t) => counted(t.schedule));
  // Pass 1: count. Pass 2: each task's first crowded second and how many it has.
  runsOf.forEach((parts) => visit(parts, offsets, start, seconds, (i) => { if (counts[i] < 65_535) counts[i]++; }));
  const firsts = new Map<string, { index: number; times: number }>();
  runsOf.forEach((parts, t) => {
    let first = -1;
    let times = 0;
    visit(parts, offsets, start, seconds, (i) => {
      if (counts[i] < minTasks) return;
      times++;
      if (first < 0 || i < first) first = i;
    });
    if (first >= 0) firsts.set(tasks[t].id, { index: first, times });
  });
  // Who is due at each first crowded second (few distinct seconds): a membership test per task.
  const members = new Map<number, string[]>();
  for (const { index } of firsts.values()) {
    if (members.has(index)) continue;
    const at = start + index * 1000;
    members.set(index, tasks.filter((t, k) => dueAt(runsOf[k], at, offsets)).map((t) => t.id).sort());
  }
  const out = new Map<string, Herd>();
  for (const [id, { index, times }] of firsts) out.set(id, { at: start + index * 1000, members: members.get(index)!, times });
  return out;
}

type Counted = CronSchedule | OnceSchedule;

/** The parts of a schedule that count: cron parts at most once a minute, and one-time runs. */
function counted(schedule: Schedule): Counted[] {
  const parts = schedule instanceof UnionSchedule ? schedule.parts : [schedule];
  return parts.filter((p): p is Counted =>
    (p instanceof CronSchedule && cronMatcher(p.rule).timesPerDay <= MAX_TIMES_PER_DAY) || p instanceof OnceSchedule);
}

/** Calls `hit` with the index (seconds from `start`) of each run in the horizon; a second at most once per task. */
function visit(parts: Counted[], offsets: ZoneDays, start: number, seconds: number, hit: (index: number) => void): void {
  const end = start + seconds * 1000;
  let seen: Set<number> | undefined;
  const once = (index: number) => {
    if (parts.length > 1) {
      // Two parts of one schedule due in the same second are one run.
      seen ??= new Set();
      if (seen.has(index)) return;
      seen.add(index);
    }
    hit(index);
  };
  for (const part of parts) {
    if (part instanceof OnceSchedule) {
      if (part.at >= start && part.at < end && part.at % 1000 === 0) once((part.at - start) / 1000);
      continue;
    }
    const m = cronMatcher(part.rule);
    const times = m.times();
    const zone = part.zone;
    const firstWall = Math.floor(wallOf(zone, start) / DAY) * DAY - DAY;
    const lastWall = wallOf(zone, end) + DAY;
    for (let day = firstWall; day <= lastWall; day += DAY) {
      const d = new Date(day);
      if (!m.matchesDay(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())) continue;
      const offset = offsets.offset(zone, day);
      let last = -1;
      for (let k = 0; k < times.length; k++) {
        const wall = day + times[k] * 1000;
        // On the day of a change the offset is not one number: map each wall time as the engine does.
        const at = offset === undefined ? instantOfWall(zone, wall) : wall - offset;
        if (at < start || at >= end) continue;
        const index = (at - start) / 1000;
        if (index === last) continue; // times in a spring gap collapse into one run
        last = index;
        once(index);
      }
    }
  }
}

/** Whether one of the parts is due at instant `at`. */
function dueAt(parts: Counted[], at: number, offsets: ZoneDays): boolean {
  return parts.some((part) => {
    if (part instanceof OnceSchedule) return part.at === at;
    const wall = wallOf(part.zone, at);
    const day = Math.floor(wall / DAY) * DAY;
    // On the day of a change a run may have moved (a gap's times fire at its end): ask the schedule.
    if (offsets.offset(part.zone, day) === undefined) return part.next(at - 1) === at;
    const m = cronMatcher(part.rule);
    const d = new Date(day);
    if (!m.matchesDay(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())) return false;
    const times = m.times();
    const i = lowerBound(times, (wall - day) / 1000);
    return i < times.length && times[i] === (wall - day) / 1000;
  });
}

/** Each zone's offset per wall day over the horizon; undefined on a day the offset changes. */
class ZoneDays {
  private readonly byZone = new Map<string, Map<number, number | undefined>>();

  offset(zone: string, wallDay: number): number | undefined {
    let days = this.byZone.get(zone);
    if (!days) { days = new Map(); this.byZone.set(zone, days); }
    if (days.has(wallDay)) return days.get(wallDay);
    const early = offsetAt(zone, wallDay - offsetAt(zone, wallDay) - 2 * 3_600_000);
    const late = offsetAt(zone, wallDay + DAY - early + 2 * 3_600_000);
    const value = early === late ? early : undefined;
    days.set(wallDay, value);
    return value;
  }
}
