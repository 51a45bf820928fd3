// Regression (fuzz battery): the phrase parser looked words up in plain objects, so a word that every
// JS object has was "known": "every constructor" was accepted as a yearly schedule, and "constructor
// at 09:00" or "every 5 constructor" failed inside the parser ("could not read schedule: …" at column 1).
import * as assert from 'assert';
import { parseSchedule } from '../../src/core/schedule';

describe('regression: schedule words named like Object.prototype members', () => {
  for (const [text, at, word] of [
    ['every constructor', 6, 'constructor'],
    ['constructor at 09:00', 0, 'constructor'],
    ['weekly on constructor', 10, 'constructor'],
    ['every 5 constructor', 8, 'constructor'],
    ['yearly on constructor 1', 10, 'constructor'],
    ['monday and valueOf', 11, 'valueof'],
  ] as const) {
    it(`"${text}" is rejected at "${word}"`, () => {
      const r = parseSchedule(text, { timezone: 'UTC' });
      assert.ok(!r.ok, `accepted as ${r.ok ? r.schedule.describe() : ''}`);
      assert.doesNotMatch(r.error.message, /could not read schedule/);
      assert.strictEqual(r.error.offset, at, r.error.message);
      assert.strictEqual(r.error.length, word.length, r.error.message);
      assert.match(r.error.message, /expected/);
    });
  }
});
