// The installable CLI: `npm pack` (prepack builds), `npm install -g` into an empty prefix, and the
// installed `task-scheduler` runs the examples as a member of a cluster on a real PostgreSQL.
import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { sql } from './helpers/clusterMembers';

const ROOT = path.join(__dirname, '../..');

describe('CLI tarball: npm pack, npm install -g, run against PostgreSQL', function () {
  this.timeout(300_000);
  let pg: PgServer;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-tarball-'));
  after(async () => { await pg?.stop(); fs.rmSync(tmp, { recursive: true, force: true }); });

  it('installs a working task-scheduler with only its runtime files', async () => {
    const npm = (args: string[], cwd = ROOT) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const packed = npm(['pack', '--json', '--pack-destination', tmp]);
    const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info.files.map((f) => f.path).sort();
    assert.ok(files.includes('dist/cli.js') && files.includes('dist/cluster.js') && files.includes('dist/runner.js'), files.join(', '));
    assert.deepStrictEqual(files.filter((f) => /^(src|test|node_modules)\//.test(f) || f.endsWith('.map')), [], 'sources or tests in the tarball');
    const prefix = path.join(tmp, 'prefix');
    npm(['install', '-g', '--prefix', prefix, path.join(tmp, info.filename)], tmp);
    const bin = path.join(prefix, 'bin', 'task-scheduler');
    assert.strictEqual(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);

    pg = await startPostgres();
    const url = await pg.createDatabase('tarball');
    const ws = path.join(tmp, 'examples');
    fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true });
    const env = { ...process.env, TASK_SCHEDULER_DATABASE_URL: url, TASK_SCHEDULER_HOME: path.join(tmp, 'home') };
    const child = spawn(bin, ['run', '--workspace', ws], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    try {
      const deadline = Date.now() + 60_000;
      while (!/executing this workspace's tasks/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      assert.match(out, /executing this workspace's tasks/);
      const status = JSON.parse(execFileSync(bin, ['status', '--json', '--workspace', ws], { env, encoding: 'utf8' }));
      assert.strictEqual(status.cluster.members.length, 1);
      assert.ok(status.tasks.length > 0 && status.tasks.every((t: { state: string }) => t.state !== 'invalid'), JSON.stringify(status.tasks.filter((t: { state: string }) => t.state === 'invalid')));
      const ran = execFileSync(bin, ['run-now', 'tasks/hello-world', '--workspace', ws], { env, encoding: 'utf8' });
      assert.match(ran, /handed to/);
      const deadline2 = Date.now() + 30_000;
      let rows: Array<{ status: string }> = [];
      while (Date.now() < deadline2) {
        rows = await sql<{ status: string }>(url, "SELECT status FROM task_scheduler.runs WHERE task_id = 'tasks/hello-world'");
        if (rows.some((r) => r.status === 'succeeded')) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(rows.some((r) => r.status === 'succeeded'), `${JSON.stringify(rows)}\n${out}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
