// Regression (fuzz battery): "did you mean" measured the edit distance of a value against every
// candidate, whatever their lengths. A 1 MB `timezone` against the ~400 zone names took minutes; a
// 100,000-character schedule against the phrase keywords took seconds. A word much longer or shorter
// than a candidate cannot be a typo of it, and is now skipped without measuring.
import * as assert from 'assert';
import { loadConfig } from '../../src/core/config';
import { didYouMean } from '../../src/core/config/didYouMean';
import { parseSchedule } from '../../src/core/schedule';

function cpuMs<T>(fn: () => T): [T, number] {
  const before = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(before);
  return [result, (used.user + used.system) / 1000];
}

describe('regression: did-you-mean on a huge value', () => {
  it('a 1 MB timezone value is rejected in well under a second', () => {
    const [loaded, ms] = cpuMs(() => loadConfig('/ws/.scheduler.yaml', `timezone: "${'x'.repeat(1_000_000)}"\n`));
    assert.strictEqual(loaded.diagnostics.length, 1);
    assert.match(loaded.diagnostics[0].message, /must be an IANA time zone/);
    assert.ok(ms < 1_000, `took ${ms.toFixed(0)} ms of CPU`);
  });

  it('a 100,000-character schedule is rejected in well under a second', () => {
    const [result, ms] = cpuMs(() => parseSchedule('x'.repeat(100_000), { timezone: 'UTC' }));
    assert.ok(!result.ok);
    assert.ok(ms < 500, `took ${ms.toFixed(0)} ms of CPU`);
  });

  it('still suggests what it suggested: typos, abbreviations, nothing for the far-off', () => {
    assert.strictEqual(didYouMean('timezon', ['timezone', 'timeout']), 'timezone');
    assert.strictEqual(didYouMean('sched', ['schedule', 'tags']), 'schedule');
    assert.strictEqual(didYouMean('Europe/Berln', ['Europe/Berlin', 'Europe/Bern']), 'Europe/Berlin');
    assert.strictEqual(didYouMean('foo', ['schedule', 'timeout']), undefined);
    assert.strictEqual(didYouMean('x'.repeat(1_000), ['schedule']), undefined);
    const r = parseSchedule('dayly at 09:00', { timezone: 'UTC' });
    assert.ok(!r.ok && /did you mean "daily at 09:00"/.test(r.error.message), !r.ok ? r.error.message : '');
  });
});
