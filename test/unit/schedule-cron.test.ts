// Cron expressions: 5, 6 and 7 fields, L W # ? +, names, nicknames, Vixie OR of the day fields.
// Every expected time is written out by hand (2026-01-01 is a Thursday); none is computed by croner.
import * as assert from 'assert';
import type { ScheduleInput } from '../../src/core/model';
import { parseSchedule, Schedule } from '../../src/core/schedule';
import { machineZone } from '../../src/core/schedule/zone';

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

function schedule(input: ScheduleInput, timezone = 'UTC'): Schedule {
  const result = parseSchedule(input, { timezone });
  if (!result.ok) throw new Error(result.error.message);
  return result.schedule;
}

function runs(input: ScheduleInput, from: string, count: number, timezone = 'UTC'): string[] {
  return schedule(input, timezone).nextRuns(Date.parse(from), count).map(iso);
}

const JAN1 = '2026-01-01T00:00:00Z';

describe('schedule: cron', () => {
  it('5 fields: minute hour day-of-month month day-of-week', () => {
    assert.deepStrictEqual(runs('*/15 * * * *', JAN1, 4), ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z', '2026-01-01T00:45:00Z', '2026-01-01T01:00:00Z']);
    // Thursday 1st, Friday 2nd, then Monday 5th and Tuesday 6th.
    assert.deepStrictEqual(runs('0 9 * * 1-5', JAN1, 4), ['2026-01-01T09:00:00Z', '2026-01-02T09:00:00Z', '2026-01-05T09:00:00Z', '2026-01-06T09:00:00Z']);
    assert.deepStrictEqual(runs('0 5/15 * * *', JAN1, 3), ['2026-01-01T05:00:00Z', '2026-01-01T20:00:00Z', '2026-01-02T05:00:00Z']);
  });

  it('6 fields put seconds first', () => {
    assert.deepStrictEqual(runs('30 * * * * *', JAN1, 3), ['2026-01-01T00:00:30Z', '2026-01-01T00:01:30Z', '2026-01-01T00:02:30Z']);
    assert.deepStrictEqual(runs('*/20 * * * * *', JAN1, 3), ['2026-01-01T00:00:20Z', '2026-01-01T00:00:40Z', '2026-01-01T00:01:00Z']);
  });

  it('7 fields add a year, which we filter ourselves (croner 9 has no year field)', () => {
    assert.deepStrictEqual(runs('0 0 12 1 1 * 2027-2029', JAN1, 5), ['2027-01-01T12:00:00Z', '2028-01-01T12:00:00Z', '2029-01-01T12:00:00Z']);
    assert.deepStrictEqual(runs('0 0 0 29 2 * 2028,2032', JAN1, 5), ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']);
    assert.deepStrictEqual(runs('0 30 8 * * MON 2026', '2026-12-20T00:00:00Z', 3), ['2026-12-21T08:30:00Z', '2026-12-28T08:30:00Z']);
    assert.strictEqual(schedule('0 0 0 1 1 * 2020').next(Date.parse(JAN1)), undefined);
    assert.strictEqual(iso(schedule('0 0 0 1 1 * 2020').previous(Date.parse(JAN1))!), '2020-01-01T00:00:00Z');
  });

  it('L is the last day of the month', () => {
    assert.deepStrictEqual(runs('0 0 L * *', JAN1, 4), ['2026-01-31T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-31T00:00:00Z', '2026-04-30T00:00:00Z']);
    assert.deepStrictEqual(runs('0 0 L 2 *', '2027-06-01T00:00:00Z', 2), ['2028-02-29T00:00:00Z', '2029-02-28T00:00:00Z']);
  });

  it('nW is the weekday nearest day n, within the month (ours: croner 9 has no W)', () => {
    // Jan 15 Thu; Feb 15 and Mar 15 are Sundays → Monday 16th; Apr 15 Wed.
    assert.deepStrictEqual(runs('0 0 15W * *', JAN1, 4), ['2026-01-15T00:00:00Z', '2026-02-16T00:00:00Z', '2026-03-16T00:00:00Z', '2026-04-15T00:00:00Z']);
    // Aug 15 2026 is a Saturday → Friday 14th.
    assert.deepStrictEqual(runs('0 0 15W * *', '2026-08-01T00:00:00Z', 1), ['2026-08-14T00:00:00Z']);
    // Aug 1 is a Saturday: the nearest weekday in August is Monday 3rd, not Friday July 31st; Nov 1 is a Sunday → Monday 2nd.
    assert.deepStrictEqual(runs('0 0 1W * *', '2026-07-15T00:00:00Z', 4), ['2026-08-03T00:00:00Z', '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z', '2026-11-02T00:00:00Z']);
  });

  it('LW is the last weekday of the month', () => {
    // Jan 31 Sat → Fri 30; Feb 28 Sat → Fri 27; Mar 31 Tue; Apr 30 Thu; May 31 Sun → Fri 29.
    assert.deepStrictEqual(runs('0 0 LW * *', JAN1, 5), ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z', '2026-03-31T00:00:00Z', '2026-04-30T00:00:00Z', '2026-05-29T00:00:00Z']);
  });

  it('# picks the nth weekday of the month, #L and Quartz nL the last', () => {
    assert.deepStrictEqual(runs('0 0 * * 5#2', JAN1, 3), ['2026-01-09T00:00:00Z', '2026-02-13T00:00:00Z', '2026-03-13T00:00:00Z']);
    assert.deepStrictEqual(runs('0 0 * * MON#1', JAN1, 3), ['2026-01-05T00:00:00Z', '2026-02-02T00:00:00Z', '2026-03-02T00:00:00Z']);
    const lastFridays = ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z', '2026-03-27T00:00:00Z', '2026-04-24T00:00:00Z'];
    assert.deepStrictEqual(runs('0 0 * * 5#L', JAN1, 4), lastFridays);
    assert.deepStrictEqual(runs('0 0 * * 5L', JAN1, 4), lastFridays);
    assert.strictEqual(schedule('0 0 * * 5L').cron, '0 0 * * 5#L');
  });

  it('? means "no specific value" in the day fields (not croner\'s "time of loading")', () => {
    assert.deepStrictEqual(runs('0 0 12 ? * MON', JAN1, 3), ['2026-01-05T12:00:00Z', '2026-01-12T12:00:00Z', '2026-01-19T12:00:00Z']);
    assert.deepStrictEqual(runs('0 0 12 15 * ?', JAN1, 3), ['2026-01-15T12:00:00Z', '2026-02-15T12:00:00Z', '2026-03-15T12:00:00Z']);
    assert.strictEqual(schedule('0 0 12 ? * MON').cron, '0 0 12 * * 1');
  });

  it('nicknames', () => {
    assert.deepStrictEqual(runs('@hourly', JAN1, 2), ['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z']);
    assert.deepStrictEqual(runs('@daily', JAN1, 1), ['2026-01-02T00:00:00Z']);
    assert.deepStrictEqual(runs('@midnight', JAN1, 1), ['2026-01-02T00:00:00Z']);
    assert.deepStrictEqual(runs('@weekly', JAN1, 2), ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']);
    assert.deepStrictEqual(runs('@monthly', JAN1, 2), ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z']);
    assert.deepStrictEqual(runs('@yearly', JAN1, 1), ['2027-01-01T00:00:00Z']);
    assert.deepStrictEqual(runs('@annually', JAN1, 1), ['2027-01-01T00:00:00Z']);
    const daily = schedule('@daily');
    assert.strictEqual(daily.source, '@daily');
    assert.strictEqual(daily.cron, '0 0 * * *');
  });

  it('day-of-month and day-of-week are OR\'d as in Vixie cron; a + prefix makes them AND', () => {
    // "0 9 13 * 5": the 13th of any month OR any Friday — Fri 2, Fri 9, Tue 13, Fri 16.
    assert.deepStrictEqual(runs('0 9 13 * 5', JAN1, 4), ['2026-01-02T09:00:00Z', '2026-01-09T09:00:00Z', '2026-01-13T09:00:00Z', '2026-01-16T09:00:00Z']);
    // "+5": only a Friday the 13th — February, March and November in 2026.
    assert.deepStrictEqual(runs('0 9 13 * +5', JAN1, 3), ['2026-02-13T09:00:00Z', '2026-03-13T09:00:00Z', '2026-11-13T09:00:00Z']);
    // The first Friday of each month.
    assert.deepStrictEqual(runs('0 0 1-7 * +FRI', JAN1, 3), ['2026-01-02T00:00:00Z', '2026-02-06T00:00:00Z', '2026-03-06T00:00:00Z']);
  });

  it('month and day names, ranges that wrap to Sunday, 7 = Sunday', () => {
    assert.deepStrictEqual(runs('0 0 * * FRI-SUN', JAN1, 4), ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-09T00:00:00Z']);
    assert.deepStrictEqual(runs('0 0 * * 7', JAN1, 2), ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']);
    assert.deepStrictEqual(runs('0 0 1 jan,Jul *', JAN1, 2), ['2026-07-01T00:00:00Z', '2027-01-01T00:00:00Z']);
    assert.strictEqual(schedule('0 9 * * MON-FRI').cron, '0 9 * * 1-5');
    assert.strictEqual(schedule('0 9 * * monday').cron, '0 9 * * 1');
  });

  it('next is strictly after, previous strictly before', () => {
    const weekdays = schedule('0 9 * * 1-5');
    assert.strictEqual(iso(weekdays.next(Date.parse('2026-01-01T09:00:00Z'))!), '2026-01-02T09:00:00Z');
    assert.strictEqual(iso(weekdays.next(Date.parse('2026-01-01T08:59:59.999Z'))!), '2026-01-01T09:00:00Z');
    assert.strictEqual(iso(weekdays.previous(Date.parse('2026-01-05T09:00:00Z'))!), '2026-01-02T09:00:00Z');
    assert.strictEqual(iso(weekdays.previous(Date.parse('2026-01-05T09:00:00.001Z'))!), '2026-01-05T09:00:00Z');
    assert.strictEqual(iso(schedule('*/15 * * * *').previous(Date.parse('2026-01-01T00:07:00Z'))!), '2026-01-01T00:00:00Z');
    assert.strictEqual(iso(schedule('0 0 29 2 *').previous(Date.parse(JAN1))!), '2024-02-29T00:00:00Z');
  });

  it('runs in the schedule\'s IANA zone', () => {
    assert.deepStrictEqual(runs('0 9 * * *', JAN1, 2, 'Asia/Kolkata'), ['2026-01-01T03:30:00Z', '2026-01-02T03:30:00Z']);
    assert.deepStrictEqual(runs('0 9 * * *', JAN1, 1, 'America/New_York'), ['2026-01-01T14:00:00Z']);
    assert.deepStrictEqual(runs('0 9 * * *', '2026-07-01T00:00:00Z', 1, 'America/New_York'), ['2026-07-01T13:00:00Z']);
    assert.strictEqual(schedule('0 9 * * *', 'europe/berlin').timezone, 'Europe/Berlin');
  });

  it('defaults to the machine zone when none is given', () => {
    const local = parseSchedule('0 9 * * *');
    assert.ok(local.ok);
    assert.strictEqual(local.schedule.timezone, undefined);
    assert.deepStrictEqual(local.schedule.nextRuns(Date.parse(JAN1), 3), schedule('0 9 * * *', machineZone()).nextRuns(Date.parse(JAN1), 3));
  });
});
