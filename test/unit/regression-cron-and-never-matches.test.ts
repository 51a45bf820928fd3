// Regression (fuzz battery): with "+" (day-of-month AND day-of-week) a cron can ask for days that never
// meet — the 31st that is a first Friday, the last day of February that is a first Sunday. Such a
// schedule was accepted, and its next() made croner recurse month by month towards year 3000 until
// the stack overflowed: a RangeError out of the engine's timer. It is now rejected at parse time.
import * as assert from 'assert';
import { parseSchedule } from '../../src/core/schedule';

describe('regression: "+" cron whose days never meet', () => {
  for (const text of ['0 0 0 31 * +5#1', '0 0 0 L 2 +0#1', '0 0 0 1-28 2 +1#5', '0 0 1-7 * +FRI#L', '* * * L FEB +0#1 1970-2025']) {
    it(`"${text}" is rejected at its day-of-month, as never running`, () => {
      const r = parseSchedule(text, { timezone: 'UTC' });
      assert.ok(!r.ok, 'accepted');
      assert.match(r.error.message, /never fall on the same day.*would never run/);
      const dom = text.split(' ').length === 5 ? 2 : 3;
      assert.strictEqual(r.error.offset, text.split(' ').slice(0, dom).join(' ').length + 1);
    });
  }

  for (const [text, next] of [
    ['0 0 0 29 2 +1#5', '2044-02-29T00:00:00.000Z'], // Feb 29 2044 is a Monday, the fifth of the month
    ['0 0 0 28 2 +1#L', '2028-02-28T00:00:00.000Z'], // 2028: Feb 28 is a Monday, Feb 29 a Tuesday
    ['0 0 0 8-14 * +2#2', '2026-01-13T00:00:00.000Z'], // the second Tuesday of January 2026
    ['0 0 0 L * +5#L', '2026-07-31T00:00:00.000Z'], // the first month ending on a Friday
  ] as const) {
    it(`"${text}" can happen and still runs (next ${next})`, () => {
      const r = parseSchedule(text, { timezone: 'UTC' });
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      assert.strictEqual(new Date(r.schedule.next(Date.parse('2026-01-01T00:00:00Z'))!).toISOString(), next);
    });
  }
});
