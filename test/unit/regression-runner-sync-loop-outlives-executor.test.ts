// Found by the kill -9 battery (test/chaos/kill9.chaos.ts): a task stuck in a synchronous loop went on
// spinning after its executor was killed with SIGKILL — forever, at 100 % of a core, since the timeout
// is the executor's to enforce and the runner's own disconnect handler needs the event loop the task
// blocks. A watchdog thread in the runner (src/runner/watchdog.ts) now sees the runner re-parented and
// kills its process group after the usual 5 s grace.
import * as assert from 'assert';
import { ensureBuilt, killPids, makeWorkspace, orphansAfterKill, processesMentioning, removeWorkspace, type Workspace } from '../chaos/procs';
import { ORPHAN_GRACE_MS as GRACE_MS } from '../../src/runner/protocol';

describe('regression: a runner in a synchronous loop outlived its SIGKILLed executor', function () {
  this.timeout(60_000);
  let w: Workspace;
  before(() => ensureBuilt());
  afterEach(() => {
    killPids(processesMentioning(w.ws)); // when the test fails, what it found running must not run on
    removeWorkspace(w);
  });

  it('is killed within the grace after its executor dies', async () => {
    w = makeWorkspace('orphan-spin', {
      'spin.task.ts': 'export default { schedule: "every 1 seconds", timeout: "10m", run() { for (;;) { /* never yields */ } } };\n',
    });
    // The runner chdirs into the workspace for its run; the warm spare waiting beside it exits on its own.
    const o = await orphansAfterKill(w, /▶ spin started/, GRACE_MS + 10_000);
    assert.ok(o.ranBefore > 0, 'the runner was not running');
    assert.deepStrictEqual(o.left, [], `still running ${(o.outlivedMs / 1000).toFixed(1)} s after the executor was killed`);
    assert.ok(o.outlivedMs >= GRACE_MS - 1_000, `killed after ${o.outlivedMs} ms, before the task's grace was up`);
  });
});
