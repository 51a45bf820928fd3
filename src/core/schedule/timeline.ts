// Fire times of a cron rule in a time zone: wall-clock matches (wallclock.ts) mapped to real instants
// with these DST rules, the same in every zone:
//   - Spring forward: a wall time inside the gap (02:30 when clocks jump 02:00 → 03:00) fires at the
//     first instant after the gap (03:00 local), once — several slots in the gap collapse into it.
//   - Fall back: a wall time inside the repeated hour fires once, at its first occurrence, unless the
//     schedule runs every hour (hour field `*`): then both passes are real hours and each gets its runs
//     (hourly fires at 01:00 EDT and at 01:00 EST). This is Vixie cron's rule for fixed vs wildcard jobs.
// croner 9 has a zone mode, but it shifts gap times by the gap (02:30 → 03:30) and resolves the
// repeated hour differently by zone (first pass in New York, second in Berlin), so we do not use it.

import type { CronRule } from './cron';
import { wallNext } from './wallclock';
import { lastTransition, nextTransition, offsetAt } from './zone';

/** More than any offset change in the tz database (2 h), so a repeated hour is always seen. */
const MAX_SHIFT = 3 * 3_600_000;
/** Each step crosses one offset change; two a year for ~1,000 years. */
const MAX_STEPS = 4096;
/** `previous` looks back no further than 1970 (year field minimum). */
const EPOCH = 0;
/**
 * A first match further ahead than FAR is approached by jumping to NEAR before it: only offset changes
 * within hours of a match can move or repeat it, and walking every change (and computing every year's
 * changes) on the way took seconds for a schedule years away ("0 0 29 2 +1", a year field of 2999).
 * NEAR exceeds any offset difference (−12 h to +14 h) plus MAX_SHIFT, so the jump lands before the match.
 */
const FAR = 7 * 86_400_000;
const NEAR = 3 * 86_400_000;

/**
 * First fire time strictly after `after` and not later than `until`; undefined if there is none in
 * that range. Bounding by `until` keeps `previous` from walking DST changes out to far-future runs.
 */
export function nextFire(rule: CronRule, zone: string, after: number, until = Infinity): number | undefined {
  let t = after;
  let inclusive = false;
  for (let step = 0; step < MAX_STEPS; step++) {
    const offset = offsetAt(zone, t);
    let wall = wallNext(rule, t + offset, inclusive);
    if (wall === undefined) return undefined;
    if (!rule.everyHour) {
      // Are we inside the second pass of a repeated hour? Its wall times already fired in the first pass.
      const change = lastTransition(zone, t, t - MAX_SHIFT);
      if (change && change.offsetBefore > offset && wall < change.at + change.offsetBefore) {
        wall = wallNext(rule, change.at + change.offsetBefore, true);
        if (wall === undefined) return undefined;
      }
    }
    const candidate = wall - offset;
    if (candidate - t > FAR) {
      // Nothing matches between here and `wall`, so nothing fires before the jump's landing point.
      if (candidate - NEAR >= until) return undefined;
      t = candidate - NEAR;
      inclusive = false;
      continue;
    }
    const change = nextTransition(zone, t, Math.min(candidate, until));
    if (change === undefined) return candidate <= until ? candidate : undefined;
    const offsetAfter = offsetAt(zone, change);
    // The clock jumped forward over `wall`: fire at the first instant after the gap.
    if (offsetAfter > offset && wall < change + offsetAfter) return change;
    // Otherwise continue from the change with the new offset (a repeated hour starts here).
    t = change;
    inclusive = true;
  }
  return undefined;
}

/**
 * Last fire time strictly before `before`, for any schedule given its bounded `next`: find some run in
 * a window doubling back from `before`, then bisect towards `before` (O(log) calls to `next`).
 */
export function previousFire(next: (after: number, until: number) => number | undefined, before: number): number | undefined {
  let lo: number | undefined;
  for (let span = 1000; lo === undefined; span *= 2) {
    lo = next(before - span - 1, before - 1);
    if (lo === undefined && before - span < EPOCH) return undefined;
  }
  let hi = before; // invariant: no run in [hi, before); lo is a run before hi
  for (let step = 0; step < 256; step++) {
    const following = next(lo, hi - 1);
    if (following === undefined) return lo;
    lo = following;
    const mid = lo + Math.floor((hi - lo) / 2);
    if (mid <= lo) continue;
    const later = next(mid, hi - 1);
    if (later !== undefined) lo = later; else hi = mid + 1;
  }
  return lo;
}
