// What the dashboard reads from a folder's service, and when it reads it again.
import * as assert from 'assert';
import type { TaskView } from '../../src/core/engine';
import type { Health, RunRecord } from '../../src/core/ports';
import { Collector, type DashboardSource } from '../../src/extension/dashboard/collect';

const NOW = Date.parse('2026-03-02T12:00:00Z');

function fakeSource() {
  const history: RunRecord[] = [];
  const calls = { runs: 0, lastErrors: 0, idle: 0 };
  let pendingWrite: RunRecord | undefined;
  const view: TaskView = { id: 't', name: 'T', file: '/ws/t.task.ts', kind: 'module', tags: [], priority: 'normal', state: 'scheduled',
    running: [], queued: 0, retryCount: 0, consecutiveFailures: 0 };
  const health: Health = { windowMs: 0, finished: 0, succeeded: 0, running: 0, queued: 0 };
  const source = {
    folder: '/ws', role: 'executor', holder: undefined, plan: undefined,
    tasks: async () => [view],
    // The engine's writes land when idle() is awaited (as its writer queue does).
    scheduler: { idle: async () => { calls.idle++; if (pendingWrite) { history.unshift(pendingWrite); pendingWrite = undefined; } } },
    queries: () => ({
      health: async () => health,
      runs: async () => { calls.runs++; return [...history]; },
      lastErrors: async (taskId: string) => { calls.lastErrors++; return history.filter((r) => r.taskId === taskId && r.status === 'failed'); },
      getRun: async () => undefined, taskStates: async () => [], pending: async () => [],
    }),
  } as unknown as DashboardSource;
  /** A run finished: the view says so at once, its row is written a little later. */
  function finish(id: string, status: RunRecord['status'], written: 'now' | 'on-idle' | 'never') {
    const run: RunRecord = { id, taskId: 't', trigger: 'manual', status, attempt: 1, queuedAt: NOW, startedAt: NOW, endedAt: NOW + 10, error: 'boom', output: 'x'.repeat(100) };
    view.lastRun = { id, status, trigger: 'manual', endedAt: NOW + 10, durationMs: 10 };
    if (written === 'now') history.unshift(run);
    if (written === 'on-idle') pendingWrite = run;
  }
  return { source, calls, finish };
}

describe('dashboard collector', () => {
  it('reads after the engine\'s writes are done, so a finished run\'s error is there', async () => {
    const { source, finish } = fakeSource();
    const c = new Collector();
    finish('r1', 'failed', 'on-idle');
    c.runsChanged('/ws');
    const [f] = await c.collect([source], NOW);
    assert.deepStrictEqual(f.errors.get('t')!.map((r) => r.id), ['r1']);
    assert.deepStrictEqual(f.runs.map((r) => r.id), ['r1']);
    assert.strictEqual(f.runs[0].output, undefined, 'output never leaves the host');
  });

  it('reads a task\'s errors once per last run, and again when a failed last run was not yet among them', async () => {
    const { source, calls, finish } = fakeSource();
    const c = new Collector();
    finish('r1', 'failed', 'now');
    await c.collect([source], NOW);
    await c.collect([source], NOW);
    assert.strictEqual(calls.lastErrors, 1, 'cached while the last run is the same');
    finish('r2', 'failed', 'never'); // a viewer: the file it reads has not caught up
    const [a] = await c.collect([source], NOW);
    assert.deepStrictEqual(a.errors.get('t')!.map((r) => r.id), ['r1']);
    await c.collect([source], NOW);
    assert.strictEqual(calls.lastErrors, 3, 'read again while the failed run is missing');
    finish('r3', 'succeeded', 'now');
    await c.collect([source], NOW);
    await c.collect([source], NOW);
    assert.strictEqual(calls.lastErrors, 4, 'a success is not an error to wait for');
  });

  it('reads recent runs again only after runsChanged', async () => {
    const { source, calls } = fakeSource();
    const c = new Collector();
    await c.collect([source], NOW);
    await c.collect([source], NOW);
    assert.strictEqual(calls.runs, 1);
    c.runsChanged('/other');
    await c.collect([source], NOW);
    assert.strictEqual(calls.runs, 1);
    c.runsChanged('/ws');
    await c.collect([source], NOW);
    assert.strictEqual(calls.runs, 2);
  });
});
