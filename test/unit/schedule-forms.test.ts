// The other forms: the seeds' structured objects (Django, day_of_week 0 = Monday), one-time schedules,
// "now", "manual", and lists of schedules acting as one. Expected instants written by hand.
import * as assert from 'assert';
import type { ScheduleInput } from '../../src/core/model';
import { parseSchedule, parseSchedules, Schedule } from '../../src/core/schedule';

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString().replace('.000Z', 'Z'));

function schedule(input: ScheduleInput, timezone = 'UTC'): Schedule {
  const result = parseSchedule(input, { timezone });
  if (!result.ok) throw new Error(result.error.message);
  return result.schedule;
}

describe('schedule: structured, one-time, now, manual, lists', () => {
  describe('structured (seed 000)', () => {
    it('renders each type to the equivalent phrase and compiles it', () => {
      const cases: Array<[ScheduleInput, string, string]> = [
        [{ type: 'minutes', interval: 5 }, 'every 5 minutes', '*/5 * * * *'],
        [{ type: 'hourly', interval: 2 }, 'every 2 hours', '0 */2 * * *'],
        [{ type: 'hourly' }, 'every 1 hour', '0 * * * *'],
        [{ type: 'hourly', interval: 1, minute: 15 }, 'every 1 hour at :15', '15 * * * *'],
        [{ type: 'daily', hour: 9, minute: 30 }, 'daily at 09:30', '30 9 * * *'],
        [{ type: 'daily', hour: 6 }, 'daily at 06:00', '0 6 * * *'],
        // day_of_week counts from Monday = 0 (Python), cron from Sunday = 0.
        [{ type: 'weekly', day_of_week: 0, hour: 10, minute: 0 }, 'weekly on monday at 10:00', '0 10 * * 1'],
        [{ type: 'weekly', day_of_week: 6, hour: 2, minute: 0 }, 'weekly on sunday at 02:00', '0 2 * * 0'],
        [{ type: 'monthly', day_of_month: 15, hour: 12, minute: 0 }, 'monthly on 15 at 12:00', '0 12 15 * *'],
      ];
      for (const [input, source, cron] of cases) {
        const s = schedule(input);
        assert.strictEqual(s.source, source, JSON.stringify(input));
        assert.strictEqual(s.cron, cron, JSON.stringify(input));
      }
      // Monday 2026-01-05 is the first Monday after Thursday the 1st.
      assert.strictEqual(iso(schedule({ type: 'weekly', day_of_week: 0, hour: 10, minute: 0 }).next(Date.parse('2026-01-01T00:00:00Z'))), '2026-01-05T10:00:00Z');
      assert.strictEqual(schedule({ type: 'weekly', day_of_week: 0, hour: 10, minute: 0 }).describe(), 'Weekly on Monday at 10:00');
    });
  });

  describe('one-time', () => {
    it('"once at" with T or a space, in the schedule\'s zone', () => {
      assert.strictEqual(iso(schedule('once at 2026-12-01T09:00', 'Europe/Berlin').at), '2026-12-01T08:00:00Z');
      assert.strictEqual(iso(schedule('once at 2026-12-01 09:00', 'Europe/Berlin').at), '2026-12-01T08:00:00Z');
      assert.strictEqual(iso(schedule('Once 2026-07-01 09:00', 'Europe/Berlin').at), '2026-07-01T07:00:00Z');
      assert.strictEqual(iso(schedule('once at 2026-12-01 09:00', 'America/New_York').at), '2026-12-01T14:00:00Z');
    });

    it('a bare ISO string: Z and offsets are absolute, no offset means wall time in the zone', () => {
      assert.strictEqual(iso(schedule('2026-12-01T09:00:00Z', 'Europe/Berlin').at), '2026-12-01T09:00:00Z');
      assert.strictEqual(iso(schedule('2026-12-01T09:00:00+02:00', 'America/New_York').at), '2026-12-01T07:00:00Z');
      assert.strictEqual(iso(schedule('2026-12-01T09:00:00-0500').at), '2026-12-01T14:00:00Z');
      assert.strictEqual(iso(schedule('2026-12-01T09:00', 'America/New_York').at), '2026-12-01T14:00:00Z');
      assert.strictEqual(iso(schedule('2026-12-01', 'Asia/Tokyo').at), '2026-11-30T15:00:00Z');
      assert.strictEqual(schedule('2026-12-01T09:00:00Z').kind, 'once');
    });

    it('wall times in a DST gap or repeated hour resolve like recurring schedules', () => {
      // New York skips 02:00-03:00 on 2026-03-08: 02:30 → 03:00 EDT = 07:00Z.
      assert.strictEqual(iso(schedule('once at 2026-03-08 02:30', 'America/New_York').at), '2026-03-08T07:00:00Z');
      // 01:30 happens twice on 2026-11-01: the first, EDT (05:30Z), not EST (06:30Z).
      assert.strictEqual(iso(schedule('once at 2026-11-01 01:30', 'America/New_York').at), '2026-11-01T05:30:00Z');
    });

    it('fires once: next before it, previous after it, nothing else', () => {
      const s = schedule('once at 2026-12-01 09:00');
      const at = Date.parse('2026-12-01T09:00:00Z');
      assert.strictEqual(s.next(at - 1), at);
      assert.strictEqual(s.next(at), undefined);
      assert.strictEqual(s.previous(at + 1), at);
      assert.strictEqual(s.previous(at), undefined);
      assert.deepStrictEqual(s.nextRuns(0, 5), [at]);
      assert.strictEqual(s.cron, undefined);
    });
  });

  it('"now" fires once on load, which only the engine can do: next() is undefined', () => {
    const s = schedule('now');
    assert.strictEqual(s.kind, 'now');
    assert.strictEqual(s.next(0), undefined);
    assert.strictEqual(s.previous(Date.now()), undefined);
    assert.deepStrictEqual(s.nextRuns(0, 3), []);
    assert.strictEqual(schedule(' NOW ').kind, 'now');
  });

  it('"manual" never fires on its own', () => {
    const s = schedule('manual');
    assert.strictEqual(s.kind, 'manual');
    assert.strictEqual(s.next(0), undefined);
    assert.strictEqual(s.previous(Date.now()), undefined);
  });

  describe('lists act as one schedule', () => {
    it('earliest next, latest previous, descriptions joined with "; "', () => {
      const { schedule: s, errors } = parseSchedules(['daily at 13:00', 'daily at 01:00'], { timezone: 'UTC' });
      assert.deepStrictEqual(errors, []);
      assert.ok(s);
      assert.strictEqual(s.kind, 'cron');
      assert.deepStrictEqual(s.nextRuns(Date.parse('2026-01-01T00:00:00Z'), 3).map(iso), ['2026-01-01T01:00:00Z', '2026-01-01T13:00:00Z', '2026-01-02T01:00:00Z']);
      assert.strictEqual(iso(s.previous(Date.parse('2026-01-01T12:00:00Z'))), '2026-01-01T01:00:00Z');
      assert.strictEqual(iso(s.previous(Date.parse('2026-01-01T14:00:00Z'))), '2026-01-01T13:00:00Z');
      assert.strictEqual(s.describe(), 'Daily at 13:00; Daily at 01:00');
    });

    it('mixes forms: times a phrase cannot hold together, a one-time run, a cron', () => {
      const { schedule: s } = parseSchedules(['daily at 09:15', 'daily at 17:45', 'once at 2026-01-01 12:00', '0 0 * * 0'], { timezone: 'UTC' });
      assert.ok(s);
      assert.deepStrictEqual(s.nextRuns(Date.parse('2026-01-01T00:00:00Z'), 6).map(iso), [
        '2026-01-01T09:15:00Z', '2026-01-01T12:00:00Z', '2026-01-01T17:45:00Z', '2026-01-02T09:15:00Z', '2026-01-02T17:45:00Z', '2026-01-03T09:15:00Z',
      ]);
      // Three parts compile to cron: no single expression stands for the list.
      assert.strictEqual(s.cron, undefined);
      assert.strictEqual(parseSchedules(['now', '0 0 * * 0']).schedule?.cron, '0 0 * * 0');
    });

    it('keeps a "now" part visible to the engine', () => {
      const { schedule: s } = parseSchedules(['now', 'daily at 09:00'], { timezone: 'UTC' });
      assert.ok(s);
      assert.strictEqual(s.kind, 'cron');
      assert.ok((s as unknown as { parts: Schedule[] }).parts.some((p) => p.kind === 'now'));
    });

    it('reports every bad entry with its index, and gives no schedule then', () => {
      const { schedule: s, errors } = parseSchedules(['daily', 'evry 5 minutes', '0 25 * * *']);
      assert.strictEqual(s, undefined);
      assert.deepStrictEqual(errors.map((e) => [e.index, e.offset, e.length]), [[1, 0, 4], [2, 2, 2]]);
    });

    it('an empty list is manual', () => {
      const { schedule: s, errors } = parseSchedules([]);
      assert.deepStrictEqual(errors, []);
      assert.strictEqual(s?.kind, 'manual');
    });
  });
});
