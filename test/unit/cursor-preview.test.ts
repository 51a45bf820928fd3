// Preview Schedules, pure: runs over a day/week/month in one zone, DST changes, herds, long gaps, runs a
// DST change moved, and the explanation of a run.
import * as assert from 'assert';
import { explainRun } from '../../src/core/cursor/explain';
import { buildPreview, previewBounds, type PreviewModel, type PreviewTask } from '../../src/core/cursor/preview';
import { parseSchedule, parseSchedules } from '../../src/core/schedule';
import { machineZone } from '../../src/core/schedule/zone';

function task(id: string, text: string, timezone = 'Europe/Berlin'): PreviewTask {
  const r = parseSchedule(text, { timezone });
  if (!r.ok) throw new Error(r.error.message);
  return { id, name: id, schedule: r.schedule };
}

function preview(tasks: PreviewTask[], range: 'day' | 'week' | 'month', start: string, zone = 'Europe/Berlin'): PreviewModel {
  const m = buildPreview(tasks, { range, start, zone });
  if ('error' in m) throw new Error(m.error);
  return m;
}

describe('cursor: preview schedules', () => {
  it('a week in Berlin across the spring change: the change is marked, days are listed, a 02:30 run is moved to 03:00', () => {
    const m = preview([task('nightly', '30 2 * * *'), task('weekdays', 'weekdays at 09:00')], 'week', '2027-03-22');
    assert.strictEqual(m.title, '2027-03-22 to 2027-03-28 in Europe/Berlin');
    assert.deepStrictEqual(m.dstChanges.map((c) => c.label), ['Sun 2027-03-28 02:00 → 03:00 (CET → CEST, UTC+02:00): clocks go forward']);
    assert.strictEqual(new Date(m.dstChanges[0].at).toISOString(), '2027-03-28T01:00:00.000Z');
    assert.deepStrictEqual(m.days.map((d) => d.label), ['Mon 2027-03-22', 'Tue 2027-03-23', 'Wed 2027-03-24', 'Thu 2027-03-25', 'Fri 2027-03-26', 'Sat 2027-03-27', 'Sun 2027-03-28']);
    const nightly = m.rows[0];
    assert.deepStrictEqual(nightly.runs.map((r) => r.label), ['Mon 2027-03-22 02:30', 'Tue 2027-03-23 02:30', 'Wed 2027-03-24 02:30', 'Thu 2027-03-25 02:30',
      'Fri 2027-03-26 02:30', 'Sat 2027-03-27 02:30', 'Sun 2027-03-28 03:00']);
    assert.strictEqual(nightly.runs[6].dst, 'gap');
    assert.strictEqual(nightly.runs[5].dst, undefined);
  });

  it('the autumn change in New York, shown in UTC', () => {
    const m = preview([task('ny', 'daily at 01:30', 'America/New_York')], 'day', '2027-11-07', 'UTC');
    assert.deepStrictEqual(m.dstChanges, []);
    const ny = preview([task('ny', 'daily at 01:30', 'America/New_York')], 'day', '2027-11-07', 'America/New_York');
    assert.match(ny.dstChanges[0].label, /Sun 2027-11-07 02:00 → 01:00 \(EDT → EST, UTC-05:00\): clocks go back/);
    assert.deepStrictEqual(ny.rows[0].runs.map((r) => [r.label, r.dst]), [['01:30', 'repeat']]);
  });

  it('herds: five tasks in one second are highlighted; long gaps: the weekend of a weekday task', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((id) => task(id, '0 9 * * *'));
    const m = preview([...five, task('weekdays', 'weekdays at 07:00')], 'week', '2027-03-24');
    assert.strictEqual(m.herds.length, 7);
    assert.deepStrictEqual(m.herds[0].members, ['a', 'b', 'c', 'd', 'e']);
    assert.match(m.herds[0].label, /^Wed 2027-03-24 09:00 CET: 5 tasks in one second$/);
    assert.ok(m.rows[0].runs.every((r) => r.herd));
    assert.ok(m.rows[5].runs.every((r) => !r.herd));
    assert.deepStrictEqual(m.rows[5].longGaps.map((g) => g.label), ['no run for 3 days (Fri 2027-03-26 07:00 → Mon 2027-03-29 07:00), usually every 24 h']);
    assert.deepStrictEqual(preview(five.slice(0, 4), 'day', '2027-03-22').herds, []);
  });

  it('a month starts on the 1st; a dense row is sampled across the whole range and says so', () => {
    const m = preview([task('minutely', 'every minute'), task('hourly', 'hourly')], 'month', '2027-02-17');
    assert.strictEqual(m.start, '2027-02-01');
    assert.strictEqual(m.days.length, 28);
    const [minutely, hourly] = m.rows;
    assert.strictEqual(minutely.runs.length, 400);
    assert.strictEqual(minutely.dense, 'more than 400 runs: one mark per 1.7 h drawn');
    assert.ok(minutely.runs[399].at > m.to - 2 * 3_600_000, 'the marks reach the end of the month');
    assert.strictEqual(hourly.runs.length, 400);
    assert.ok(hourly.runs.every((r, i) => i === 0 || r.at > hourly.runs[i - 1].at));
    assert.strictEqual(preview([task('hourly', 'hourly')], 'week', '2027-02-01').rows[0].dense, undefined);
  });

  it('bad input is named, not guessed', () => {
    assert.deepStrictEqual(previewBounds({ range: 'week', start: '2027-02-30', zone: 'UTC' }), { error: '"2027-02-30" is not a date: expected YYYY-MM-DD' });
    assert.match((previewBounds({ range: 'week', start: '2027-02-01', zone: 'Mars/Olympus' }) as { error: string }).error, /unknown time zone "Mars\/Olympus"/);
    assert.match((previewBounds({ range: 'year' as 'day', start: '2027-02-01', zone: 'UTC' }) as { error: string }).error, /"year" is not a range/);
  });
});

describe('cursor: why a run is there', () => {
  it('names the fields that matched, the DST move, the neighbours and the herd', () => {
    const nightly = task('nightly', '30 2 * * *');
    const at = Date.parse('2027-03-28T01:00:00Z'); // 03:00 CEST
    const e = explainRun(nightly, at, 'Europe/Berlin', ['nightly', 'b', 'c']);
    assert.ok(!('error' in e));
    assert.strictEqual(e.title, 'nightly: Sun 2027-03-28 03:00 CEST · 2027-03-28T01:00:00Z');
    assert.deepStrictEqual(e.lines, [
      `Schedule: "30 2 * * *" — At 02:30${machineZone() === 'Europe/Berlin' ? '' : ' (Europe/Berlin)'}.`,
      'Matches minute 30 ("30"), hour 2 ("2"), Sunday 28 March (day of month "*", month "*", day of week "*").',
      'DST: 02:30 does not exist on 2027-03-28 in Europe/Berlin (clocks jump 02:00 → 03:00): this is the 02:30 run, at the end of the gap.',
      'Previous run: Sat 2027-03-27 02:30 CET · next run: Mon 2027-03-29 02:30 CEST.',
      'Also due in this second: b, c.',
    ]);
  });

  it('says which of the OR\'d day fields let the day through, and which schedule of a list', () => {
    const or = task('or', '0 9 1,15 * 1', 'UTC');
    const monday = explainRun(or, Date.parse('2027-03-22T09:00:00Z'), 'UTC');
    assert.match((monday as { lines: string[] }).lines[1], /the day of week matches \(cron runs when either day field does\)/);
    const first = explainRun(or, Date.parse('2027-04-01T09:00:00Z'), 'UTC');
    assert.match((first as { lines: string[] }).lines[1], /the day of month matches/);
    const listed: PreviewTask = { id: 'l', name: 'Listed', schedule: parseSchedules(['daily at 08:00', 'daily at 20:00'], { timezone: 'UTC' }).schedule! };
    const evening = explainRun(listed, Date.parse('2027-03-22T20:00:00Z'), 'UTC') as { lines: string[] };
    assert.match(evening.lines[0], /^Schedule: "daily at 20:00" — Daily at 20:00( \(UTC\))? \(schedule 2 of 2; the task runs at each\)\.$/);
    assert.match(evening.lines[1], /^It is cron "0 20 \* \* \*"\.$/);
    assert.deepStrictEqual(explainRun(listed, Date.parse('2027-03-22T21:00:00Z'), 'UTC'), { error: 'Listed has no run at Mon 2027-03-22 21:00 UTC' });
  });
});
