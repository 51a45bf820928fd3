// A cron rule as sets: which seconds of a day it fires at, and whether it fires on a given date. Asking
// croner for each run costs ~7 µs; a workspace-wide check (herds over a month, DST days over a year)
// needs millions of answers, which sets give for the price of an array read. Same semantics as
// evaluation (wallclock.ts): day-of-month OR day-of-week when both are restricted (AND with `+`),
// `L`, `nW`/`LW`, `n#k`/`n#L`, the year field. Tested against croner (test/unit/schedule-matcher.test.ts).

import type { CronRule } from './cron';
import { nearestWeekday, nextAllowedYear } from './wallclock';

export interface CronMatcher {
  /** How many times a day the rule fires on a day it matches (seconds × minutes × hours). */
  readonly timesPerDay: number;
  /** It fires every day of every month and year (no day, month or year restricted). */
  readonly everyDay: boolean;
  /** Seconds of the day (0-86399) it fires at, ascending; built on first use. */
  times(): Int32Array;
  /** Whether the rule fires on this calendar date (month 0-based), in the rule's own wall time. */
  matchesDay(year: number, month: number, day: number): boolean;
  /** The same for a wall day given as floating ms at its midnight (no Date is made: checks run by the million). */
  matchesWallDay(dayMs: number): boolean;
}

const DAY = 86_400_000;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  return month === 1 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : MONTH_DAYS[month];
}

/** Year, month (0-based) and day of a day number since 1970-01-01 (the proleptic Gregorian calendar, Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 2 : mp - 10;
  return [yoe + era * 400 + (month < 2 ? 1 : 0), month, day];
}

/**
 * One matcher per rule object, for as long as the rule lives (a schedule holds its rule): a workspace
 * check asks about the same thousand rules again and again, more than a shared cache of patterns holds.
 */
const matchers = new WeakMap<CronRule, CronMatcher>();

/** Times lists longer than this (more than once a minute) are built on each call rather than kept. */
const KEEP_TIMES = 1440;

export function cronMatcher(rule: CronRule): CronMatcher {
  let m = matchers.get(rule);
  if (!m) { m = build(rule); matchers.set(rule, m); }
  return m;
}

interface NthWeekday { weekday: number; nth: number | 'L' }

function build(rule: CronRule): CronMatcher {
  const [second, minute, hour, dom, month, dow] = rule.croner.split(' ');
  const seconds = numbers(second, 0, 59);
  const minutes = numbers(minute, 0, 59);
  const hours = numbers(hour, 0, 23);
  const months = numbers(month, 1, 12);
  const domStar = dom === '*';
  const dowStar = dow === '*';
  const domLast = dom.split(',').includes('L');
  const domDays = numbers(dom.split(',').filter((i) => i !== 'L').join(',') || '-', 1, 31);
  const plainDow = new Array<boolean>(7).fill(false);
  const nths: NthWeekday[] = [];
  for (const item of dow.split(',')) {
    const hash = item.indexOf('#');
    const base = hash < 0 ? item : item.slice(0, hash);
    const set = numbers(base, 0, 7);
    for (let v = 0; v <= 7; v++) {
      if (!set[v]) continue;
      if (hash < 0) plainDow[v % 7] = true;
      else nths.push({ weekday: v % 7, nth: item.slice(hash + 1) === 'L' ? 'L' : Number(item.slice(hash + 1)) });
    }
  }
  const count = (set: boolean[]) => set.filter(Boolean).length;
  const timesPerDay = count(seconds) * count(minutes) * count(hours);
  let cachedTimes: Int32Array | undefined;

  const domMatches = (year: number, m: number, day: number, monthDays: number): boolean => {
    if (rule.nearestWeekday !== undefined) return nearestWeekday(year, m, rule.nearestWeekday) === day;
    return domDays[day] || (domLast && day === monthDays);
  };
  const dowMatches = (year: number, m: number, day: number, monthDays: number): boolean => {
    const weekday = (((Date.UTC(year, m, day) / DAY + 4) % 7) + 7) % 7;
    if (plainDow[weekday]) return true;
    return nths.some((n) => n.weekday === weekday && (n.nth === 'L' ? day > monthDays - 7 : Math.ceil(day / 7) === n.nth));
  };

  return {
    timesPerDay,
    everyDay: domStar && dowStar && rule.nearestWeekday === undefined && !rule.years && months.slice(1).every(Boolean),
    times() {
      if (cachedTimes) return cachedTimes;
      const times = new Int32Array(timesPerDay);
      let i = 0;
      for (let h = 0; h < 24; h++) {
        if (!hours[h]) continue;
        for (let mi = 0; mi < 60; mi++) {
          if (!minutes[mi]) continue;
          for (let s = 0; s < 60; s++) if (seconds[s]) times[i++] = h * 3600 + mi * 60 + s;
        }
      }
      if (timesPerDay <= KEEP_TIMES) cachedTimes = times;
      return times;
    },
    matchesWallDay(dayMs) {
      const [year, m, day] = civilFromDays(Math.floor(dayMs / DAY));
      return this.matchesDay(year, m, day);
    },
    matchesDay(year, m, day) {
      if (!months[m + 1]) return false;
      if (rule.years && nextAllowedYear(rule.years, year) !== year) return false;
      const monthDays = daysIn(year, m);
      if (day > monthDays) return false;
      if (domStar && dowStar) return true;
      if (domStar) return dowMatches(year, m, day, monthDays);
      if (dowStar) return domMatches(year, m, day, monthDays);
      return rule.legacyMode
        ? domMatches(year, m, day, monthDays) || dowMatches(year, m, day, monthDays)
        : domMatches(year, m, day, monthDays) && dowMatches(year, m, day, monthDays);
    },
  };
}

/**
 * One field of the normalised pattern (cron.ts writes it: `*`, `n`, `a-b`, with `/step`, comma lists)
 * as a bitmap indexed by value. `-` alone (an empty list) matches nothing.
 */
function numbers(field: string, min: number, max: number): boolean[] {
  const set = new Array<boolean>(max + 1).fill(false);
  if (field === '-') return set;
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number;
    let to: number;
    if (range === '*') { from = min; to = max === 7 ? 6 : max; } else if (range.includes('-')) {
      [from, to] = range.split('-').map(Number);
    } else {
      from = Number(range);
      // `5/15`: from 5 to the end of the field, every 15 (croner, Quartz).
      to = stepText === undefined ? from : (max === 7 ? 6 : max);
    }
    for (let v = from; v <= to; v += step) set[v] = true;
  }
  return set;
}
