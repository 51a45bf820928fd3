// `export systemd`: the OnCalendar= lines mean what the task's schedule means, read back by systemd
// itself (`systemd-analyze calendar`), and the units pass `systemd-analyze verify`.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exportTasks, onCalendar } from '../../src/core/export';
import { exportInput, jobsYaml, tasksFromYaml } from './helpers/exportTasks';

const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const FROM = '2026-06-10T10:17:23Z';

/** systemd-analyze, installed with apt-get when missing and we are root (CI); else undefined with the reason printed. */
function systemdAnalyze(): string | undefined {
  const which = () => spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).stdout.trim();
  if (which()) return which();
  if (process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    console.log('      installing systemd (for systemd-analyze) with apt-get');
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd'], { stdio: 'inherit' });
    return which() || undefined;
  }
  console.log('      skipped: systemd-analyze is not installed and this is not root with apt-get (run as root, or `apt-get install systemd`)');
  return undefined;
}

/** The instants `systemd-analyze calendar` prints for each expression, merged: the first `count` after `from`. */
function systemdNext(bin: string, lines: string[], from: string, count: number): string[] {
  const base = from.replace('T', ' ').replace('Z', ' UTC');
  const r = spawnSync(bin, ['calendar', `--iterations=${count}`, `--base-time=${base}`, ...lines], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  assert.strictEqual(r.status, 0, `systemd-analyze calendar ${lines.join(' | ')}: ${r.stderr}`);
  const times = [...r.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/g)].map((m) => `${m[1].replace(' ', 'T')}.000Z`);
  return [...new Set(times)].sort().slice(0, count);
}

function ourNext(schedule: string, zone: string, from: string, count: number): string[] {
  const r = spawnSync(process.execPath, [cli, 'next', schedule, '--tz', zone, '--from', from, '--count', String(count), '--json'], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { nextRuns: string[] }).nextRuns;
}

/** Every form of the schedule language, in zones east and west of UTC, with and without DST. */
export const SCHEDULES: Array<[string, string]> = [
  ['every 30 seconds', 'UTC'], ['every 5 minutes', 'Europe/Berlin'], ['every 15 minutes', 'Asia/Kolkata'], ['every 2 hours', 'America/New_York'],
  ['every 6 hours', 'Australia/Sydney'], ['hourly', 'Asia/Tokyo'], ['hourly at :15', 'Europe/Berlin'], ['daily', 'UTC'],
  ['daily at 09:30', 'Europe/Berlin'], ['twice daily at 1:00 and 13:00', 'America/New_York'], ['weekdays at 09:00', 'Europe/London'],
  ['weekends at 10:00', 'Asia/Kolkata'], ['weekly on monday at 09:00', 'America/Los_Angeles'], ['weekly', 'UTC'],
  ['monthly on 15 at 12:00', 'Europe/Berlin'], ['monthly on last day', 'UTC'], ['quarterly', 'Asia/Tokyo'], ['yearly', 'Europe/Paris'],
  ['monthly on 1 at 00:00', 'America/Sao_Paulo'], ['every 3 minutes', 'UTC'], ['every 10 seconds', 'Europe/Berlin'],
  ['0 9 * * 1-5', 'Europe/Berlin'], ['*/10 * * * *', 'UTC'], ['0 */6 * * *', 'America/Chicago'], ['30 8 1 * *', 'Asia/Singapore'],
  ['0 0 L * *', 'Europe/Berlin'], ['0 9 * * 5#L', 'America/New_York'], ['0 9 * * 1#2', 'UTC'], ['0 0 1-7 * +5', 'Europe/Berlin'],
  ['0 12 13 * 5', 'UTC'], ['15 10 * * 0,6', 'Asia/Kolkata'], ['0 0 1 1 *', 'Pacific/Auckland'], ['@hourly', 'UTC'], ['@daily', 'Europe/Berlin'],
  ['@weekly', 'America/New_York'], ['@monthly', 'Asia/Tokyo'], ['@yearly', 'UTC'], ['0 30 9 * * *', 'Europe/Berlin'],
  ['*/20 * * * * *', 'UTC'], ['0 0 12 * * * 2027', 'UTC'], ['0 0 12 1 * * 2027-2030', 'Europe/Berlin'], ['0 0 9 * JAN,JUL MON', 'UTC'],
  ['5 4 * * SUN', 'America/Denver'], ['0 22 * * 1-5', 'Europe/Berlin'], ['23 0-20/2 * * *', 'UTC'], ['0 0 */2 * *', 'Asia/Tokyo'],
  ['0 0 1,15 * 3', 'UTC'], ['0 8-17 * * 1-5', 'Europe/Madrid'], ['0 0 29 2 *', 'UTC'], ['0 6 1 */3 *', 'Europe/Berlin'],
  ['45 23 * * 6', 'Australia/Adelaide'], ['0 0 L 2 *', 'UTC'], ['0 9 * * 2#1,4#3', 'Europe/Berlin'], ['0 0 12 ? * WED', 'UTC'],
  ['0 0 1,L * 1', 'America/New_York'], ['0 15 10 * * 1-5 2026/2', 'UTC'],
];

describe('export systemd', function () {
  this.timeout(120_000);
  let bin: string | undefined;
  before(function () {
    execFileSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
    bin = systemdAnalyze();
  });

  it(`systemd-analyze calendar gives the same next 5 runs as task-scheduler next, for ${SCHEDULES.length} schedules`, function () {
    if (!bin) this.skip();
    assert.ok(SCHEDULES.length >= 50);
    for (const [schedule, zone] of SCHEDULES) {
      const { folder, tasks } = tasksFromYaml(jobsYaml([{ schedule, timezone: zone }]));
      const result = exportTasks('systemd', exportInput(folder, tasks));
      assert.strictEqual(result.tasks[0].status, 'exported', `${schedule}: ${result.tasks[0].reasons.join('; ')}`);
      const timer = result.files.find((f) => f.name.endsWith('.timer'))!.text;
      const lines = [...timer.matchAll(/^OnCalendar=(.*)$/gm)].map((m) => m[1]);
      assert.deepStrictEqual(systemdNext(bin!, lines, FROM, 5), ourNext(schedule, zone, FROM, 5), `${schedule} (${zone}) as ${lines.join(' | ')}`);
    }
  });

  it('says where DST makes systemd differ, and systemd does differ there', function () {
    if (!bin) this.skip();
    const { folder, tasks } = tasksFromYaml(jobsYaml([{ schedule: 'daily at 02:30', timezone: 'Europe/Berlin' }, { schedule: 'daily at 09:30', timezone: 'Europe/Berlin' }]));
    const result = exportTasks('systemd', exportInput(folder, tasks));
    assert.match(result.tasks[0].reasons.join('\n'), /DST: in the spring-forward gap .* systemd skips/);
    assert.ok(!result.tasks[1].reasons.some((r) => r.startsWith('DST')), 'no DST note for 09:30');
    const from = '2027-03-27T12:00:00Z';
    const lines = [...result.files[1].text.matchAll(/^OnCalendar=(.*)$/gm)].map((m) => m[1]);
    const ours = ourNext('daily at 02:30', 'Europe/Berlin', from, 2);
    assert.deepStrictEqual(ours, ['2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);
    assert.deepStrictEqual(systemdNext(bin!, lines, from, 1), ['2027-03-29T00:30:00.000Z']);
  });

  it('writes units that pass systemd-analyze verify, with awkward names and paths', function () {
    if (!bin) this.skip();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ts export 100% '));
    const { tasks } = tasksFromYaml(`timezone: Europe/Berlin
jobs:
  backup:
    name: "Back up 100% of $HOME's files"
    command: "echo backup"
    schedule: ["daily at 01:00", "weekly on sunday at 12:00"]
    timeout: 90m
    catchUp: skip
  ping:
    command: "echo ping"
    schedule: "every 30 seconds"
    overlap: allow
  "reports/monthly":
    command: "echo report"
    schedule: "0 0 L * *"
    priority: high
`, folder);
    const result = exportTasks('systemd', exportInput(folder, tasks));
    assert.deepStrictEqual(result.tasks.map((t) => t.status), ['exported', 'exported', 'exported']);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-units-'));
    for (const f of result.files) fs.writeFileSync(path.join(out, f.name), f.text);
    const files = result.files.map((f) => path.join(out, f.name));
    const r = spawnSync(bin!, ['verify', ...files], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stderr.trim(), '', `systemd-analyze verify warned:\n${r.stderr}`);
    const backup = result.files.find((f) => f.name.endsWith('-backup.service'))!.text;
    assert.match(backup, /^RuntimeMaxSec=5460$/m); // 90 min + the 60 s backstop
    assert.match(backup, /^ExecStart=\S+node \S+cli\.js run-now backup --workspace "\/tmp\/ts export 100%% \w+"$/m);
    const backupTimer = result.files.find((f) => f.name.endsWith('-backup.timer'))!.text;
    assert.match(backupTimer, /^OnCalendar=\*-\*-\* 01:00:00 Europe\/Berlin\nOnCalendar=Sun \*-\*-\* 12:00:00 Europe\/Berlin$/m);
    assert.match(backupTimer, /^Persistent=false$/m);
    assert.match(backupTimer, /^AccuracySec=1s$/m);
    const ping = result.tasks.find((t) => t.id === 'ping')!;
    assert.match(ping.reasons.join('\n'), /overlap: allow is kept as "skip"/);
    assert.match(result.tasks.find((t) => t.id === 'reports/monthly')!.reasons.join('\n'), /priority high is not kept/);
    assert.match(result.hint, /systemctl --user enable --now .*-backup\.timer/);
  });

  it('refuses what OnCalendar= cannot say, with the reason', () => {
    assert.deepStrictEqual(onCalendar('0 0 9 15W * *', 'UTC'), { reason: 'the nearest weekday (15W) has no OnCalendar= form' });
    assert.match((onCalendar('0 0 12 1 1 * 2300', 'UTC') as { reason: string }).reason, /after 2199/);
    assert.match((onCalendar('0 0 0 L * +5#2', 'UTC') as { reason: string }).reason, /"\+" with a last day/);
    const { folder, tasks } = tasksFromYaml(`jobs:
  nearest: { command: "true", schedule: "0 9 15W * *" }
  editor: { vscodeCommand: workbench.action.files.saveAll, schedule: "daily" }
  later: { command: "true", schedule: manual }
  off: { command: "true", schedule: daily, enabled: false }
`);
    const byId = Object.fromEntries(exportTasks('systemd', exportInput(folder, tasks)).tasks.map((t) => [t.id, t]));
    assert.strictEqual(byId.nearest.status, 'refused');
    assert.match(byId.nearest.reasons[0], /schedule "0 9 15W \* \*": the nearest weekday/);
    assert.strictEqual(byId.editor.status, 'refused');
    assert.match(byId.editor.reasons[0], /only inside VS Code/);
    assert.strictEqual(byId.later.status, 'skipped');
    assert.strictEqual(byId.off.status, 'skipped');
  });
});
