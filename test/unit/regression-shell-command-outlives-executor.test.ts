// Found by the kill -9 battery (test/chaos/kill9.chaos.ts): a shell command (`command:` task) whose
// executor was killed with SIGKILL ran on to its own end — for a long command, indefinitely, outside any
// scheduler's control (module runs already ended: their runner watches its IPC channel). A command now
// runs with a lifeline (fd 3) that a watcher in its shell holds: when the executor dies the lifeline
// closes and the watcher ends the command's process group — SIGTERM, then SIGKILL 5 s later.
import * as assert from 'assert';
import { ensureBuilt, killPids, makeWorkspace, orphansAfterKill, processesMentioning, removeWorkspace, type Workspace } from '../chaos/procs';
import { ORPHAN_GRACE_MS as GRACE_MS } from '../../src/runner/protocol';

describe('regression: a shell command outlived its SIGKILLed executor', function () {
  this.timeout(60_000);
  let w: Workspace;
  before(() => ensureBuilt());
  afterEach(() => {
    killPids(processesMentioning(w.ws)); // when the test fails, what it found running must not run on
    removeWorkspace(w);
  });

  async function orphanLifetime(command: string): Promise<number> {
    w = makeWorkspace('orphan-cmd', { '.scheduler.yaml': `jobs:\n  long: { command: ${JSON.stringify(command)}, schedule: "every 1 seconds" }\n` });
    // The command's shell, what it started and the watcher all run in the workspace folder.
    const o = await orphansAfterKill(w, /▶ long started/, GRACE_MS + 5_000);
    assert.ok(o.ranBefore > 0, 'the command was not running');
    assert.deepStrictEqual(o.left, [], 'the command still runs after its executor was killed');
    return o.outlivedMs;
  }

  it('a command that stops on SIGTERM ends at once', async () => {
    const ms = await orphanLifetime('sleep 300');
    // Ended by the SIGTERM, not by the SIGKILL after the grace (this box may take a second or two to look).
    assert.ok(ms < GRACE_MS - 1_000, `took ${ms} ms: as long as the grace, so the SIGTERM did not end it`);
  });

  it('a command that ignores SIGTERM, and what it started in the background, are killed after the grace', async () => {
    const ms = await orphanLifetime("trap '' TERM; sleep 301 & sleep 302; wait");
    assert.ok(ms >= GRACE_MS - 500 && ms < GRACE_MS + 3_000, `took ${ms} ms`);
  });
});
