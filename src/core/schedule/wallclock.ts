// Wall-clock evaluation of a cron rule. croner does the calendar arithmetic on "floating" wall time
// (epoch ms read back with getUTC*, croner's `utcOffset: 0` mode, which is plain arithmetic and ~50x
// faster than its Intl-based zone mode); the year field and `W` are filters over croner's candidates;
// time zones and DST are handled above this, in timeline.ts.

import { Cron } from 'croner';
import type { CronRule } from './cron';
import { Lru } from './lru';

/**
 * croner instances shared by every schedule with the same pattern and mode. One instance is ~2 KB;
 * keeping one per schedule would grow with the number of tasks, this stays ≤ ~0.5 MB. A miss costs
 * ~15 µs to rebuild.
 */
const crons = new Lru<string, Cron>(256);

/** The shared croner instance for a 6-field pattern; throws what croner throws for a bad pattern. */
export function cronFor(pattern: string, legacyMode: boolean): Cron {
  return crons.getOrCreate(`${legacyMode ? 'or' : 'and'} ${pattern}`, () => new Cron(pattern, { utcOffset: 0, legacyMode }));
}

/** Bounds the filter loop: a W filter rejects ≤ 4 candidate days a month, a year filter jumps a year at a time. */
const MAX_FILTER_STEPS = 10_000;

/** First wall time matching the rule after `wall` (or at it, when inclusive); undefined if none before year 3000. */
export function wallNext(rule: CronRule, wall: number, inclusive = false): number | undefined {
  const cron = cronFor(rule.croner, rule.legacyMode);
  // croner returns the first whole second strictly after its (ms-stripped) argument.
  let from = inclusive ? wall - 1 : wall;
  for (let step = 0; step < MAX_FILTER_STEPS; step++) {
    const found = cron.nextRun(new Date(from));
    if (!found) return undefined;
    const t = found.getTime();
    const year = found.getUTCFullYear();
    if (rule.years) {
      const allowed = nextAllowedYear(rule.years, year);
      if (allowed === undefined) return undefined;
      if (allowed !== year) { from = Date.UTC(allowed, 0, 1) - 1; continue; }
    }
    if (rule.nearestWeekday !== undefined) {
      const month = found.getUTCMonth();
      const day = found.getUTCDate();
      if (nearestWeekday(year, month, rule.nearestWeekday) !== day) { from = Date.UTC(year, month, day + 1) - 1; continue; }
    }
    return t;
  }
  return undefined;
}

/** The first year ≥ `year` the year field allows. */
export function nextAllowedYear(ranges: ReadonlyArray<readonly [number, number, number]>, year: number): number | undefined {
  let best: number | undefined;
  for (const [from, to, step] of ranges) {
    const value = year <= from ? from : from + Math.ceil((year - from) / step) * step;
    if (value <= to && (best === undefined || value < best)) best = value;
  }
  return best;
}

/**
 * Day of the month a `W` fires on (month 0-based): the weekday nearest day `n` without leaving the
 * month (a Saturday 1st → Monday 3rd, a Sunday 31st → Friday 29th); n = 0 is `LW`, the last weekday.
 * Undefined when the month has no day n.
 */
export function nearestWeekday(year: number, month: number, n: number): number | undefined {
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = n === 0 ? days : n;
  if (day > days) return undefined;
  const weekday = new Date(Date.UTC(year, month, day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === days ? day - 2 : day + 1;
  return day;
}
