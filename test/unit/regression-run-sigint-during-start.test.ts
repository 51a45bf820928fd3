// Found by the two-hosts chaos check (test/chaos/two-hosts.chaos.ts): a `task-scheduler run` sent
// SIGINT right after it printed "executing this workspace's tasks" died of the signal instead of
// stopping gracefully, because its signal handlers were installed only once start() had returned (which
// includes loading the plan). They are now installed before start.
import * as assert from 'assert';
import { makeWorkspace, removeWorkspace, RunProcess, ensureBuilt, type Workspace } from '../chaos/procs';

describe('regression: SIGINT during run start-up killed the process instead of stopping it', function () {
  this.timeout(60_000);
  let w: Workspace;
  before(() => ensureBuilt());
  beforeEach(() => {
    // Many task files make start-up (compiling them) last well past the "executing" line.
    const files: Record<string, string> = { '.scheduler.yaml': 'jobs:\n  tick: { command: "echo tick", schedule: "every 1 seconds" }\n' };
    for (let i = 0; i < 40; i++) files[`t${i}.task.ts`] = `export default { schedule: "every 1 hours", async run() { return ${i}; } };\n`;
    w = makeWorkspace('sigint', files);
  });
  afterEach(() => removeWorkspace(w));

  it('exits 0 and says it stopped', async () => {
    const p = new RunProcess(w);
    await p.waitFor(/executing this workspace's tasks/, 30_000);
    const end = await p.stop('SIGINT', 30_000);
    assert.deepStrictEqual(end, { code: 0, signal: null }, p.out);
    assert.match(p.out, /received SIGINT: stopping/);
  });
});
