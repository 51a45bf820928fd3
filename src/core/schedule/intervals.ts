// "every N seconds|minutes|hours", aligned to the clock: shared by the phrases ("every 5 minutes") and
// the structured form ({ every: 5, unit: minutes }). The decisions are at the top of phrases.ts.
import type { Phrase } from './phrases';
import { clock } from './time-text';

export type IntervalUnit = 'second' | 'minute' | 'hour';
const NEXT_UNIT: Record<IntervalUnit, { size: number; name: string; divisors: string }> = {
  second: { size: 60, name: 'minute', divisors: '1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30' },
  minute: { size: 60, name: 'hour', divisors: '1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30' },
  hour: { size: 24, name: 'day', divisors: '1, 2, 3, 4, 6, 8 or 12' },
};

/**
 * "every N units", aligned to the clock; or, when N cannot stay aligned, what is wrong (a sentence
 * to follow the offending text, e.g. `"every 7 minutes" at column 7 <problem>`).
 */
export function everyInterval(n: number, unit: IntervalUnit, minuteOfHour = 0): Phrase | { problem: string; expected: string } {
  const next = NEXT_UNIT[unit];
  const expected = `an interval that divides the ${next.name} evenly: ${next.divisors} ${unit}s`;
  if (!Number.isInteger(n) || n < 1) return { problem: `must be a whole number of ${unit}s, 1 or more`, expected };
  if (unit !== 'hour' && n % 60 === 0) return everyInterval(n / 60, unit === 'second' ? 'minute' : 'hour', minuteOfHour);
  if (unit === 'hour' && n % 24 === 0) {
    if (n === 24) return { expression: `${minuteOfHour} 0 * * *`, description: `Daily at ${clock(0, minuteOfHour)}` };
    return { problem: `cannot stay aligned to the calendar; use "daily", a weekly or monthly phrase, or a cron expression like "0 0 */${n / 24} * *"`, expected };
  }
  if (next.size % n !== 0) {
    const cron = unit === 'second' ? `*/${n} * * * * *` : unit === 'minute' ? `*/${n} * * * *` : `0 */${n} * * *`;
    return {
      problem: `does not divide the ${next.name} evenly, so its runs cannot stay on clock boundaries; `
        + `use ${next.divisors} ${unit}s, or the cron expression "${cron}" if restarting the count at each ${next.name} is what you want`,
      expected,
    };
  }
  const plural = n === 1 ? `Every ${unit}` : `Every ${n} ${unit}s`;
  if (unit === 'second') return { expression: n === 1 ? '* * * * * *' : `*/${n} * * * * *`, description: plural };
  if (unit === 'minute') return { expression: n === 1 ? '* * * * *' : `*/${n} * * * *`, description: plural };
  const at = minuteOfHour ? ` at :${String(minuteOfHour).padStart(2, '0')}` : '';
  return { expression: `${minuteOfHour} ${n === 1 ? '*' : `*/${n}`} * * *`, description: n === 1 ? `Hourly${at || ' at :00'}` : `${plural}${at}` };
}
