// `export crontab`: the lines, read back by a cron reader written apart from core/schedule (Vixie
// semantics, minute by minute in CRON_TZ, plus each line's `sleep`), fire at the task's next runs;
// what five fields cannot say is refused or split, with the reason.
import * as assert from 'assert';
import { exportTasks } from '../../src/core/export';
import { shWord } from '../../src/core/export/crontab';
import { exportInput, jobsYaml, tasksFromYaml } from './helpers/exportTasks';
import { vixieNext } from './helpers/vixieCron';

const FROM = Date.parse('2026-06-10T10:17:23Z');

/** The runs of one task's crontab block: every line's fields in its CRON_TZ, shifted by its sleep. */
function readBack(text: string, count: number): number[] {
  let zone = 'UTC';
  const runs: number[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('CRON_TZ=')) { zone = line.slice(8); continue; }
    const m = /^(\S+ \S+ \S+ \S+ \S+) cd .*? && (?:sleep (\d+) && )?/.exec(line);
    if (!m) continue;
    const sleep = Number(m[2] ?? 0) * 1000;
    // A line's minutes before FROM can still fire after it once the sleep is added.
    runs.push(...vixieNext(m[1], zone, FROM - sleep, count).map((t) => t + sleep));
  }
  return [...new Set(runs)].filter((t) => t > FROM).sort((a, b) => a - b).slice(0, count);
}

const CASES: Array<[string | string[], string]> = [
  ['every 5 minutes', 'Europe/Berlin'], ['every 2 hours', 'America/New_York'], ['hourly at :15', 'Asia/Kolkata'], ['daily at 09:30', 'Europe/Berlin'],
  ['twice daily at 1:00 and 13:00', 'UTC'], ['weekdays at 09:00', 'Europe/London'], ['weekends at 10:00', 'Asia/Tokyo'],
  ['weekly on monday at 09:00', 'America/Los_Angeles'], ['monthly on 15 at 12:00', 'Europe/Berlin'], ['quarterly', 'UTC'], ['yearly', 'Australia/Sydney'],
  ['0 0 */2 * *', 'UTC'], ['0 0 */2 * 1', 'UTC'], ['0 12 13 * 5', 'Europe/Berlin'], ['0 0 1,15 * 3', 'UTC'], ['23 0-20/2 * * *', 'UTC'],
  ['0 9 * * 0-7', 'UTC'], ['0 6 1 */3 *', 'Europe/Berlin'], ['5 4 * * SUN', 'America/Denver'], ['@daily', 'Asia/Singapore'], ['0 0 5/15 * 0-7', 'UTC'],
  ['every 30 seconds', 'UTC'], ['every 10 seconds', 'Europe/Berlin'], ['30 0 9 * * *', 'UTC'], [['daily at 08:00', 'weekly on friday at 17:30'], 'Europe/Berlin'],
];

describe('export crontab', () => {
  it(`lines read back by a separate cron reader fire at the task's next runs (${CASES.length} schedules)`, function () {
    this.timeout(60_000);
    for (const [schedule, zone] of CASES) {
      const { folder, tasks } = tasksFromYaml(jobsYaml([{ schedule, timezone: zone }]));
      const result = exportTasks('crontab', exportInput(folder, tasks));
      assert.strictEqual(result.tasks[0].status, 'exported', `${schedule}: ${result.tasks[0].reasons.join('; ')}`);
      const expected = tasks[0].schedule!.nextRuns(FROM, 8).map((t) => new Date(t).toISOString());
      const got = readBack(result.files[0].text, 8).map((t) => new Date(t).toISOString());
      assert.deepStrictEqual(got, expected, `${JSON.stringify(schedule)} (${zone}):\n${result.files[0].text}`);
    }
  });

  it('writes CRON_TZ, the words and a flock per overlap policy', () => {
    const { folder, tasks } = tasksFromYaml(`jobs:
  skip:  { command: "true", schedule: "daily at 09:30", timezone: Europe/Berlin }
  queue: { command: "true", schedule: "hourly", overlap: queue }
  allow: { command: "true", schedule: "hourly", overlap: allow }
`);
    const result = exportTasks('crontab', exportInput(folder, tasks));
    const text = result.files[0].text;
    assert.match(text, /^# skip \(skip\): Daily at 09:30 \(Europe\/Berlin\)\n(#   note: .*\n)*CRON_TZ=Europe\/Berlin\n30 9 \* \* \* cd \S+ && flock -n \/tmp\/task-scheduler-[0-9a-f]{12}\.lock \S*node \S+ run-now skip --workspace \S+$/m);
    assert.match(text, /^0 \* \* \* \* cd \S+ && flock \/tmp\/task-scheduler-[0-9a-f]{12}\.lock .* run-now queue /m);
    assert.match(text, /^0 \* \* \* \* cd \S+ && \S*node \S+ run-now allow /m);
    assert.match(result.tasks[1].reasons.join('\n'), /overlap: queue waits with flock/);
    assert.match(result.tasks[0].reasons.join('\n'), /catchUp: latest is not kept: cron does not run slots missed/);
    assert.match(result.hint, /crontab -l .*\| crontab -/);
  });

  it('splits seconds into lines with sleep and says so', () => {
    const { folder, tasks } = tasksFromYaml(jobsYaml([{ schedule: 'every 15 seconds' }]));
    const result = exportTasks('crontab', exportInput(folder, tasks));
    assert.strictEqual(result.tasks[0].outputs.length, 4);
    assert.deepStrictEqual(result.tasks[0].outputs.map((l) => /sleep (\d+)/.exec(l)?.[1] ?? '0'), ['0', '15', '30', '45']);
    assert.match(result.tasks[0].reasons.join('\n'), /fires at seconds 0, 15, 30, 45: cron has no seconds, so it is split into 4 lines/);
  });

  it('refuses what five fields cannot say, with the reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['every 2 seconds', /fires 30 times a minute; .* would need 30 lines/],
      ['0 0 L * *', /the last day of the month \(L\) has no cron form/],
      ['0 9 15W * *', /nearest weekday \(15W\) has no cron form/],
      ['0 9 * * 5#L', /nth weekday of the month \(#\) has no cron form/],
      ['0 0 1-7 * +5', /"\+" \(day-of-month AND day-of-week\) has no cron form/],
      ['0 0 12 * * * 2027', /cron has no year field/],
      ['once at 2030-01-01 09:00', /a one-time run has no crontab form/],
    ];
    const { folder, tasks } = tasksFromYaml(jobsYaml(cases.map(([schedule]) => ({ schedule }))));
    const result = exportTasks('crontab', exportInput(folder, tasks));
    cases.forEach(([schedule, reason], i) => {
      assert.strictEqual(result.tasks[i].status, 'refused', schedule);
      assert.match(result.tasks[i].reasons.join('\n'), reason, schedule);
    });
    assert.strictEqual(result.files.length, 0, 'nothing written when every task is refused');
  });

  it('quotes words for sh and escapes % for cron', () => {
    assert.strictEqual(shWord('/srv/my tasks'), `'/srv/my tasks'`);
    assert.strictEqual(shWord(`it's`), `'it'\\''s'`);
    assert.strictEqual(shWord('100%'), '100\\%');
    assert.strictEqual(shWord('tasks/daily-report'), 'tasks/daily-report');
  });
});
