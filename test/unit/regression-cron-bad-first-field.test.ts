// Regression (fuzz battery): a cron expression whose *first* field is bad ("x 30 9-17 1 JAN *",
// "L 9-17 1 * *") does not start with a digit, so it was read as a phrase, and the error pointed at a
// "-" somewhere else ("unexpected "-" at column 7"). Text shaped like cron (5-7 fields, all but one in
// cron's characters) now gets the cron error, at the bad field.
import * as assert from 'assert';
import { parseSchedule } from '../../src/core/schedule';

describe('regression: cron with a bad first field', () => {
  for (const [text, length] of [['x 30 9-17 1 JAN *', 1], ['L 9-17 1 * *', 1], ['FOO 9 * * *', 3], ['W 0 12 * * MON', 1]] as const) {
    it(`"${text}": the error is at field 1`, () => {
      const r = parseSchedule(text, { timezone: 'UTC' });
      assert.ok(!r.ok);
      assert.strictEqual(r.error.offset, 0, r.error.message);
      assert.strictEqual(r.error.length, length, r.error.message);
      assert.match(r.error.message, /^field 1 \((second|minute)\)/);
    });
  }

  it('phrases with numbers keep their phrase errors', () => {
    const r = parseSchedule('dayly at 9, 13 and 17', { timezone: 'UTC' });
    assert.ok(!r.ok && /did you mean "daily at 9, 13 and 17"/.test(r.error.message), !r.ok ? r.error.message : 'accepted');
  });
});
