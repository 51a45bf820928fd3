// `task-scheduler export` as a user runs it: files written with --out, or printed with the report on
// stderr; exit 1 when a task is refused; bad arguments named.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cli export', function () {
  this.timeout(60_000);
  let ws: string;
  before(() => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-cli-export-'));
    fs.writeFileSync(path.join(ws, '.scheduler.yaml'), `timezone: Europe/Berlin
jobs:
  backup: { command: "echo backup", schedule: "daily at 02:00" }
  report: { command: "echo report", schedule: "manual", dependsOn: [{ task: backup }] }
  save:   { vscodeCommand: workbench.action.files.saveAll, schedule: "hourly" }
`);
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('systemd --out writes the units and prints the report and the install hint', () => {
    const out = path.join(ws, 'units');
    const r = run('export', 'systemd', '--workspace', ws, '--task', 'backup', '--task', 'report', '--out', out);
    assert.strictEqual(r.code, 0, r.out + r.err);
    const name = `task-scheduler-${path.basename(ws)}-backup`;
    assert.deepStrictEqual(fs.readdirSync(out).sort(), [`${name}.service`, `${name}.timer`]);
    assert.match(fs.readFileSync(path.join(out, `${name}.timer`), 'utf8'), /^OnCalendar=\*-\*-\* 02:00:00 Europe\/Berlin$/m);
    assert.match(r.out, new RegExp(`^exported  backup → ${name}\\.timer$`, 'm'));
    assert.match(r.out, /note: run-now also runs what depends on it \(report\)/);
    assert.match(r.out, /^skipped   report: manual: it runs after backup/m);
    assert.match(r.out, /^1 exported, 1 skipped, 0 refused$/m);
    assert.match(r.out, new RegExp(`systemctl --user enable --now ${name}\\.timer`));
  });

  it('crontab prints the lines on stdout, the report on stderr, and exits 1 for a refused task', () => {
    const r = run('export', 'crontab', '--workspace', ws);
    assert.strictEqual(r.code, 1, r.err);
    assert.match(r.out, /^CRON_TZ=Europe\/Berlin\n0 2 \* \* \* cd /m);
    assert.doesNotMatch(r.out, /exported|refused/);
    assert.match(r.err, /^refused   save: it runs the VS Code command workbench\.action\.files\.saveAll, which exists only inside VS Code$/m);
  });

  it('kubernetes --json reports each task', () => {
    const r = run('export', 'kubernetes', '--workspace', ws, '--image', 'tasks:1', '--task', 'backup', '--json');
    assert.strictEqual(r.code, 0, r.err);
    const report = JSON.parse(r.out) as { tasks: Array<{ id: string; status: string; outputs: string[] }>; files: string[] };
    assert.deepStrictEqual(report.tasks.map((t) => [t.id, t.status, t.outputs]), [['backup', 'exported', ['backup']]]);
    assert.deepStrictEqual(report.files, ['backup.yaml']);
  });

  it('names a bad target, an unknown task and a missing image', () => {
    let r = run('export', 'launchd', '--workspace', ws);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /export: name a target: systemd, crontab, kubernetes \(not "launchd"\)/);
    r = run('export', 'systemd', '--workspace', ws, '--task', 'nope');
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /--task: no task "nope" in .* \(its tasks: backup, report, save\)/);
    r = run('export', 'kubernetes', '--workspace', ws);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /--image is required/);
  });
});
