// Found by the kill -9 battery (test/chaos/kill9.chaos.ts): `task-scheduler run-now` (and pause,
// resume, reset, cleanup) sometimes exited at once with status 0, printing nothing and doing nothing.
// When the lease's lock directory was busy (the executor renewing its lease), the lease waited for it on
// a timer that does not keep the process alive, and Node exited with nothing left to do. The CLI now
// stays alive until its command has finished.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { workspaceDataDir } from '../../src/core/paths';
import { CLI, ensureBuilt } from '../chaos/procs';

describe('regression: a CLI command exited silently with status 0 while the lease lock was busy', function () {
  this.timeout(60_000);
  let base: string;
  before(() => ensureBuilt());
  beforeEach(() => { base = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-reg-lock-')); });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('run-now waits for the lock (here: until it is stale), then runs the task', () => {
    const ws = path.join(base, 'ws');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, '.scheduler.yaml'), 'jobs:\n  a: { command: "echo ran-a", schedule: manual }\n');
    const env = { ...process.env, TASK_SCHEDULER_HOME: path.join(base, 'home'), TASK_SCHEDULER_LEASE_HEARTBEAT_MS: '200', TASK_SCHEDULER_LEASE_TTL_MS: '1000' };
    // Someone is inside the lease's critical section (and, as it turns out, died there).
    const dataDir = workspaceDataDir(ws, env);
    fs.mkdirSync(path.join(dataDir, 'executor.lease.lock'), { recursive: true });
    const r = spawnSync(process.execPath, [CLI, 'run-now', 'a', '--workspace', ws], { env, encoding: 'utf8', timeout: 30_000 });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /ran-a/, `nothing was run; stdout: ${JSON.stringify(r.stdout)} stderr: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stdout, /a succeeded/);
  });
});
