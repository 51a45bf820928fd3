// Found by the kill -9 battery (test/chaos/kill9.chaos.ts, kill 28 of 50): `task-scheduler history
// --json` died of SIGABRT — Node 20's `NodePlatform::ForIsolate … Assertion failed: (data.first) !=
// nullptr`, a race between tearing down the history worker thread and a background compile job for its
// isolate. Short-lived CLI commands that only read the history now read it on their own thread, so they
// have no worker to tear down. (The race is Node's; this removes our most frequent way into it.)
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, ensureBuilt, makeWorkspace, removeWorkspace, type Workspace } from '../chaos/procs';

describe('regression: a read-only CLI command aborted tearing down its history worker', function () {
  this.timeout(60_000);
  let w: Workspace;
  let spy: string;
  before(() => ensureBuilt());
  beforeEach(() => {
    w = makeWorkspace('viewer-worker', { '.scheduler.yaml': 'jobs:\n  a: { command: "echo a", schedule: manual }\n' });
    // Preloaded into the CLI: reports every worker thread it starts.
    spy = path.join(w.base, 'spy.js');
    fs.writeFileSync(spy, `const wt = require('worker_threads'); const W = wt.Worker;
wt.Worker = class extends W { constructor(...a) { process.stderr.write('WORKER-STARTED\\n'); super(...a); } };\n`);
  });
  afterEach(() => removeWorkspace(w));

  const cli = (args: string[]) => spawnSync(process.execPath, ['-r', spy, CLI, ...args, '--workspace', w.ws], { env: w.env, encoding: 'utf8', timeout: 30_000 });

  it('history, status and list start no worker thread (and still read what was recorded)', () => {
    const ran = cli(['run-now', 'a']);
    assert.strictEqual(ran.status, 0, ran.stderr);
    assert.match(ran.stderr, /WORKER-STARTED/, 'the spy sees the executor\'s worker (else this test proves nothing)');
    for (const args of [['history', '--json'], ['status', '--json'], ['list']]) {
      const r = cli(args);
      assert.strictEqual(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /WORKER-STARTED/, `${args.join(' ')} started a worker thread`);
      if (args[0] === 'history') assert.strictEqual((JSON.parse(r.stdout) as Array<{ taskId: string }>)[0]?.taskId, 'a');
    }
  });
});
