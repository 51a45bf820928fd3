// The cron matcher (sets of times and a day predicate) must fire exactly where croner-based evaluation
// does: every wall time it lists over a stretch of calendar is compared with wallNext's, for hand-picked
// rules covering each feature and for random ones.
import * as assert from 'assert';
import fc from 'fast-check';
import { parseCron, type CronRule } from '../../src/core/schedule/cron';
import { civilFromDays, cronMatcher } from '../../src/core/schedule/matcher';
import { wallNext } from '../../src/core/schedule/wallclock';

const DAY = 86_400_000;

function rule(text: string): CronRule {
  const r = parseCron(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.rule;
}

/** The first `count` wall times after `from` (floating ms) within `days`, by croner. */
function byCroner(r: CronRule, from: number, days: number, count: number): number[] {
  const out: number[] = [];
  for (let t = wallNext(r, from); t !== undefined && t < from + days * DAY && out.length < count; t = wallNext(r, t)) out.push(t);
  return out;
}

/** The same, by the matcher. */
function byMatcher(r: CronRule, from: number, days: number, count: number): number[] {
  const m = cronMatcher(r);
  const out: number[] = [];
  const first = Math.floor(from / DAY) * DAY;
  for (let day = first; day < from + days * DAY && out.length < count; day += DAY) {
    const d = new Date(day);
    const byDate = m.matchesDay(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    assert.strictEqual(m.matchesWallDay(day), byDate, d.toISOString());
    if (!byDate) continue;
    for (const s of m.times()) {
      const t = day + s * 1000;
      if (t > from && t < from + days * DAY) out.push(t);
      if (out.length >= count) break;
    }
  }
  return out;
}

const FROM = Date.UTC(2026, 0, 1, 0, 0, 30);

describe('schedule: cron matcher', () => {
  const cases = [
    '*/15 * * * *', '0 9 * * 1-5', '0 5/15 * * *', '30 * * * * *', '*/20 * * * * *', '0 0 12 1 1 * 2027-2029',
    '0 0 0 29 2 * 2028,2032', '0 0 L * *', '0 0 L 2 *', '0 0 15W * *', '0 0 1W * *', '0 0 LW * *', '0 9 * * 5#L',
    '0 9 * * 1#2,5#L', '0 0 1-7 * +FRI', '0 0 * * 7', '0 0 * * 5-7', '0 12 * JAN,JUL *', '0 0 */2 * *',
    '0 0 1 */3 *', '15 10 L * 1', '0 0 ? * MON', '@weekly', '0 30 8 * * MON 2026', '0 0 0 1 1 * 2030/2',
  ];
  for (const text of cases) {
    it(`agrees with croner on "${text}" over three years`, () => {
      const r = rule(text);
      assert.deepStrictEqual(byMatcher(r, FROM, 3 * 366, 400).map((t) => new Date(t).toISOString()),
        byCroner(r, FROM, 3 * 366, 400).map((t) => new Date(t).toISOString()));
    });
  }

  it('ORs the day fields where croner 9.1 misses a day: "0 0 1,15 * 1" fires on Sunday 2026-03-01, the 1st', () => {
    // croner, asked after Monday 2026-02-23, answers Monday 2026-03-02 (seen while writing this test).
    const m = cronMatcher(rule('0 0 1,15 * 1'));
    assert.ok(m.matchesDay(2026, 2, 1), 'the 1st');
    assert.ok(m.matchesDay(2026, 2, 2), 'a Monday');
    assert.ok(!m.matchesDay(2026, 2, 3), 'a Tuesday, neither 1st nor 15th');
  });

  it('reads a day number as the calendar does, across centuries and leap days', () => {
    for (let day = Date.UTC(1899, 11, 1) / DAY; day < Date.UTC(2401, 2, 1) / DAY; day += 13) {
      const d = new Date(day * DAY);
      assert.deepStrictEqual(civilFromDays(day), [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()]);
    }
  });

  it('counts the times a day and lists them in order', () => {
    assert.strictEqual(cronMatcher(rule('*/15 9-10 * * *')).timesPerDay, 8);
    assert.deepStrictEqual([...cronMatcher(rule('0 9,17 * * *')).times()], [9 * 3600, 17 * 3600]);
    assert.strictEqual(cronMatcher(rule('* * * * * *')).timesPerDay, 86_400);
    assert.deepStrictEqual(['*/5 * * * *', '0 9 * * 1-5', '0 0 1 * *', '0 0 * JAN *', '0 0 * * * * 2027', '0 0 ? * *'].map((t) => cronMatcher(rule(t)).everyDay),
      [true, false, false, false, false, true]);
  });

  it('agrees with croner on random rules', function () {
    this.timeout(60_000);
    const item = (lo: number, hi: number) => fc.oneof(
      fc.constant('*'),
      fc.integer({ min: lo, max: hi }).map(String),
      fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 1, max: Math.max(1, hi - lo) }).map((s) => `*/${s}`),
      fc.array(fc.integer({ min: lo, max: hi }), { minLength: 2, maxLength: 3 }).map((xs) => xs.join(',')),
    );
    const dow = fc.oneof(item(0, 7), fc.tuple(fc.integer({ min: 0, max: 6 }), fc.constantFrom('1', '2', '3', '5', 'L')).map(([d, n]) => `${d}#${n}`));
    const dom = fc.oneof(item(1, 31), fc.constant('L'), fc.constantFrom('1W', '15W', 'LW'));
    fc.assert(fc.property(item(0, 59), item(0, 23), dom, item(1, 12), dow, fc.boolean(), (mi, h, d, mo, w, and) => {
      const weekday = /W/.test(d) ? '*' : w;
      const text = `${mi} ${h} ${d} ${mo} ${and && weekday !== '*' ? '+' : ''}${weekday}`;
      const parsed = parseCron(text);
      if (!parsed.ok) return true; // never-matching combinations are rejected by the parser
      const expected = byCroner(parsed.rule, FROM, 400, 60);
      assert.deepStrictEqual(byMatcher(parsed.rule, FROM, 400, 60), expected, text);
      return true;
    }), { numRuns: 300, seed: 20261205 });
  });
});
