// Plain-English descriptions: cronstrue for cron, with our own wording where croner's syntax or Vixie's
// OR differ from what cronstrue assumes; phrases and one-time schedules describe themselves; the zone
// is named when it is not the machine's. Plus formatInstant, the CLI's way to print a fire time.
import * as assert from 'assert';
import type { ScheduleInput } from '../../src/core/model';
import { formatInstant, parseSchedule, parseSchedules } from '../../src/core/schedule';
import { machineZone } from '../../src/core/schedule/zone';

function describeIn(input: ScheduleInput, timezone?: string): string {
  const result = parseSchedule(input, { timezone });
  if (!result.ok) throw new Error(result.error.message);
  return result.schedule.describe();
}

// A zone that is surely not the machine's, and the machine's own.
const ELSEWHERE = machineZone() === 'Asia/Tokyo' ? 'Europe/Berlin' : 'Asia/Tokyo';
const HERE = machineZone();

describe('schedule: descriptions', () => {
  it('cron through cronstrue, 24-hour clock', () => {
    assert.strictEqual(describeIn('0 9 * * 1-5', HERE), 'At 09:00, Monday through Friday');
    assert.strictEqual(describeIn('*/5 * * * *', HERE), 'Every 5 minutes');
    assert.strictEqual(describeIn('@weekly', HERE), 'At 00:00, only on Sunday');
    assert.strictEqual(describeIn('*/30 * * * * *', HERE), 'Every 30 seconds');
    assert.strictEqual(describeIn('0 0 12 1 1 * 2027', HERE), 'At 12:00, on day 1 of the month, only in January, only in 2027');
  });

  it('says "or" when both day fields are set (Vixie OR), "but only on" with +', () => {
    assert.strictEqual(describeIn('0 9 1 * MON', HERE), 'At 09:00, on day 1 of the month, or on Monday');
    assert.strictEqual(describeIn('0 9 1,15 * 5#2', HERE), 'At 09:00, on day 1 and 15 of the month, or on the second Friday of the month');
    assert.strictEqual(describeIn('0 9 1-7 * +MON', HERE), 'At 09:00, between day 1 and 7 of the month, but only on Monday');
    assert.strictEqual(describeIn('0 0 15 * 1-5', HERE), 'At 00:00, on day 15 of the month, or Monday through Friday');
    assert.strictEqual(describeIn('0 0 */2 * 1', HERE), 'At 00:00, every 2 days in a month, or on Monday');
    assert.strictEqual(describeIn('0 0 L * 1', HERE), 'At 00:00, on the last day of the month, or on Monday');
  });

  it('translates croner syntax cronstrue does not know: 5#L, ?, W', () => {
    assert.strictEqual(describeIn('0 0 * * 5#L', HERE), 'At 00:00, on the last Friday of the month');
    assert.strictEqual(describeIn('0 0 12 ? * MON', HERE), 'At 12:00, only on Monday');
    assert.strictEqual(describeIn('0 0 15W * *', HERE), 'At 00:00, on the weekday nearest day 15 of the month');
    assert.strictEqual(describeIn('0 0 LW * *', HERE), 'At 00:00, on the last weekday of the month');
  });

  it('phrases describe themselves', () => {
    assert.strictEqual(describeIn('every 5 minutes', HERE), 'Every 5 minutes');
    assert.strictEqual(describeIn('daily at 9:30pm', HERE), 'Daily at 21:30');
    assert.strictEqual(describeIn('weekly on monday at 09:00', HERE), 'Weekly on Monday at 09:00');
    assert.strictEqual(describeIn({ type: 'monthly', day_of_month: 15, hour: 12, minute: 0 }, HERE), 'Monthly on day 15 at 12:00');
  });

  it('names the zone when it is not the machine\'s', () => {
    assert.strictEqual(describeIn('daily at 09:30', ELSEWHERE), `Daily at 09:30 (${ELSEWHERE})`);
    assert.strictEqual(describeIn('0 9 * * 1-5', ELSEWHERE), `At 09:00, Monday through Friday (${ELSEWHERE})`);
    assert.strictEqual(describeIn('daily at 09:30', HERE), 'Daily at 09:30');
    assert.strictEqual(describeIn('daily at 09:30'), 'Daily at 09:30');
  });

  it('one-time, now, manual, lists', () => {
    assert.strictEqual(describeIn('once at 2026-12-01 09:00', 'Europe/Berlin'), `Once at 2026-12-01 09:00${HERE === 'Europe/Berlin' ? '' : ' (Europe/Berlin)'}`);
    assert.strictEqual(describeIn('2026-12-01T08:00:00Z', 'Europe/Berlin'), `Once at 2026-12-01 09:00${HERE === 'Europe/Berlin' ? '' : ' (Europe/Berlin)'}`);
    assert.strictEqual(describeIn('now'), 'Once, as soon as loaded');
    assert.strictEqual(describeIn('manual'), 'Manually, only when run on demand');
    assert.strictEqual(parseSchedules(['daily at 01:00', '0 13 * * *'], { timezone: HERE }).schedule?.describe(), 'Daily at 01:00; At 13:00');
  });

  it('formatInstant: local time with the zone abbreviation, then UTC', () => {
    assert.strictEqual(formatInstant(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York'), '2026-03-08 03:00 EDT (2026-03-08T07:00:00Z)');
    assert.strictEqual(formatInstant(Date.parse('2026-03-08T06:59:59Z'), 'America/New_York'), '2026-03-08 01:59:59 EST (2026-03-08T06:59:59Z)');
    assert.strictEqual(formatInstant(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin'), '2026-01-15 13:00 CET (2026-01-15T12:00:00Z)');
    assert.strictEqual(formatInstant(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin'), '2026-07-15 14:00 CEST (2026-07-15T12:00:00Z)');
    assert.strictEqual(formatInstant(Date.parse('2026-01-01T00:00:00Z'), 'UTC'), '2026-01-01 00:00 UTC (2026-01-01T00:00:00Z)');
    assert.throws(() => formatInstant(0, 'Mars/Olympus'), /unknown timezone "Mars\/Olympus"/);
  });
});
