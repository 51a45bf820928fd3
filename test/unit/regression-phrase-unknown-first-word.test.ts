// Regression (fuzz battery): "onse at 2026-12-01 09:00" (a typo of "once") is not a one-time schedule,
// so it went to the phrase tokenizer, which stopped at the first "-" and said so: the error pointed at
// column 14 instead of at the misspelt word. An unknown first word is now the error.
import * as assert from 'assert';
import { parseSchedule } from '../../src/core/schedule';

describe('regression: unknown first word before a character phrases do not use', () => {
  it('"onse at 2026-12-01 09:00" points at "onse" and suggests "once"', () => {
    const r = parseSchedule('onse at 2026-12-01 09:00', { timezone: 'UTC' });
    assert.ok(!r.ok);
    assert.deepStrictEqual([r.error.offset, r.error.length], [0, 4]);
    assert.match(r.error.message, /did you mean "once at 2026-12-01 09:00"/);
  });

  it('a known first word still gets the character error', () => {
    const r = parseSchedule('daily at 09:30 - x', { timezone: 'UTC' });
    assert.ok(!r.ok);
    assert.deepStrictEqual([r.error.offset, r.error.length], [15, 1]);
    for (const text of ['weekday at 9 ~', 'monday at 9 $']) {
      const other = parseSchedule(text, { timezone: 'UTC' });
      assert.ok(!other.ok && other.error.offset === text.length - 1, text);
    }
  });
});
