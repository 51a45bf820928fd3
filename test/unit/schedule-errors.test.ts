// Invalid schedules: each error names the position in the schedule string (0-based offset/length,
// 1-based column in the message), says what was expected, and suggests a fix when one is close.
import * as assert from 'assert';
import type { ScheduleInput } from '../../src/core/model';
import { parseSchedule, ScheduleError } from '../../src/core/schedule';

function error(input: ScheduleInput, timezone = 'UTC'): ScheduleError {
  const result = parseSchedule(input, { timezone });
  assert.ok(!result.ok, `expected "${JSON.stringify(input)}" to be rejected`);
  const e = result.error;
  assert.ok(e.expected.length > 0, 'says what was expected');
  if (typeof input === 'string') {
    assert.ok(e.offset >= 0 && e.offset + e.length <= input.length, `position ${e.offset}+${e.length} inside "${input}"`);
  }
  return e;
}

/** The error points at `part` (its first occurrence at or after `from`) and its message contains each of `says`. */
function points(input: string, part: string, says: string[], from = 0): void {
  const e = error(input);
  const offset = part === '' ? input.length : input.indexOf(part, from);
  assert.deepStrictEqual([e.offset, e.length], [offset, part.length], `${input}: ${e.message}`);
  for (const s of says) assert.ok(e.message.includes(s), `"${e.message}" should say ${s}`);
  if (part !== '' || offset > 0) assert.ok(e.message.includes(`column ${offset + 1}`), `${e.message} names column ${offset + 1}`);
}

describe('schedule: errors', () => {
  describe('cron', () => {
    it('names the field, its column, the value and the allowed range', () => {
      const e = error('0 25 * * *');
      assert.strictEqual(e.message, 'field 2 (hour) at column 3: "25" is out of range 0-23');
      assert.deepStrictEqual([e.offset, e.length], [2, 2]);
      assert.ok(e.expected.startsWith('hour: 0-23'));
      points('0 0 25 * * *', '25', ['field 3 (hour)', 'out of range 0-23']);
      points('0 9 * 13 *', '13', ['field 4 (month)', 'out of range 1-12']);
      points('0 9 32 * *', '32', ['field 3 (day-of-month)', 'out of range 1-31']);
      points('0 9 * * 1-8', '8', ['field 5 (day-of-week)', '"8" is out of range 0-7']);
      points('60 * * * * *', '60', ['field 1 (second)']);
      points('0 0 0 1 1 * 1900', '1900', ['field 7 (year)', 'out of range 1970-2999']);
    });

    it('field count', () => {
      points('0 9 * *', '', ['5, 6 or 7 fields, found 4']);
      points('0 0 9 * * * 2026 1', '1', ['found 8'], 16);
    });

    it('names, ranges, steps, special characters', () => {
      points('0 9 * * MOM', 'MOM', ['not a day of the week', 'did you mean "MON"?']);
      points('0 9 * JNU *', 'JNU', ['not a month', 'did you mean "JUN"?']);
      points('0 9 5-1 * *', '5-1', ['goes backwards', '"1-5"']);
      points('*/0 * * * *', '0', ['step "0" is out of range 1-60']);
      points('*/61 * * * *', '61', ['step "61"']);
      points('0 ? * * *', '?', ['only allowed in day-of-month and day-of-week']);
      points('0 0 * * 5#6', '#6', ['#1 to #5', '#L']);
      points('0 0 L-2 * *', 'L-2', ['not supported']);
      points('0 0 1,15W * *', '1,15W', ['must be the whole field']);
      points('0 x * * *', 'x', ['not a valid hour']);
      const empty = error('0 9 1,,2 * *');
      assert.deepStrictEqual([empty.offset, empty.length], [6, 0], empty.message);
      assert.ok(empty.message.startsWith('field 3 (day-of-month) at column 7: empty list item'), empty.message);
    });

    it('W with a day-of-week, and days that never come', () => {
      points('0 0 15W * MON', '15W', ['cannot be combined with a day-of-week']);
      points('0 0 30 2 *', '30', ['day 30 does not exist in February', 'never run']);
      points('0 0 31 4,6 *', '31', ['day 31 does not exist in any of the selected months']);
    });

    it('nicknames', () => {
      points('@dayly', '@dayly', ['unknown cron nickname', 'did you mean "@daily"?']);
      points('@reboot', '@reboot', ['write "now"']);
    });
  });

  describe('phrases', () => {
    it('unknown phrase: the word, a did-you-mean, the forms expected', () => {
      const e = error('evry 5 minutes');
      assert.ok(e.message.startsWith('unknown phrase "evry 5 minutes" at column 1 (did you mean "every 5 minutes"?): expected "every N seconds|minutes|hours"'), e.message);
      assert.deepStrictEqual([e.offset, e.length], [0, 4]);
      points('5 minutes', '5', ['did you mean "every 5 minutes"?']);
      points('daly at 9:00', 'daly', ['did you mean "daily at 9:00"?']);
      points('9:30 daily', '9:30', ['did you mean "daily at 9:30"?']);
      points('sometimes', 'sometimes', ['unknown phrase', 'cron expression']);
    });

    it('units, times, days', () => {
      points('every 5 minuts', 'minuts', ['did you mean "minutes"?']);
      points('every 5', '', ['a unit is missing']);
      points('daily at 25:00', '25:00', ['is not a time', 'hour must be 0-23']);
      points('daily at 9:75', '9:75', ['minutes must be 0-59']);
      points('daily at 13pm', '13pm', ['with am/pm the hour must be 1-12']);
      points('daily at', '', ['a time is missing']);
      points('weekly on mondy', 'mondy', ['unknown day', 'did you mean "monday"?']);
      points('monthly on 32', '32', ['unknown day of the month']);
      points('hourly at :75', ':75', ['minutes past the hour']);
      points('daily at 9:30 tomorrow', 'tomorrow', ['unexpected words', 'found "tomorrow"']);
      points('daily at 9:30 #', '#', ['unexpected "#"']);
    });

    it('intervals that cannot stay aligned, and times one expression cannot hold', () => {
      points('every 7 minutes', '7 minutes', ['"every 7 minutes" at column 7 does not divide the hour evenly', '"*/7 * * * *"']);
      points('daily at 9:15 and 17:45', '9:15 and 17:45', ['cannot share one schedule', '["daily at 09:15", "daily at 17:45"]']);
      points('twice daily at 9:00', '9:00', ['exactly two times']);
    });
  });

  describe('one-time', () => {
    it('date and time parts', () => {
      points('once at 2026-13-01 09:00', '13', ['"13" at column 14 is not a month']);
      points('once at 2026-02-30', '30', ['is not a day of 2026-02', '01-28']);
      points('once at 2026-12-01 24:00', '24', ['is not an hour']);
      points('2026-12-01T09:00+15:00', '+15:00', ['is not a UTC offset']);
      points('once at tomorrow', 'tomorrow', ['needs a date and time']);
      points('once', '', ['needs a date and time']);
    });
  });

  describe('structured', () => {
    it('points into the object written as JSON', () => {
      let e = error({ type: 'minutes', interval: 7 });
      assert.ok(e.message.startsWith('"interval" 7 (every 7 minutes) does not divide the hour evenly'), e.message);
      assert.deepStrictEqual([e.offset, e.length], ['{"type":"minutes","interval":'.length, 1]);
      e = error({ type: 'weekly', day_of_week: 7, hour: 10 });
      assert.ok(e.message.includes('"day_of_week" 7 is out of range 0-6'), e.message);
      assert.ok(e.expected.includes('0 = Monday'));
      assert.ok(error({ type: 'weekly', hour: 10 }).message.includes('needs "day_of_week"'));
      assert.ok(error({ type: 'daily', hour: '9' } as unknown as ScheduleInput).message.includes('"hour" must be a whole number'));
      assert.ok(error({ type: 'dayly' } as unknown as ScheduleInput).message.includes('did you mean "daily"?'));
      assert.ok(error({ type: 'daily', schedule_hour: 9 } as unknown as ScheduleInput).message.includes('unknown key "schedule_hour" (did you mean "hour"?)'));
      assert.ok(error({ type: 'daily', day_of_week: 1 }).message.includes('"day_of_week" does not apply to type "daily"'));
    });
  });

  it('timezone, empty input, wrong types', () => {
    const zone = error('daily', 'Europe/Berln');
    assert.ok(zone.message.startsWith('unknown timezone "Europe/Berln" (did you mean "Europe/Berlin"?)'), zone.message);
    assert.ok(error('daily', 'Mars/Olympus').message.includes('"Mars/Olympus"'));
    assert.ok(error('').message.startsWith('empty schedule'));
    assert.ok(error('   ').message.startsWith('empty schedule'));
    assert.ok(error(42 as unknown as ScheduleInput).message.includes('found number'));
    assert.ok(error(['daily'] as unknown as ScheduleInput).message.includes('found a list'));
  });
});
