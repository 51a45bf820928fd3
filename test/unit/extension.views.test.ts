// The extension's vscode-free view logic: times in words, tree rows and tooltips from TaskViews, the
// status-bar text, and that task-controlled text never reaches Markdown unescaped.
import * as assert from 'assert';
import type { TaskView } from '../../src/core/engine';
import type { RunRecord } from '../../src/core/ports';
import { parseSchedule } from '../../src/core/schedule';
import { formatDuration, lastResultText, plainText, relativeTime, shortSpan } from '../../src/extension/format';
import { statusText, upcoming } from '../../src/extension/statusModel';
import {
  groupTasks, isPausedItself, md, runItemModel, taskContextValue, taskDescription, taskItemModel, taskTooltip, type TaskEntry,
} from '../../src/extension/treeItems';
import { rowsToRedraw, treeLayout } from '../../src/extension/treeRefresh';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const MIN = 60_000;

function view(over: Partial<TaskView> = {}): TaskView {
  return {
    id: 'tasks/backup', name: 'Backup', file: '/ws/tasks/backup.task.ts', kind: 'module', tags: [], priority: 'normal',
    state: 'scheduled', running: [], queued: 0, retryCount: 0, consecutiveFailures: 0,
    schedule: 'every 5 minutes', scheduleSource: 'every 5 minutes', nextRun: NOW + 4 * MIN, ...over,
  };
}
function entry(over: Partial<TaskView> = {}, extra: Partial<TaskEntry> = {}): TaskEntry {
  const schedule = parseSchedule('every 5 minutes', { timezone: 'Europe/Berlin' });
  assert.ok(schedule.ok);
  return { folder: '/ws', folderName: 'ws', view: view(over), schedule: schedule.schedule, pausedAll: false, ...extra };
}

describe('extension: times in words', () => {
  it('says how far away a time is, both ways', () => {
    assert.strictEqual(relativeTime(NOW + 4 * MIN, NOW), 'in 4 min');
    assert.strictEqual(relativeTime(NOW - 2 * MIN, NOW), '2 min ago');
    assert.strictEqual(relativeTime(NOW + 30_000, NOW), 'in 30 s');
    assert.strictEqual(relativeTime(NOW + 90 * MIN, NOW), 'in 1.5 h');
    assert.strictEqual(relativeTime(NOW + 3 * 24 * 60 * MIN, NOW), 'in 3 d');
    assert.strictEqual(relativeTime(NOW + 200, NOW), 'now');
  });

  it('has a compact form for the status bar', () => {
    assert.strictEqual(shortSpan(NOW + 4 * MIN, NOW), '4m');
    assert.strictEqual(shortSpan(NOW + 10_000, NOW), '10s');
    assert.strictEqual(shortSpan(NOW + 3 * 60 * MIN, NOW), '3h');
    assert.strictEqual(shortSpan(NOW - 5_000, NOW), '1s', 'an overdue run is "now", never negative');
  });

  it('writes durations', () => {
    assert.strictEqual(formatDuration(850), '850 ms');
    assert.strictEqual(formatDuration(1_234), '1.2 s');
    assert.strictEqual(formatDuration(184_000), '3 min 4 s');
    assert.strictEqual(formatDuration(2 * 60 * MIN + 5 * MIN), '2 h 5 min');
  });

  it('puts a glyph before the last result', () => {
    assert.strictEqual(lastResultText({ status: 'succeeded', endedAt: NOW - 2 * MIN }, NOW), '✓ 2 min ago');
    assert.strictEqual(lastResultText({ status: 'failed', endedAt: NOW - 60 * MIN }, NOW), '✗ 1 h ago');
    assert.strictEqual(lastResultText(undefined, NOW), undefined);
  });
});

describe('extension: tree rows', () => {
  it('describes a scheduled task as "in 4 min · ✓ 2 min ago"', () => {
    const v = view({ lastRun: { id: 'r1', status: 'succeeded', trigger: 'schedule', endedAt: NOW - 2 * MIN, durationMs: 1200 } });
    assert.strictEqual(taskDescription(v, NOW), 'in 4 min · ✓ 2 min ago');
  });

  it('says paused, running, invalid, manual and the retry time instead of a next run', () => {
    assert.strictEqual(taskDescription(view({ state: 'paused', nextRun: undefined }), NOW), 'paused');
    assert.strictEqual(taskDescription(view({ state: 'running', running: ['a'] }), NOW), 'running');
    assert.strictEqual(taskDescription(view({ state: 'invalid', nextRun: undefined }), NOW), 'invalid');
    assert.strictEqual(taskDescription(view({ schedule: undefined, scheduleSource: undefined, nextRun: undefined }), NOW), 'manual');
    assert.strictEqual(taskDescription(view({ state: 'retry-scheduled', nextRetryAt: NOW + 30_000 }), NOW), 'retry in 30 s');
  });

  it('gives each state its codicon', () => {
    const icon = (state: TaskView['state']) => taskItemModel(entry({ state, running: state === 'running' ? ['r'] : [] }), NOW).icon.id;
    assert.deepStrictEqual(
      (['running', 'paused', 'failed', 'invalid', 'scheduled', 'disabled', 'retry-scheduled'] as const).map(icon),
      ['sync~spin', 'debug-pause', 'error', 'error', 'clock', 'circle-slash', 'history']);
  });

  it('names the state and the actions that apply in contextValue, pairing Pause and Resume', () => {
    assert.strictEqual(taskContextValue(entry()), 'task.scheduled +runnable +pausable');
    assert.strictEqual(taskContextValue(entry({ state: 'paused', pausedReason: 'paused by the user', nextRun: undefined })), 'task.paused +runnable +resumable');
    assert.strictEqual(taskContextValue(entry({ state: 'running', running: ['r1'], pausedReason: 'paused by the user' })), 'task.running +runnable +resumable +cancellable');
    assert.strictEqual(taskContextValue(entry({ state: 'retry-scheduled', retryCount: 1, nextRetryAt: NOW + MIN })), 'task.retry +runnable +pausable +resettable');
    assert.strictEqual(taskContextValue(entry({ state: 'failed', consecutiveFailures: 1 })), 'task.failed +runnable +pausable +resettable');
    assert.strictEqual(taskContextValue(entry({ state: 'invalid' })), 'task.invalid');
  });

  it('a task paused only by Pause All is not offered Resume (Resume All undoes it)', () => {
    const e = entry({ state: 'paused', pausedReason: 'all tasks are paused', nextRun: undefined }, { pausedAll: true });
    assert.strictEqual(isPausedItself(e), false);
    assert.strictEqual(taskContextValue(e), 'task.paused +runnable +pausable');
  });

  it('tooltip: schedule in words, the next 3 runs with their zone, the last error', () => {
    const e = entry({ nextRun: NOW + 5 * MIN, lastRun: { id: 'r', status: 'failed', trigger: 'schedule', endedAt: NOW - MIN, durationMs: 3_000, error: 'disk full\nstack…' } });
    const text = taskTooltip(e, NOW);
    assert.match(text, /Schedule: every 5 minutes/);
    const runs = text.split('\n').filter((l) => l.startsWith('- '));
    assert.strictEqual(runs.length, 3, text);
    assert.match(runs[0], /2026\\-03\\-10 13:05 CET/, 'local time in the task\'s zone');
    assert.match(runs[1], /13:10 CET/);
    assert.match(runs[2], /13:15 CET/);
    assert.match(text, /Last error: disk full$/m);
    assert.doesNotMatch(text, /stack/, 'only the first line of the error');
  });

  it('a run row shows its outcome, when, how long and why it ran', () => {
    const run: RunRecord = { id: 'r1', taskId: 'tasks/backup', trigger: 'retry', status: 'failed', attempt: 2, queuedAt: NOW - 3 * MIN, startedAt: NOW - 3 * MIN, endedAt: NOW - 3 * MIN + 1_500 };
    const m = runItemModel(run, NOW);
    assert.strictEqual(m.label, 'failed');
    assert.strictEqual(m.description, '3 min ago · 1.5 s · retry #2');
    assert.strictEqual(m.contextValue, 'run.finished');
  });
});

describe('extension: tree grouping', () => {
  const a = entry({ id: 'a', name: 'A', tags: ['ops', 'nightly'] });
  const b = entry({ id: 'b', name: 'B', tags: [] });
  const c = { ...entry({ id: 'c', name: 'C', tags: ['ops'] }), folder: '/other', folderName: 'other' };
  const one = [{ folder: '/ws', name: 'ws', tasks: [a, b] }];
  const two = [...one, { folder: '/other', name: 'other', tasks: [c] }];
  const labels = (groups: ReturnType<typeof groupTasks>) => groups.map((g) => ('view' in g ? g.view.id : `${g.label}: ${g.tasks.map((t) => t.view.id).join(',')}`));

  it('by folder only when more than one folder is open', () => {
    assert.deepStrictEqual(labels(groupTasks(one, 'folder')), ['a', 'b']);
    assert.deepStrictEqual(labels(groupTasks(two, 'folder')), ['ws: a,b', 'other: c']);
  });

  it('by tag: a task under each of its tags, untagged last', () => {
    assert.deepStrictEqual(labels(groupTasks(two, 'tag')), ['nightly: a', 'ops: a,c', 'untagged: b']);
  });

  it('none: one flat list across folders', () => {
    assert.deepStrictEqual(labels(groupTasks(two, 'none')), ['a', 'b', 'c']);
  });
});

describe('extension: which tree rows a change redraws', () => {
  const a = entry({ id: 'a', name: 'A', tags: ['ops', 'nightly'] });
  const b = entry({ id: 'b', name: 'B', tags: [] });
  const folders = (...tasks: TaskEntry[]) => [{ folder: '/ws', name: 'ws', tasks }];
  const keyOf = (e: TaskEntry, layout: ReturnType<typeof treeLayout>) => [...layout.rows.values()].filter((r) => r.entry.view.id === e.view.id).map((r) => r.key);

  it('only the row of the task that changed (a run of another task must not redraw the row being clicked)', () => {
    const before = treeLayout(folders(a, b), 'none');
    const b2 = { ...b, view: { ...b.view, state: 'running' as const, running: ['r1'] } };
    const after = treeLayout(folders(a, b2), 'none');
    assert.deepStrictEqual(rowsToRedraw(before, after), keyOf(b2, after));
    assert.deepStrictEqual(rowsToRedraw(after, treeLayout(folders(a, { ...b2, view: { ...b2.view } }), 'none')), [], 'equal data, nothing redrawn');
  });

  it('every row of a task that stands in several groups', () => {
    const before = treeLayout(folders(a, b), 'tag');
    const a2 = { ...a, view: { ...a.view, lastRun: { id: 'r2', status: 'succeeded' as const, at: NOW, trigger: 'manual' as const } } } as TaskEntry;
    const after = treeLayout(folders(a2, b), 'tag');
    const redraw = rowsToRedraw(before, after);
    assert.ok(Array.isArray(redraw) && redraw.length === 2, JSON.stringify(redraw));
    assert.deepStrictEqual(redraw, keyOf(a2, after));
    assert.strictEqual(new Set(after.rows.keys()).size, 3, 'a row key per group a task stands in');
  });

  it('the whole tree when rows come, go or move, or nothing was drawn yet', () => {
    const before = treeLayout(folders(a, b), 'none');
    assert.strictEqual(rowsToRedraw(undefined, before), 'all');
    assert.strictEqual(rowsToRedraw(before, treeLayout(folders(a), 'none')), 'all', 'a task removed');
    assert.strictEqual(rowsToRedraw(before, treeLayout(folders(a, b, entry({ id: 'c' })), 'none')), 'all', 'a task added');
    assert.strictEqual(rowsToRedraw(before, treeLayout(folders(b, a), 'none')), 'all', 'order changed');
    assert.strictEqual(rowsToRedraw(before, treeLayout(folders(a, b), 'tag')), 'all', 'grouping changed');
    const retagged = { ...b, view: { ...b.view, tags: ['ops'] } };
    assert.strictEqual(rowsToRedraw(treeLayout(folders(a, b), 'tag'), treeLayout(folders(a, retagged), 'tag')), 'all', 'a task moved to another group');
  });
});

describe('extension: task-controlled text in Markdown', () => {
  const hostile = '<img src=x onerror=alert(1)></script>[link](command:workbench.action.quit) **b** `c`';

  it('md() leaves no HTML tag, link or emphasis', () => {
    const out = md(hostile);
    assert.doesNotMatch(out, /<|>/);
    assert.doesNotMatch(out, /(^|[^\\])\[/);
    assert.doesNotMatch(out, /(^|[^\\])\*/);
    assert.doesNotMatch(out, /(^|[^\\])`/);
    assert.match(out, /&lt;img src=x onerror=alert\\\(1\\\)&gt;&lt;\/script&gt;/);
  });

  it('the tooltip escapes the name, description, reason, error and tags', () => {
    const e = entry({ name: hostile, description: hostile, stateReason: hostile, state: 'paused', tags: ['</script>'],
      lastRun: { id: 'r', status: 'failed', trigger: 'manual', endedAt: NOW, error: hostile } });
    const text = taskTooltip(e, NOW);
    // Code spans show their text literally; everywhere else no raw tag may remain.
    const outsideCode = text.replace(/`[^`]*`/g, '');
    assert.doesNotMatch(outsideCode, /<img|<\/script/);
    assert.doesNotMatch(outsideCode, /\]\(command:/);
  });
});

describe('extension: task-controlled text in plain strings', () => {
  it('plainText() breaks notification links and codicon syntax, and nothing else', () => {
    const out = plainText('failed [click](command:workbench.action.quit) $(bug) [a] (b)');
    assert.doesNotMatch(out, /\]\(/);
    assert.doesNotMatch(out, /\$\(/);
    assert.strictEqual(out.replace(/\u200b/g, ''), 'failed [click](command:workbench.action.quit) $(bug) [a] (b)');
  });
});

describe('extension: status bar', () => {
  const backup = entry({ name: 'backup', nextRun: NOW + 4 * MIN });
  const report = entry({ id: 'tasks/report', name: 'report', nextRun: NOW + 30 * MIN });

  it('names the soonest task and how far away it is', () => {
    assert.strictEqual(statusText([report, backup], NOW), '$(watch) backup in 4m');
  });

  it('adds the running count and a failure marker', () => {
    const running = entry({ name: 'sync', state: 'running', running: ['r1'], nextRun: undefined });
    const failed = entry({ name: 'ping', state: 'failed', consecutiveFailures: 1, nextRun: NOW + 60 * MIN });
    assert.strictEqual(statusText([backup, running, failed], NOW), '$(watch) backup in 4m  $(sync~spin) 1  $(error) 1');
  });

  it('says so when there is nothing, and never lets a name start an icon', () => {
    assert.strictEqual(statusText([], NOW), '$(watch) No tasks');
    assert.strictEqual(statusText([entry({ nextRun: undefined, state: 'paused' })], NOW), '$(watch) No runs scheduled');
    assert.doesNotMatch(statusText([entry({ name: '$(bug) evil' })], NOW), /\$\(bug\)/);
  });

  it('lists the next 5 runs across tasks, soonest first', () => {
    const next = upcoming([report, backup], 5);
    assert.strictEqual(next.length, 5);
    assert.deepStrictEqual(next.map((n) => n.entry.view.name), ['backup', 'backup', 'backup', 'backup', 'backup']);
    for (let i = 1; i < next.length; i++) assert.ok(next[i].at >= next[i - 1].at);
  });
});
