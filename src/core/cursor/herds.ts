// Herds: many tasks due in the same second. Every second of the coming month gets a count of the tasks
// due then, from each rule's sets (matcher.ts) and its zone's offsets — no run is computed one by one,
// which for a thousand tasks takes seconds. Tasks due every day at the same times ("every 5 minutes",
// "daily at 09:00") are counted once into a one-day profile per stretch of days with the same offsets;
// the others are counted run by run. Tasks due more often than once a minute are not counted: they are
// due in every herd, which would then say nothing.
import { cronMatcher, type CronMatcher } from '../schedule/matcher';
import { CronSchedule, OnceSchedule, UnionSchedule, type Schedule } from '../schedule/schedule';
import { instantOfWall, offsetAt, wallOf } from '../schedule/zone';

const DAY = 86_400_000;
const DAY_S = 86_400;

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
}

type Counted = CronSchedule | OnceSchedule;
interface Daily { part: CronSchedule; m: CronMatcher; times: Int32Array }
/** Consecutive days (from `start`) on which every daily task's zone keeps one offset; `mixed` = a day a zone changes. */
interface Segment { first: number; last: number; mixed: boolean; offsets: Map<string, number>; profile: Uint16Array; firstHit?: Int32Array }

/** Per task id, its herd in (from, from + HERD_HORIZON_DAYS], if it is in one. */
export function findHerds(tasks: readonly HerdTask[], from: number, minTasks = HERD_MIN_TASKS): Map<string, Herd> {
  const start = Math.ceil(from / 1000) * 1000 + 1000; // strictly after `from`, on a whole second
  const seconds = HERD_HORIZON_DAYS * DAY_S;
  const steady = new SteadyOffsets();
  const daily = new Map<number, Daily>();
  const sparse = new Map<number, Counted[]>();
  tasks.forEach((t, k) => {
    const parts = counted(t.schedule);
    const only = parts.length === 1 ? parts[0] : undefined;
    const m = only instanceof CronSchedule ? cronMatcher(only.rule) : undefined;
    if (only instanceof CronSchedule && m?.everyDay) daily.set(k, { part: only, m, times: m.times() });
    else if (parts.length) sparse.set(k, parts);
  });
  // Runs of the other tasks, by second from `start`: a map, since most seconds have none.
  // Each task's runs are computed once and kept (seconds from `start`) for the passes below.
  const counts = new Map<number, number>();
  const runsOf = new Map<number, number[]>();
  for (const [k, parts] of sparse) {
    const runs: number[] = [];
    visit(parts, steady, start, seconds, (i) => { runs.push(i); counts.set(i, (counts.get(i) ?? 0) + 1); });
    if (parts.length > 1) runs.sort((a, b) => a - b); // each part's runs come in order, not the parts'
    runsOf.set(k, runs);
  }
  const segments = segmentsOf([...daily.values()], start);
  for (const seg of segments) fillProfile(seg, [...daily.values()], start, steady);
  const total = (i: number): number => (counts.get(i) ?? 0) + segmentOf(segments, Math.floor(i / DAY_S)).profile[i % DAY_S];

  // Each task's first crowded second.
  const firsts = new Map<number, number>();
  for (const [k, runs] of runsOf) {
    const first = runs.find((i) => total(i) >= minTasks);
    if (first !== undefined) firsts.set(k, first);
  }
  for (const [k, d] of daily) {
    const first = firstDailyHit(d, segments, start, steady, counts, total, minTasks);
    if (first >= 0) firsts.set(k, first);
  }
  // Who is due at each of those seconds (few distinct ones).
  const members = new Map<number, string[]>();
  for (const i of firsts.values()) members.set(i, []);
  for (const [k, runs] of runsOf) for (const i of runs) members.get(i)?.push(tasks[k].id);
  for (const seg of segments) {
    // The seconds of the day asked about in this segment, and the days they fall on.
    const wanted = new Map<number, number[]>();
    for (const i of members.keys()) {
      const day = Math.floor(i / DAY_S);
      if (day < seg.first || day > seg.last) continue;
      const days = wanted.get(i % DAY_S) ?? [];
      days.push(day);
      wanted.set(i % DAY_S, days);
    }
    if (!wanted.size) continue;
    for (const [k, d] of daily) {
      dailyIndices(d, seg, start, steady, (j, day) => {
        for (const wantedDay of wanted.get(j) ?? []) if (day === undefined || day === wantedDay) members.get(wantedDay * DAY_S + j)!.push(tasks[k].id);
      });
    }
  }
  for (const list of members.values()) list.sort();
  const out = new Map<string, Herd>();
  for (const [k, i] of firsts) out.set(tasks[k].id, { at: start + i * 1000, members: members.get(i)! });
  return out;
}

/** The parts of a schedule that count: cron parts at most once a minute, and one-time runs. */
function counted(schedule: Schedule): Counted[] {
  const parts = schedule instanceof UnionSchedule ? schedule.parts : [schedule];
  return parts.filter((p): p is Counted =>
    (p instanceof CronSchedule && cronMatcher(p.rule).timesPerDay <= MAX_TIMES_PER_DAY) || p instanceof OnceSchedule);
}

/** Calls `hit` with the index (seconds from `start`) of each run in the horizon; a second at most once per task. */
function visit(parts: Counted[], steady: SteadyOffsets, start: number, seconds: number, hit: (index: number) => void): void {
  const end = start + seconds * 1000;
  const seen = parts.length > 1 ? new Set<number>() : undefined; // two parts due in one second are one run
  const once = (index: number) => {
    if (seen) { if (seen.has(index)) return; seen.add(index); }
    hit(index);
  };
  for (const part of parts) {
    if (part instanceof OnceSchedule) {
      if (part.at >= start && part.at < end && part.at % 1000 === 0) once((part.at - start) / 1000);
      continue;
    }
    runsOfPart(part, steady, start, end, (at) => once((at - start) / 1000));
  }
}

/** Each run of a cron part in [from, to), in order, mapped from wall time as the engine maps it. */
function runsOfPart(part: CronSchedule, steady: SteadyOffsets, from: number, to: number, hit: (at: number) => void): void {
  const m = cronMatcher(part.rule);
  const times = m.times();
  const zone = part.zone;
  for (let day = Math.floor(wallOf(zone, from) / DAY) * DAY - DAY; day <= wallOf(zone, to) + DAY; day += DAY) {
    if (!m.matchesWallDay(day)) continue;
    const offset = steady.get(zone, day);
    let last = NaN;
    for (let k = 0; k < times.length; k++) {
      const wall = day + times[k] * 1000;
      // On the day of a change the offset is not one number: map each wall time as the engine does.
      const at = offset === undefined ? instantOfWall(zone, wall) : wall - offset;
      if (at < from || at >= to || at === last) continue; // times in a spring gap collapse into one run
      last = at;
      hit(at);
    }
  }
}

/** Each zone's offset per wall day, for one check: every task in a zone asks about the same days. */
class SteadyOffsets {
  private readonly byZone = new Map<string, Map<number, number | undefined>>();

  /** The zone's offset over a whole wall day (with two hours either side), or undefined when it changes then. */
  get(zone: string, wallDay: number): number | undefined {
    let days = this.byZone.get(zone);
    if (!days) { days = new Map(); this.byZone.set(zone, days); }
    if (days.has(wallDay)) return days.get(wallDay);
    const early = offsetAt(zone, wallDay - offsetAt(zone, wallDay) - 2 * 3_600_000);
    const late = offsetAt(zone, wallDay + DAY - early + 2 * 3_600_000);
    const offset = early === late ? early : undefined;
    days.set(wallDay, offset);
    return offset;
  }
}

function segmentsOf(daily: Daily[], start: number): Segment[] {
  const zones = [...new Set(daily.map((d) => d.part.zone))];
  const segments: Segment[] = [];
  for (let day = 0; day < HERD_HORIZON_DAYS; day++) {
    const from = start + day * DAY;
    const offsets = new Map<string, number>();
    let mixed = false;
    for (const zone of zones) {
      const a = offsetAt(zone, from);
      if (a !== offsetAt(zone, from + DAY - 1) || a !== offsetAt(zone, from + DAY / 2)) mixed = true;
      offsets.set(zone, a);
    }
    const prev = segments[segments.length - 1];
    if (prev && !prev.mixed && !mixed && zones.every((z) => prev.offsets.get(z) === offsets.get(z))) prev.last = day;
    else segments.push({ first: day, last: day, mixed, offsets, profile: new Uint16Array(DAY_S) });
  }
  return segments;
}

function segmentOf(segments: Segment[], day: number): Segment {
  for (const s of segments) if (day <= s.last) return s;
  return segments[segments.length - 1];
}

/** Index within the day (seconds from the day's start at `start + k·DAY`) of a wall second-of-day at a fixed offset. */
function dayIndex(wallSecond: number, offset: number, start: number): number {
  const j = (wallSecond * 1000 - offset - start) % DAY;
  return (j < 0 ? j + DAY : j) / 1000;
}

/** The daily tasks' count per second of a day of this segment. */
function fillProfile(seg: Segment, daily: Daily[], start: number, steady: SteadyOffsets): void {
  for (const d of daily) {
    if (seg.mixed) {
      const from = start + seg.first * DAY;
      runsOfPart(d.part, steady, from, from + DAY, (at) => { seg.profile[(at - from) / 1000]++; });
      continue;
    }
    const offset = seg.offsets.get(d.part.zone)!;
    for (let k = 0; k < d.times.length; k++) seg.profile[dayIndex(d.times[k], offset, start)]++;
  }
}

/** A daily task's first crowded second: the earliest segment where one of its seconds is crowded. */
function firstDailyHit(d: Daily, segments: Segment[], start: number, steady: SteadyOffsets, counts: Map<number, number>, total: (i: number) => number, minTasks: number): number {
  for (const seg of segments) {
    let best = -1;
    if (seg.mixed) {
      const from = start + seg.first * DAY;
      runsOfPart(d.part, steady, from, from + DAY, (at) => {
        const i = (at - start) / 1000;
        if (best < 0 && total(i) >= minTasks) best = i;
      });
    } else {
      seg.firstHit ??= firstHits(seg, counts, minTasks);
      const offset = seg.offsets.get(d.part.zone)!;
      for (let k = 0; k < d.times.length; k++) {
        const j = dayIndex(d.times[k], offset, start);
        const day = seg.firstHit[j];
        if (day >= 0 && (best < 0 || day * DAY_S + j < best)) best = day * DAY_S + j;
      }
    }
    if (best >= 0) return best;
  }
  return -1;
}

/**
 * Per second of the day, the first day of the segment it is crowded on (-1: never): every day where the
 * daily tasks alone are enough, else the first day the other tasks' runs make up the difference.
 */
function firstHits(seg: Segment, counts: Map<number, number>, minTasks: number): Int32Array {
  const first = new Int32Array(DAY_S).fill(-1);
  const profile = seg.profile;
  for (let j = 0; j < DAY_S; j++) if (profile[j] >= minTasks) first[j] = seg.first;
  const from = seg.first * DAY_S;
  const to = (seg.last + 1) * DAY_S;
  for (const [i, c] of counts) {
    if (i < from || i >= to) continue;
    const j = i % DAY_S;
    const day = (i - j) / DAY_S;
    if (profile[j] + c >= minTasks && (first[j] < 0 || day < first[j])) first[j] = day;
  }
  return first;
}

/** Each second of the day (and, on a mixed day, that day) a daily task is due in a segment. */
function dailyIndices(d: Daily, seg: Segment, start: number, steady: SteadyOffsets, hit: (j: number, day?: number) => void): void {
  if (seg.mixed) {
    const from = start + seg.first * DAY;
    runsOfPart(d.part, steady, from, from + DAY, (at) => hit((at - from) / 1000, seg.first));
    return;
  }
  const offset = seg.offsets.get(d.part.zone)!;
  for (let k = 0; k < d.times.length; k++) hit(dayIndex(d.times[k], offset, start));
}
