// Daylight saving time as a person reads it: the changes of a zone (when, from which wall time to which),
// and the runs of a schedule that fall in a spring-forward gap or a repeated autumn hour. Computed from the
// zone tables (schedule/zone.ts) and the rule's sets (schedule/matcher.ts), never by walking every run.
import { cronMatcher } from '../schedule/matcher';
import { CronSchedule, UnionSchedule, type Schedule } from '../schedule/schedule';
import { nextTransition, offsetAt } from '../schedule/zone';

const DAY = 86_400_000;

export interface ZoneChange {
  /** The instant the offset changes. */
  at: number;
  offsetBefore: number;
  offsetAfter: number;
  /** Wall times (floating ms) the clocks show just before and right after: 02:00 → 03:00. */
  wallBefore: number;
  wallAfter: number;
  /** Clocks go forward (a gap) or back (an hour repeats). */
  forward: boolean;
}

/** The zone's offset changes in (from, until]. */
export function zoneChanges(zone: string, from: number, until: number): ZoneChange[] {
  const out: ZoneChange[] = [];
  for (let t = nextTransition(zone, from, until); t !== undefined; t = nextTransition(zone, t, until)) {
    const offsetBefore = offsetAt(zone, t - 1);
    const offsetAfter = offsetAt(zone, t);
    out.push({ at: t, offsetBefore, offsetAfter, wallBefore: t + offsetBefore, wallAfter: t + offsetAfter, forward: offsetAfter > offsetBefore });
  }
  return out;
}

export interface DstEffect {
  kind: 'gap' | 'repeat';
  change: ZoneChange;
  /** The first wall time of the schedule inside the gap or the repeated hour (floating ms). */
  wall: number;
  /** When that run happens: the end of the gap, or the first pass of the repeated hour. */
  firesAt: number;
  zone: string;
}

/**
 * Runs pinned to wall times that a change of the zone skips (spring) or shows twice (autumn), in
 * (from, until]. Schedules that run every hour are not pinned: both passes of a repeated hour are real
 * hours for them, and a skipped hour is simply not there (timeline.ts documents the rules).
 */
export function dstEffects(schedule: Schedule, from: number, until: number, changesOf = zoneChanges): DstEffect[] {
  const parts = schedule instanceof UnionSchedule ? schedule.parts : [schedule];
  const out: DstEffect[] = [];
  for (const part of parts) {
    if (!(part instanceof CronSchedule) || part.rule.everyHour) continue;
    for (const change of changesOf(part.zone, from, until)) {
      const [lo, hi] = change.forward ? [change.wallBefore, change.wallAfter] : [change.wallAfter, change.wallBefore];
      const wall = firstMatch(part, lo, hi);
      if (wall === undefined) continue;
      const firesAt = change.forward ? change.at : wall - change.offsetBefore;
      out.push({ kind: change.forward ? 'gap' : 'repeat', change, wall, firesAt, zone: part.zone });
    }
  }
  return out.sort((a, b) => a.change.at - b.change.at);
}

/** The first wall time in [lo, hi) the rule fires at, or undefined. */
export function firstMatch(part: CronSchedule, lo: number, hi: number): number | undefined {
  const m = cronMatcher(part.rule);
  const times = m.times();
  for (let day = Math.floor(lo / DAY) * DAY; day < hi; day += DAY) {
    if (!m.matchesWallDay(day)) continue;
    const from = Math.max(0, Math.ceil((lo - day) / 1000));
    const to = Math.min(86_400, Math.ceil((hi - day) / 1000));
    const i = lowerBound(times, from);
    if (i < times.length && times[i] < to) return day + times[i] * 1000;
  }
  return undefined;
}

/** Index of the first value ≥ x in an ascending array. */
export function lowerBound(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
