// Plain-English phrases: what each compiles to, how it reads, and when it fires. Expected times are
// written by hand (2026-01-01 is a Thursday), in UTC so the zone plays no part here.
import * as assert from 'assert';
import type { ScheduleInput } from '../../src/core/model';
import { parseSchedule, Schedule } from '../../src/core/schedule';

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

function schedule(input: ScheduleInput): Schedule {
  const result = parseSchedule(input, { timezone: 'UTC' });
  if (!result.ok) throw new Error(result.error.message);
  return result.schedule;
}

function runs(input: ScheduleInput, from: string, count: number): string[] {
  return schedule(input).nextRuns(Date.parse(from), count).map(iso);
}

/** Compiles to `cron` and reads as `description`. */
function compiles(input: string, cron: string, description: string): void {
  const s = schedule(input);
  assert.strictEqual(s.kind, 'cron', input);
  assert.strictEqual(s.cron, cron, input);
  assert.strictEqual(s.describe(), description, input);
  assert.strictEqual(s.source, input);
}

const JAN1 = '2026-01-01T00:00:00Z';

describe('schedule: phrases', () => {
  describe('every N seconds|minutes|hours, aligned to clock boundaries', () => {
    it('minutes fire at :00, :05, :10 … whatever the start', () => {
      compiles('every 5 minutes', '*/5 * * * *', 'Every 5 minutes');
      assert.deepStrictEqual(runs('every 5 minutes', '2026-01-01T00:02:30Z', 3), ['2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z', '2026-01-01T00:15:00Z']);
      compiles('every 15 minutes', '*/15 * * * *', 'Every 15 minutes');
      compiles('every minute', '* * * * *', 'Every minute');
      compiles('every 1 minutes', '* * * * *', 'Every minute');
    });

    it('is case-insensitive and forgiving about spaces and unit spellings', () => {
      for (const text of ['  Every  5   Minutes ', 'EVERY 5 MINUTES', 'every 5 min', 'every 5 mins', 'every 5m']) {
        assert.strictEqual(schedule(text).cron, '*/5 * * * *', text);
      }
    });

    it('seconds', () => {
      compiles('every 30 seconds', '*/30 * * * * *', 'Every 30 seconds');
      assert.deepStrictEqual(runs('every 30 seconds', '2026-01-01T00:00:10Z', 3), ['2026-01-01T00:00:30Z', '2026-01-01T00:01:00Z', '2026-01-01T00:01:30Z']);
      compiles('every second', '* * * * * *', 'Every second');
      compiles('every 60 seconds', '* * * * *', 'Every minute');
    });

    it('hours fire at 00:00, 02:00 … and may name the minute', () => {
      compiles('every 2 hours', '0 */2 * * *', 'Every 2 hours');
      assert.deepStrictEqual(runs('every 2 hours', '2026-01-01T01:00:00Z', 3), ['2026-01-01T02:00:00Z', '2026-01-01T04:00:00Z', '2026-01-01T06:00:00Z']);
      compiles('every hour', '0 * * * *', 'Hourly at :00');
      compiles('every 120 minutes', '0 */2 * * *', 'Every 2 hours');
      compiles('every 2 hours at :15', '15 */2 * * *', 'Every 2 hours at :15');
      compiles('every 24 hours', '0 0 * * *', 'Daily at 00:00');
    });

    it('rejects intervals that cannot stay on clock boundaries, naming the cron spelling that restarts each hour', () => {
      for (const [text, cron] of [['every 7 minutes', '*/7 * * * *'], ['every 45 seconds', '*/45 * * * * *'], ['every 5 hours', '0 */5 * * *']]) {
        const result = parseSchedule(text, { timezone: 'UTC' });
        assert.ok(!result.ok, text);
        assert.ok(result.error.message.includes('does not divide'), result.error.message);
        assert.ok(result.error.message.includes(`"${cron}"`), result.error.message);
        assert.strictEqual(result.error.offset, 6, text);
      }
      assert.ok(!parseSchedule('every 90 minutes').ok);
      assert.ok(!parseSchedule('every 3 days').ok);
    });
  });

  it('hourly, hourly at :15', () => {
    compiles('hourly', '0 * * * *', 'Hourly at :00');
    compiles('hourly at :15', '15 * * * *', 'Hourly at :15');
    compiles('hourly at 15', '15 * * * *', 'Hourly at :15');
    assert.deepStrictEqual(runs('hourly at :15', '2026-01-01T00:20:00Z', 2), ['2026-01-01T01:15:00Z', '2026-01-01T02:15:00Z']);
  });

  it('daily, daily at a time written many ways', () => {
    compiles('daily', '0 0 * * *', 'Daily at 00:00');
    compiles('daily at 09:30', '30 9 * * *', 'Daily at 09:30');
    for (const text of ['daily at 9:30', 'Daily at 9:30am', 'daily at 09 : 30', 'every day at 9:30']) assert.strictEqual(schedule(text).cron, '30 9 * * *', text);
    for (const text of ['daily at 9:30pm', 'daily at 21:30', 'daily at 9:30 PM']) assert.strictEqual(schedule(text).cron, '30 21 * * *', text);
    assert.strictEqual(schedule('daily at 9am').cron, '0 9 * * *');
    assert.strictEqual(schedule('daily at 12am').cron, '0 0 * * *');
    assert.strictEqual(schedule('daily at 12pm').cron, '0 12 * * *');
    assert.strictEqual(schedule('daily at noon').cron, '0 12 * * *');
    assert.strictEqual(schedule('daily at midnight').cron, '0 0 * * *');
    compiles('daily at 09:30:15', '15 30 9 * * *', 'Daily at 09:30:15');
    assert.deepStrictEqual(runs('daily at 09:30', '2026-01-01T09:30:00Z', 2), ['2026-01-02T09:30:00Z', '2026-01-03T09:30:00Z']);
  });

  it('several times a day when they share their minutes', () => {
    compiles('daily at 09:00 and 17:00', '0 9,17 * * *', 'Daily at 09:00 and 17:00');
    compiles('daily at 8:00, 12:00 and 17:00', '0 8,12,17 * * *', 'Daily at 08:00, 12:00 and 17:00');
    compiles('daily at 9:00 and 9:30', '0,30 9 * * *', 'Daily at 09:00 and 09:30');
  });

  it('twice daily (Laravel\'s twiceDaily: 01:00 and 13:00 by default)', () => {
    compiles('twice daily at 1:00 and 13:00', '0 1,13 * * *', 'Twice daily at 01:00 and 13:00');
    compiles('twice daily', '0 1,13 * * *', 'Twice daily at 01:00 and 13:00');
    assert.deepStrictEqual(runs('twice daily', JAN1, 3), ['2026-01-01T01:00:00Z', '2026-01-01T13:00:00Z', '2026-01-02T01:00:00Z']);
  });

  it('weekdays and weekends', () => {
    compiles('weekdays at 09:00', '0 9 * * 1-5', 'Weekdays (Monday to Friday) at 09:00');
    // Friday 2nd after 09:00 → Monday 5th, Tuesday 6th.
    assert.deepStrictEqual(runs('weekdays at 09:00', '2026-01-02T10:00:00Z', 2), ['2026-01-05T09:00:00Z', '2026-01-06T09:00:00Z']);
    compiles('weekends at 10:00', '0 10 * * 0,6', 'Weekends (Saturday and Sunday) at 10:00');
    assert.deepStrictEqual(runs('weekends at 10:00', JAN1, 3), ['2026-01-03T10:00:00Z', '2026-01-04T10:00:00Z', '2026-01-10T10:00:00Z']);
    assert.strictEqual(schedule('every weekday at 9:00').cron, '0 9 * * 1-5');
  });

  it('weekly on a day (names or 3-letter abbreviations); weekly alone = Sunday 00:00 like @weekly', () => {
    compiles('weekly on monday at 09:00', '0 9 * * 1', 'Weekly on Monday at 09:00');
    assert.deepStrictEqual(runs('weekly on monday at 09:00', JAN1, 2), ['2026-01-05T09:00:00Z', '2026-01-12T09:00:00Z']);
    for (const text of ['weekly on mon at 9:00', 'Weekly On MONDAY at 9am', 'every monday at 9:00', 'mondays at 9:00']) assert.strictEqual(schedule(text).cron, '0 9 * * 1', text);
    compiles('weekly on monday and thursday at 09:00', '0 9 * * 1,4', 'Weekly on Monday and Thursday at 09:00');
    assert.deepStrictEqual(runs('weekly on monday and thursday at 09:00', JAN1, 3), ['2026-01-01T09:00:00Z', '2026-01-05T09:00:00Z', '2026-01-08T09:00:00Z']);
    compiles('weekly on fri, sat and sun at 18:00', '0 18 * * 0,5,6', 'Weekly on Friday, Saturday and Sunday at 18:00');
    compiles('weekly', '0 0 * * 0', 'Weekly on Sunday at 00:00');
    assert.deepStrictEqual(runs('weekly', JAN1, 1), ['2026-01-04T00:00:00Z']);
  });

  it('monthly on a day, the 15th, the last day', () => {
    compiles('monthly on 15 at 12:00', '0 12 15 * *', 'Monthly on day 15 at 12:00');
    assert.strictEqual(schedule('monthly on the 15th at 12:00').cron, '0 12 15 * *');
    assert.strictEqual(schedule('monthly on day 15 at 12:00').cron, '0 12 15 * *');
    assert.deepStrictEqual(runs('monthly on 15 at 12:00', JAN1, 3), ['2026-01-15T12:00:00Z', '2026-02-15T12:00:00Z', '2026-03-15T12:00:00Z']);
    compiles('monthly', '0 0 1 * *', 'Monthly on day 1 at 00:00');
    compiles('monthly on last day', '0 0 L * *', 'Monthly on the last day at 00:00');
    assert.deepStrictEqual(runs('monthly on the last day at 18:00', JAN1, 2), ['2026-01-31T18:00:00Z', '2026-02-28T18:00:00Z']);
    compiles('monthly on 1 and 15 at 08:00', '0 8 1,15 * *', 'Monthly on days 1 and 15 at 08:00');
    compiles('monthly on 31', '0 0 31 * *', 'Monthly on day 31 at 00:00 (skipped in months without day 31)');
  });

  it('quarterly and yearly', () => {
    compiles('quarterly', '0 0 1 1,4,7,10 *', 'Quarterly (January, April, July, October) on day 1 at 00:00');
    assert.deepStrictEqual(runs('quarterly', JAN1, 4), ['2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z', '2027-01-01T00:00:00Z']);
    compiles('yearly', '0 0 1 1 *', 'Yearly on January 1 at 00:00');
    assert.strictEqual(schedule('annually').cron, '0 0 1 1 *');
    assert.deepStrictEqual(runs('yearly', JAN1, 1), ['2027-01-01T00:00:00Z']);
    compiles('yearly on december 25 at 09:00', '0 9 25 12 *', 'Yearly on December 25 at 09:00');
    assert.strictEqual(schedule('yearly on 25 dec at 9:00').cron, '0 9 25 12 *');
  });
});
