// The dashboard for a cluster folder: actions allowed while connected (not only when executing), which
// member ran each run (table and timeline), the Members panel's rows, runs of different members never
// merged into one bar, and the page's Join/Leave message checked like every other.
import * as assert from 'assert';
import type { TaskView } from '../../src/core/engine';
import type { RunRecord } from '../../src/core/ports';
import type { ClusterInfo } from '../../src/core/cluster/window';
import { buildDashboard, type FolderSnapshot } from '../../src/extension/dashboard/model';
import { parseHostMessage, parseWebviewMessage } from '../../src/extension/dashboard/protocol';
import { layoutTimeline } from '../../src/extension/dashboard/timeline';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const WEB1 = 'web-1:4242:0a1b2c3d';
const WEB2 = 'web-2:77:0a1b2c3e';

const view = (over: Partial<TaskView> = {}): TaskView => ({ id: 'backup', name: 'Backup', file: '/ws/.scheduler.yaml', kind: 'command', tags: [],
  priority: 'normal', state: 'scheduled', running: [], queued: 0, retryCount: 0, consecutiveFailures: 0, ...over });
const run = (id: string, executor: string, startedAt: number): RunRecord => ({ id, taskId: 'backup', trigger: 'schedule', status: 'succeeded', attempt: 1,
  queuedAt: startedAt, startedAt, endedAt: startedAt + 1_000, executor });
const cluster = (over: Partial<ClusterInfo> = {}): ClusterInfo => ({
  cluster: 'chores', database: 'alice@db:5432/s', status: 'up', pausedAll: false, joined: false, differing: [],
  members: [{ id: WEB1, label: 'task-scheduler run (pid 4242) on web-1', host: 'web-1', pid: 4242, version: '0.1.0', since: NOW - 60_000,
    heartbeatAt: NOW - 400, running: 1, definitions: '0123456789abcdef', definitionsMatch: true, state: 'active' }], ...over,
});
const folder = (over: Partial<FolderSnapshot> = {}): FolderSnapshot => ({
  folder: '/ws', name: 'ws', role: 'viewer', runs: [], errors: new Map(), upcoming: new Map(),
  tasks: [view({ lastRun: { id: 'r1', status: 'succeeded', trigger: 'schedule', endedAt: NOW - 1_000, durationMs: 20, executor: WEB1 } })],
  cluster: cluster(), ...over,
});

describe('dashboard: a cluster folder', () => {
  it('offers actions while connected, though the window does not execute; none while it is not', () => {
    assert.strictEqual(buildDashboard([folder()], NOW).tasks[0].actions.runNow, true);
    assert.strictEqual(buildDashboard([folder({ cluster: cluster({ status: 'down' }) })], NOW).tasks[0].actions.runNow, false);
  });

  it('says which member ran the last run and each run of the timeline; lists the members', () => {
    const d = buildDashboard([folder({ runs: [run('r1', WEB1, NOW - 5_000), run('r2', WEB2, NOW - 3_000)] })], NOW);
    assert.strictEqual(d.tasks[0].lastRun?.member, 'web-1 (pid 4242)');
    assert.deepStrictEqual(d.timeline.runs.map((r) => r.member), ['web-1 (pid 4242)', 'web-2 (pid 77)']);
    const [m] = d.folders[0].cluster!.members;
    assert.deepStrictEqual([m.host, m.pid, m.version, m.running, m.definitionsMatch, m.definitions, m.state, m.self], ['web-1', 4242, '0.1.0', 1, true, '01234567', 'active', false]);
    assert.ok(parseHostMessage({ type: 'update', data: d }), 'the page accepts it');
  });

  it('a local folder names no member', () => {
    const d = buildDashboard([folder({ cluster: undefined, role: 'executor', runs: [run('r1', WEB1, NOW - 5_000)] })], NOW);
    assert.strictEqual(d.tasks[0].lastRun?.member, undefined);
    assert.strictEqual(d.timeline.runs[0].member, undefined);
  });

  it('never merges runs of two members into one bar', () => {
    const input = { from: NOW - 3_600_000, to: NOW + 3_600_000, now: NOW, plotX: 0, plotWidth: 100, lanes: ['a'], upcoming: [], utcOffsetMs: 0 };
    const runs = [{ lane: 'a', status: 'succeeded' as const, start: NOW - 60_000, end: NOW - 59_000, member: 'web-1' },
      { lane: 'a', status: 'succeeded' as const, start: NOW - 58_000, end: NOW - 57_000, member: 'web-2' },
      { lane: 'a', status: 'succeeded' as const, start: NOW - 56_000, end: NOW - 55_000, member: 'web-1' }];
    const bars = layoutTimeline({ ...input, runs }).bars;
    assert.deepStrictEqual(bars.map((b) => [b.member, b.count]), [['web-1', 2], ['web-2', 1]]);
    assert.strictEqual(layoutTimeline({ ...input, runs: runs.map(({ member: _m, ...r }) => r) }).bars.length, 1, 'without members they merge');
  });

  it('checks the page\'s Join/Leave message', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'cluster', requestId: 3, folder: '/ws', op: 'join' }), { type: 'cluster', requestId: 3, folder: '/ws', op: 'join' });
    assert.strictEqual(parseWebviewMessage({ type: 'cluster', requestId: 3, folder: '/ws', op: 'take-over-the-world' }), undefined);
    assert.strictEqual(parseWebviewMessage({ type: 'cluster', requestId: -1, folder: '/ws', op: 'leave' }), undefined);
  });
});
