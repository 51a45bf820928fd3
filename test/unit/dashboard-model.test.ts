// The dashboard's view model: task views, runs, health and errors → the one payload the webview renders.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { TaskView } from '../../src/core/engine';
import type { Health, RunRecord } from '../../src/core/ports';
import { actionsFor, buildDashboard, combineHealth, ERRORS_PER_TASK, MAX_ERROR_CHARS, MAX_NAME_CHARS, type FolderSnapshot } from '../../src/extension/dashboard/model';
import { WINDOW_MS } from '../../src/extension/dashboard/timeline';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const MIN = 60_000;

function view(id: string, over: Partial<TaskView> = {}): TaskView {
  return { id, name: id, file: `/ws/${id}.task.ts`, kind: 'module', tags: [], priority: 'normal', state: 'scheduled',
    running: [], queued: 0, retryCount: 0, consecutiveFailures: 0, ...over };
}

function run(id: string, taskId: string, status: RunRecord['status'], startedAt: number, endedAt?: number, over: Partial<RunRecord> = {}): RunRecord {
  return { id, taskId, trigger: 'schedule', status, attempt: 1, queuedAt: startedAt, startedAt, endedAt, ...over };
}

function folder(over: Partial<FolderSnapshot> = {}): FolderSnapshot {
  return { folder: '/ws', name: 'ws', role: 'executor', tasks: [], runs: [], errors: new Map(), upcoming: new Map(), ...over };
}

const health = (h: Partial<Health> = {}): Health => ({ windowMs: WINDOW_MS, finished: 0, succeeded: 0, running: 0, queued: 0, ...h });

describe('dashboard model', () => {
  it('turns a task view into a row: schedule in words, next run, last result and duration, retries, state', () => {
    const d = buildDashboard([folder({
      tasks: [view('backup', { name: 'Nightly backup', schedule: 'At 02:00', scheduleSource: '0 2 * * *', nextRun: NOW + 14 * 3_600_000,
        tags: ['ops'], retryCount: 2, consecutiveFailures: 3, state: 'retry-scheduled', nextRetryAt: NOW + MIN,
        lastRun: { id: 'r1', status: 'failed', trigger: 'schedule', endedAt: NOW - MIN, durationMs: 1234, error: 'boom' } })],
    })], NOW);
    const [row] = d.tasks;
    assert.deepStrictEqual(
      [row.folder, row.id, row.name, row.schedule, row.scheduleSource, row.nextRun, row.nextRetryAt, row.retryCount, row.consecutiveFailures, row.state, row.tags],
      ['/ws', 'backup', 'Nightly backup', 'At 02:00', '0 2 * * *', NOW + 14 * 3_600_000, NOW + MIN, 2, 3, 'retry-scheduled', ['ops']]);
    assert.deepStrictEqual(row.lastRun, { status: 'failed', endedAt: NOW - MIN, durationMs: 1234 });
    assert.deepStrictEqual(d.tags, ['ops']);
  });

  it('says "Manually" for a task without a schedule, and carries the reason of an invalid one', () => {
    const d = buildDashboard([folder({ tasks: [view('m'), view('bad', { state: 'invalid', stateReason: 'schedule: expected a minute at 3' })] })], NOW);
    assert.deepStrictEqual(d.tasks.map((t) => [t.schedule, t.stateReason]), [['Manually', undefined], ['—', 'schedule: expected a minute at 3']]);
  });

  it('offers each action only where it makes sense, and none to a viewer or for an invalid task', () => {
    const base = { running: [] as string[], queued: 0, retryCount: 0 };
    assert.deepStrictEqual(actionsFor({ ...base, state: 'scheduled' }, true), { runNow: true, pause: true, resume: false, cancel: false, resetRetries: false });
    assert.deepStrictEqual(actionsFor({ ...base, state: 'paused' }, true), { runNow: true, pause: false, resume: true, cancel: false, resetRetries: false });
    assert.deepStrictEqual(actionsFor({ ...base, state: 'running', running: ['r'] }, true), { runNow: true, pause: true, resume: false, cancel: true, resetRetries: false });
    assert.deepStrictEqual(actionsFor({ ...base, state: 'scheduled', queued: 1 }, true).cancel, true);
    assert.deepStrictEqual(actionsFor({ ...base, state: 'failed', retryCount: 3 }, true).resetRetries, true);
    assert.deepStrictEqual(actionsFor({ ...base, state: 'retry-scheduled' }, true).resetRetries, true);
    assert.deepStrictEqual(actionsFor({ ...base, state: 'disabled' }, true), { runNow: false, pause: false, resume: false, cancel: false, resetRetries: false });
    const none = { runNow: false, pause: false, resume: false, cancel: false, resetRetries: false };
    assert.deepStrictEqual(actionsFor({ ...base, state: 'invalid', retryCount: 2 }, true), none);
    assert.deepStrictEqual(actionsFor({ ...base, state: 'paused', running: ['r'], retryCount: 1 }, false), none);
    const viewer = buildDashboard([folder({ role: 'viewer', holder: 'task-scheduler run (pid 9)', tasks: [view('t')] })], NOW);
    assert.deepStrictEqual(viewer.tasks[0].actions, none);
    assert.deepStrictEqual(viewer.folders, [{ key: '/ws', name: 'ws', role: 'viewer', holder: 'task-scheduler run (pid 9)' }]);
  });

  it('lists at most five errors per task, newest first as the history gives them, message cut to a bound', () => {
    const long = 'x'.repeat(MAX_ERROR_CHARS + 500);
    const errs = Array.from({ length: 7 }, (_, i) => run(`e${i}`, 't', i === 0 ? 'timed-out' : 'failed', NOW - (i + 1) * MIN, NOW - (i + 1) * MIN + 10,
      { error: i === 1 ? long : `error ${i}`, attempt: i + 1 }));
    errs[2].error = undefined;
    errs[2].exitCode = 3;
    const [row] = buildDashboard([folder({ tasks: [view('t')], errors: new Map([['t', errs]]) })], NOW).tasks;
    assert.strictEqual(row.errors.length, ERRORS_PER_TASK);
    assert.deepStrictEqual(row.errors.map((e) => e.runId), ['e0', 'e1', 'e2', 'e3', 'e4']);
    assert.deepStrictEqual([row.errors[0].status, row.errors[0].at, row.errors[0].attempt, row.errors[0].message], ['timed-out', NOW - MIN + 10, 1, 'error 0']);
    assert.strictEqual(row.errors[1].message.length, MAX_ERROR_CHARS);
    assert.ok(row.errors[1].message.endsWith('…'));
    assert.strictEqual(row.errors[2].message, 'failed (exit code 3)');
  });

  it('keeps hostile text as it is (the page renders it as text) but bounds its length', () => {
    const evil = '<img src=x onerror=alert(1)></script>javascript:alert(1)';
    const [row] = buildDashboard([folder({ tasks: [view('t', { name: evil + 'n'.repeat(MAX_NAME_CHARS) })] })], NOW).tasks;
    assert.ok(row.name.startsWith(evil));
    assert.strictEqual(row.name.length, MAX_NAME_CHARS);
  });

  it('puts runs of the last 24 h on the timeline (running ones open-ended), not queued or older ones', () => {
    const d = buildDashboard([folder({
      tasks: [view('t')],
      runs: [
        run('old', 't', 'succeeded', NOW - WINDOW_MS - 10 * MIN, NOW - WINDOW_MS - 9 * MIN),
        run('edge', 't', 'failed', NOW - WINDOW_MS - MIN, NOW - WINDOW_MS + MIN),
        run('ok', 't', 'succeeded', NOW - 60 * MIN, NOW - 59 * MIN),
        run('now', 't', 'running', NOW - MIN),
        { id: 'q', taskId: 't', trigger: 'manual', status: 'queued', attempt: 1, queuedAt: NOW },
        { id: 'missed', taskId: 't', trigger: 'schedule', status: 'missed', attempt: 1, queuedAt: NOW - 5 * MIN, scheduledFor: NOW - 30 * MIN },
      ],
    })], NOW);
    assert.deepStrictEqual(d.timeline.runs.map((r) => [r.taskId, r.status, r.start, r.end]), [
      ['t', 'failed', NOW - WINDOW_MS - MIN, NOW - WINDOW_MS + MIN],
      ['t', 'succeeded', NOW - 60 * MIN, NOW - 59 * MIN],
      ['t', 'running', NOW - MIN, undefined],
      ['t', 'missed', NOW - 30 * MIN, NOW - 30 * MIN],
    ]);
    assert.deepStrictEqual([d.timeline.from, d.timeline.to], [NOW - WINDOW_MS, NOW + WINDOW_MS]);
  });

  it('plans the next 24 h from the slots given and the pending retry', () => {
    const d = buildDashboard([folder({
      tasks: [view('t', { nextRetryAt: NOW + 2 * MIN })],
      upcoming: new Map([['t', [NOW + MIN, NOW + 10 * MIN, NOW + WINDOW_MS + MIN]]]),
    })], NOW);
    assert.deepStrictEqual(d.timeline.upcoming.map((u) => [u.at, u.kind]), [[NOW + MIN, 'schedule'], [NOW + 10 * MIN, 'schedule'], [NOW + 2 * MIN, 'retry']]);
  });

  it('lists every folder, its tasks tagged with it, and sums health across folders', () => {
    const d = buildDashboard([
      folder({ folder: '/a', name: 'a', tasks: [view('t', { tags: ['z'] })], health: health({ finished: 3, succeeded: 3, averageDurationMs: 100, running: 1 }) }),
      folder({ folder: '/b', name: 'b', tasks: [view('t', { tags: ['a', 'z'] })], health: health({ finished: 1, succeeded: 0, averageDurationMs: 500, queued: 2 }), problem: 'history: unreadable' }),
    ], NOW);
    assert.deepStrictEqual(d.tasks.map((t) => t.folder), ['/a', '/b']);
    assert.deepStrictEqual(d.folders.map((f) => [f.key, f.problem]), [['/a', undefined], ['/b', 'history: unreadable']]);
    assert.deepStrictEqual(d.tags, ['a', 'z']);
    assert.deepStrictEqual(d.health, { windowMs: WINDOW_MS, finished: 4, succeeded: 3, successRate: 0.75, running: 1, queued: 2, averageDurationMs: 200 });
  });

  it('leaves success rate and average duration out when nothing finished', () => {
    assert.deepStrictEqual(combineHealth([health({ running: 1 })], WINDOW_MS), { windowMs: WINDOW_MS, finished: 0, succeeded: 0, running: 1, queued: 0 });
    assert.deepStrictEqual(combineHealth([], WINDOW_MS), { windowMs: WINDOW_MS, finished: 0, succeeded: 0, running: 0, queued: 0 });
  });

  it('the modules the webview and the tests share never import vscode (nor Node, for the page)', () => {
    const dir = path.join(__dirname, '../../src/extension/dashboard');
    for (const f of ['model.ts', 'timeline.ts', 'protocol.ts', 'format.ts', 'html.ts', 'collect.ts', 'throttle.ts']) {
      assert.doesNotMatch(fs.readFileSync(path.join(dir, f), 'utf8'), /from\s+['"]vscode['"]/, f);
    }
    for (const f of ['timeline.ts', 'protocol.ts', 'format.ts']) {
      assert.doesNotMatch(fs.readFileSync(path.join(dir, f), 'utf8'), /from\s+['"](fs|path|os|crypto|child_process)['"]/, f);
    }
  });
});
