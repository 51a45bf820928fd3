// Daylight saving time. Our rules (src/core/schedule/timeline.ts), the same in every zone:
//   - spring forward: a wall time inside the gap fires once, at the first instant after the gap;
//   - fall back: a wall time inside the repeated hour fires once, at its first occurrence — except
//     schedules that run every hour (hour field `*`: hourly, every N minutes/seconds), for which both
//     passes are real hours and each gets its runs: no duplicates, no skipped real hour.
//
// 2026 transitions (every instant below worked out by hand from these):
//   America/New_York  2026-03-08 02:00 EST → 03:00 EDT at 07:00Z   (UTC-5 → UTC-4)
//                     2026-11-01 02:00 EDT → 01:00 EST at 06:00Z   (01:00-01:59 happens twice)
//   Europe/Berlin     2026-03-29 02:00 CET → 03:00 CEST at 01:00Z  (UTC+1 → UTC+2)
//                     2026-10-25 03:00 CEST → 02:00 CET at 01:00Z  (02:00-02:59 happens twice)
import * as assert from 'assert';
import fc from 'fast-check';
import { parseSchedule, Schedule } from '../../src/core/schedule';

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString().replace('.000Z', 'Z'));

function schedule(input: string, timezone: string): Schedule {
  const result = parseSchedule(input, { timezone });
  if (!result.ok) throw new Error(result.error.message);
  return result.schedule;
}

function runs(input: string, timezone: string, from: string, count: number): Array<string | undefined> {
  return schedule(input, timezone).nextRuns(Date.parse(from), count).map(iso);
}

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

describe('schedule: DST', () => {
  describe('America/New_York', () => {
    it('spring: 02:30 does not exist on 2026-03-08 — fires at 03:00 EDT, once', () => {
      assert.deepStrictEqual(runs('daily at 02:30', NY, '2026-03-07T00:00:00Z', 3), [
        '2026-03-07T07:30:00Z', // 02:30 EST
        '2026-03-08T07:00:00Z', // 03:00 EDT, the first instant after the gap (croner 9 would say 03:30)
        '2026-03-09T06:30:00Z', // 02:30 EDT
      ]);
      assert.deepStrictEqual(runs('0 2 * * *', NY, '2026-03-07T12:00:00Z', 2), ['2026-03-08T07:00:00Z', '2026-03-09T06:00:00Z']);
      assert.deepStrictEqual(runs('0 30 2 * * *', NY, '2026-03-08T00:00:00Z', 1), ['2026-03-08T07:00:00Z']);
    });

    it('autumn: 01:30 happens twice on 2026-11-01 — fires once, at the first (EDT)', () => {
      assert.deepStrictEqual(runs('daily at 01:30', NY, '2026-10-31T00:00:00Z', 3), [
        '2026-10-31T05:30:00Z', // 01:30 EDT
        '2026-11-01T05:30:00Z', // 01:30 EDT, first pass; not again at 06:30Z (01:30 EST)
        '2026-11-02T06:30:00Z', // 01:30 EST
      ]);
      // Asked from inside the second pass (01:10 EST), the day's run is already behind us.
      assert.strictEqual(iso(schedule('daily at 01:30', NY).next(Date.parse('2026-11-01T06:10:00Z'))), '2026-11-02T06:30:00Z');
      assert.strictEqual(iso(schedule('daily at 01:30', NY).previous(Date.parse('2026-11-01T07:00:00Z'))), '2026-11-01T05:30:00Z');
    });

    it('hourly across spring: 01:00 EST then 03:00 EDT, one real hour apart', () => {
      assert.deepStrictEqual(runs('hourly', NY, '2026-03-08T04:30:00Z', 4), [
        '2026-03-08T05:00:00Z', // 00:00 EST
        '2026-03-08T06:00:00Z', // 01:00 EST
        '2026-03-08T07:00:00Z', // 03:00 EDT (02:00 never happens)
        '2026-03-08T08:00:00Z', // 04:00 EDT
      ]);
    });

    it('hourly across autumn: 01:00 EDT and 01:00 EST are both real hours', () => {
      assert.deepStrictEqual(runs('hourly', NY, '2026-11-01T03:30:00Z', 5), [
        '2026-11-01T04:00:00Z', // 00:00 EDT
        '2026-11-01T05:00:00Z', // 01:00 EDT
        '2026-11-01T06:00:00Z', // 01:00 EST (croner 9 skips this one)
        '2026-11-01T07:00:00Z', // 02:00 EST
        '2026-11-01T08:00:00Z', // 03:00 EST
      ]);
      assert.strictEqual(iso(schedule('hourly', NY).previous(Date.parse('2026-11-01T06:30:00Z'))), '2026-11-01T06:00:00Z');
      assert.strictEqual(iso(schedule('hourly', NY).previous(Date.parse('2026-11-01T06:00:00Z'))), '2026-11-01T05:00:00Z');
    });

    it('every 30 minutes across spring and autumn', () => {
      assert.deepStrictEqual(runs('every 30 minutes', NY, '2026-03-08T05:40:00Z', 4), [
        '2026-03-08T06:00:00Z', // 01:00 EST
        '2026-03-08T06:30:00Z', // 01:30 EST
        '2026-03-08T07:00:00Z', // 03:00 EDT (02:00 and 02:30 fall in the gap and collapse into it)
        '2026-03-08T07:30:00Z', // 03:30 EDT
      ]);
      assert.deepStrictEqual(runs('every 30 minutes', NY, '2026-11-01T04:40:00Z', 5), [
        '2026-11-01T05:00:00Z', // 01:00 EDT
        '2026-11-01T05:30:00Z', // 01:30 EDT
        '2026-11-01T06:00:00Z', // 01:00 EST
        '2026-11-01T06:30:00Z', // 01:30 EST
        '2026-11-01T07:00:00Z', // 02:00 EST
      ]);
    });
  });

  describe('Europe/Berlin', () => {
    it('spring: 02:30 does not exist on 2026-03-29 — fires at 03:00 CEST, once', () => {
      assert.deepStrictEqual(runs('daily at 02:30', BERLIN, '2026-03-28T00:00:00Z', 3), [
        '2026-03-28T01:30:00Z', // 02:30 CET
        '2026-03-29T01:00:00Z', // 03:00 CEST
        '2026-03-30T00:30:00Z', // 02:30 CEST
      ]);
      assert.strictEqual(iso(schedule('daily at 02:30', BERLIN).previous(Date.parse('2026-03-29T02:00:00Z'))), '2026-03-29T01:00:00Z');
    });

    it('autumn: 02:30 happens twice on 2026-10-25 — fires once, at the first (CEST)', () => {
      assert.deepStrictEqual(runs('daily at 02:30', BERLIN, '2026-10-24T00:00:00Z', 3), [
        '2026-10-24T00:30:00Z', // 02:30 CEST
        '2026-10-25T00:30:00Z', // 02:30 CEST, first pass (croner 9 picks the second, 01:30Z, in this zone)
        '2026-10-26T01:30:00Z', // 02:30 CET
      ]);
    });

    it('hourly across spring and autumn', () => {
      assert.deepStrictEqual(runs('hourly', BERLIN, '2026-03-28T23:30:00Z', 3), [
        '2026-03-29T00:00:00Z', // 01:00 CET
        '2026-03-29T01:00:00Z', // 03:00 CEST
        '2026-03-29T02:00:00Z', // 04:00 CEST
      ]);
      assert.deepStrictEqual(runs('hourly', BERLIN, '2026-10-24T22:30:00Z', 4), [
        '2026-10-24T23:00:00Z', // 01:00 CEST
        '2026-10-25T00:00:00Z', // 02:00 CEST
        '2026-10-25T01:00:00Z', // 02:00 CET
        '2026-10-25T02:00:00Z', // 03:00 CET
      ]);
    });

    it('every 30 minutes across spring and autumn', () => {
      assert.deepStrictEqual(runs('every 30 minutes', BERLIN, '2026-03-29T00:10:00Z', 3), [
        '2026-03-29T00:30:00Z', // 01:30 CET
        '2026-03-29T01:00:00Z', // 03:00 CEST
        '2026-03-29T01:30:00Z', // 03:30 CEST
      ]);
      assert.deepStrictEqual(runs('every 30 minutes', BERLIN, '2026-10-24T23:10:00Z', 6), [
        '2026-10-24T23:30:00Z', // 01:30 CEST
        '2026-10-25T00:00:00Z', // 02:00 CEST
        '2026-10-25T00:30:00Z', // 02:30 CEST
        '2026-10-25T01:00:00Z', // 02:00 CET
        '2026-10-25T01:30:00Z', // 02:30 CET
        '2026-10-25T02:00:00Z', // 03:00 CET
      ]);
    });

    it('a schedule pinned to hours runs its repeated wall time once (every 2 hours: 02:00 CEST only)', () => {
      assert.deepStrictEqual(runs('every 2 hours', BERLIN, '2026-10-24T21:30:00Z', 3), [
        '2026-10-24T22:00:00Z', // 00:00 CEST
        '2026-10-25T00:00:00Z', // 02:00 CEST; 02:00 CET (01:00Z) is the same wall time again
        '2026-10-25T03:00:00Z', // 04:00 CET
      ]);
    });
  });

  describe('never a time at or before `after`, never a loop (croner#286 fired every 1 ms)', () => {
    const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
    const YEAR_END = Date.parse('2027-01-01T00:00:00Z');

    /** Every run of the schedule during 2026 (UTC), both ends included. */
    function yearOf(input: string, timezone: string): number[] {
      const s = schedule(input, timezone);
      const out: number[] = [];
      for (let t = s.next(YEAR_START - 1); t !== undefined && t < YEAR_END; t = s.next(t)) {
        assert.ok(out.length === 0 || t > out[out.length - 1], `${input} in ${timezone}: ${iso(t)} does not follow ${iso(out[out.length - 1])}`);
        out.push(t);
        assert.ok(out.length <= 20_000, `${input} in ${timezone}: runaway`);
      }
      return out;
    }

    function gaps(times: number[]): Set<number> {
      return new Set(times.slice(1).map((t, i) => t - times[i]));
    }

    it('hourly and every 30 minutes keep exact real-time spacing all year in New York and Berlin', () => {
      for (const zone of [NY, BERLIN]) {
        const hourly = yearOf('hourly', zone);
        assert.strictEqual(hourly.length, 8760, zone); // 365 × 24: one run per real hour
        assert.deepStrictEqual([...gaps(hourly)], [3_600_000], zone);
        const halfHourly = yearOf('every 30 minutes', zone);
        assert.strictEqual(halfHourly.length, 17_520, zone);
        assert.deepStrictEqual([...gaps(halfHourly)], [1_800_000], zone);
      }
    });

    it('a daily time fires once per local day all year, in zones with and without DST', () => {
      for (const zone of [NY, BERLIN, 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC']) {
        for (const input of ['daily at 02:30', 'daily at 01:30', '0 2 * * *']) {
          const times = yearOf(input, zone);
          assert.ok(times.length === 365, `${input} in ${zone}: ${times.length} runs`);
          for (const gap of gaps(times)) assert.ok(gap >= 22 * 3_600_000 && gap <= 26 * 3_600_000, `${input} in ${zone}: gap ${gap / 3_600_000} h`);
        }
      }
    });

    it('next is after, previous is before, and they agree, from any instant (property)', () => {
      const inputs = ['every 30 minutes', 'hourly', 'daily at 02:30', 'daily at 01:30', '0 */2 * * *', '30 2 * * 0', 'every 15 seconds', '0 0 L * *'];
      const zones = [NY, BERLIN, 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Tokyo', 'Pacific/Chatham'];
      fc.assert(fc.property(
        fc.constantFrom(...inputs), fc.constantFrom(...zones), fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }),
        (input, zone, t) => {
          const s = schedule(input, zone);
          const next = s.next(t);
          const previous = s.previous(t);
          if (next === undefined || previous === undefined) return false;
          // Strictly after/before, and nothing in between: next(previous) is at or after t, previous(next) at or before t.
          return next > t && previous < t && s.next(previous)! >= t && s.previous(next)! <= t;
        },
      ), { numRuns: 300, seed: 286 });
    });
  });
});
