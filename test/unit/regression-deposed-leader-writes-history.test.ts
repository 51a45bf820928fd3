// Found by the two-executors battery (test/chaos/two-executors.chaos.ts): a `task-scheduler run`
// leader frozen (SIGSTOP) past its lease's TTL, then resumed after the other process had taken over,
// went on writing the history for a moment: it recorded runs "not started" (with a start time) for
// slots the new leader ran, and overwrote the new leader's `interrupted` record of its in-flight run
// with its own late end, appending to the journal the new leader was writing. The history now refuses
// every write from a process that does not hold the lease.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Executor, Lease, LeaseOwner } from '../../src/core/ports';
import { leaderOnly, leaderOnlyHistory } from '../../src/core/service/leaderOnly';
import { MemoryHistory } from './helpers/memoryHistory';
import {
  dataDirOf, ensureBuilt, historyRuns, killPids, makeWorkspace, processesMentioning, removeWorkspace, RunProcess, sleep, type Workspace,
} from '../chaos/procs';

function leaseOwner(w: Workspace): { id: string; pid: number } | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dataDirOf(w)!, 'executor.lease'), 'utf8')) as { owner: { id: string; pid: number } }).owner;
  } catch {
    return undefined;
  }
}

describe('regression: a leader resumed after losing its lease went on writing the history', function () {
  this.timeout(90_000);
  let w: Workspace | undefined;
  const procs: RunProcess[] = [];
  before(() => ensureBuilt());
  afterEach(async () => {
    for (const p of procs) { try { process.kill(p.pid, 'SIGCONT'); } catch { /* gone */ } }
    await Promise.all(procs.splice(0).map((p) => p.stop('SIGKILL')));
    if (!w) return;
    killPids(processesMentioning(w.base));
    removeWorkspace(w);
    w = undefined;
  });

  it('after SIGSTOP past the TTL and SIGCONT, the deposed leader writes nothing', async () => {
    const ws = makeWorkspace('reg-deposed', {
      '.scheduler.yaml': 'jobs:\n  tick: { command: "echo tick", schedule: "every 1 seconds" }\n  busy: { command: "sleep 1", schedule: "every 1 seconds" }\n',
    }, { heartbeatMs: 200, ttlMs: 800 });
    w = ws;
    const a = new RunProcess(ws);
    procs.push(a);
    await a.waitFor(/executing this workspace's tasks/, 30_000);
    const b = new RunProcess(ws);
    procs.push(b);
    await b.waitFor(/standing by/, 30_000);
    const leader = leaseOwner(ws)!;
    assert.strictEqual(leader.pid, a.pid);

    const from = a.out.length;
    await a.waitFor(/▶ busy started/, 10_000, from);
    process.kill(a.pid, 'SIGSTOP');
    const frozenAt = Date.now();
    await b.waitFor(/executing this workspace's tasks/, 20_000);
    await sleep(1_500);
    process.kill(a.pid, 'SIGCONT');
    await a.waitFor(/standing by/, 10_000, from);
    await sleep(1_500);
    await Promise.all([a.stop(), b.stop()]);

    const runs = await historyRuns(ws);
    const mine = runs.filter((r) => r.executor === leader.id);
    const late = mine.filter((r) => (r.startedAt ?? 0) > frozenAt);
    assert.deepStrictEqual(late.map((r) => `${r.taskId} ${r.status}: ${r.error}`), [], 'the deposed leader recorded runs after it was frozen');
    // Its runs that end after the freeze were ended by the new leader (marked interrupted at takeover), not by itself.
    const endedLate = mine.filter((r) => (r.endedAt ?? 0) > frozenAt && !(r.status === 'interrupted' && /process killed or crashed/.test(r.error ?? '')));
    assert.deepStrictEqual(endedLate.map((r) => `${r.taskId} ${r.status}: ${r.error}`), [], 'the deposed leader overwrote the new leader\'s records');
  });

  it('in the same moment, it names no holder rather than itself, and its history refuses every write', async () => {
    const self: LeaseOwner = { id: 'me', label: 'task-scheduler run (pid self)', pid: process.pid, host: os.hostname() };
    // A leader whose lease lapsed while it was suspended: no longer leading, still naming itself.
    const lease: Lease = { state: () => ({ leader: false, holder: self }), onChange: () => () => undefined, tryAcquire: async () => false, release: async () => undefined };
    const executor: Executor = { kinds: ['command'], start: () => { throw new Error('must not start'); }, dispose: async () => undefined };
    const outcome = await leaderOnly(executor, lease).start({ runId: 'r', task: {} as never, params: {}, attempt: 1, trigger: 'manual', secrets: {} }).done;
    assert.strictEqual(outcome.status, 'cancelled');
    assert.strictEqual(outcome.error, 'not started: this process no longer executes the workspace\'s tasks');
    const inner = new MemoryHistory();
    const history = leaderOnlyHistory(inner, lease);
    await assert.rejects(history.putRun({ id: 'r', taskId: 't', trigger: 'manual', status: 'succeeded', attempt: 1, queuedAt: 1 }), /not written/);
    await assert.rejects(history.markInterrupted(1, 'x'), /not written/);
    assert.deepStrictEqual(await history.runs({}), []);
  });
});
