// Regression (fuzz battery): the next run of a schedule years away was found by walking every DST
// change between now and then, computing each year's changes on the way (~400 Intl calls a year, and a
// cache of 256 zone-years): "* * * * * * 2999" took ~2 s of CPU per next(), and the engine asks on every
// slot and every view. Such a run is now approached by jumping to a few days before it.
import * as assert from 'assert';
import { parseSchedule, Schedule } from '../../src/core/schedule';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

function schedule(text: string, timezone: string): Schedule {
  const r = parseSchedule(text, { timezone });
  if (!r.ok) throw new Error(r.error.message);
  return r.schedule;
}

function cpuMs<T>(fn: () => T): [T, number] {
  const before = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(before);
  return [result, (used.user + used.system) / 1000];
}

const FROM = Date.parse('2026-06-15T12:00:00Z');

describe('regression: a schedule whose next run is years away', () => {
  // Expected instants worked out by hand: 2999-01-01 00:00 in Berlin is CET (UTC+1); 2044-02-29 is a
  // Monday (and CET); the leap-day Monday before 2026 is 2016-02-29.
  for (const [text, zone, next, previous, boundMs] of [
    ['* * * * * * 2999', 'UTC', '2999-01-01T00:00:00.000Z', undefined, 300],
    ['* * * * * * 2999', 'Europe/Berlin', '2998-12-31T23:00:00.000Z', undefined, 300],
    ['0 0 0 LW * * 2999', 'America/New_York', '2999-01-31T05:00:00.000Z', undefined, 300],
    // Leap days that are Mondays: croner's own search over 28 years is most of its cost.
    ['0 0 29 2 +1', 'Europe/Berlin', '2044-02-28T23:00:00.000Z', '2016-02-28T23:00:00.000Z', Infinity],
  ] as const) {
    it(`"${text}" in ${zone}: next ${next}${boundMs < Infinity ? `, in under ${boundMs} ms` : ''}`, () => {
      const s = schedule(text, zone);
      const [found, ms] = cpuMs(() => [s.next(FROM), s.previous(FROM)]);
      assert.deepStrictEqual(found.map(iso), [next, previous]);
      assert.ok(ms < boundMs, `took ${ms.toFixed(0)} ms of CPU`);
    });
  }

  it('the DST rules still hold at the far end: 02:30 in the spring gap of 2040 fires at 03:00', () => {
    // 2040-03-11 is the second Sunday of March: New York jumps 02:00 EST → 03:00 EDT at 07:00Z.
    assert.strictEqual(iso(schedule('0 30 2 11 3 * 2040', 'America/New_York').next(FROM)), '2040-03-11T07:00:00.000Z');
    // 2040-10-28 is Berlin's last Sunday of October: 02:30 happens twice, fires at the first (CEST).
    assert.strictEqual(iso(schedule('0 30 2 28 10 * 2040', 'Europe/Berlin').next(FROM)), '2040-10-28T00:30:00.000Z');
  });
});
