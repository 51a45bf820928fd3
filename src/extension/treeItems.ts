// What a tree row shows for a task or a run, as plain data: label, description, codicon, contextValue
// and a Markdown tooltip. No `vscode` import, so plain mocha tests it; tree.ts turns it into TreeItems.
// Every string a task controls (name, error, output) is escaped before it goes into Markdown.
import type { TaskView } from '../core/engine';
import type { RunStatus, TaskState } from '../core/model';
import type { RunRecord } from '../core/ports';
import { formatInstant, type Schedule } from '../core/schedule';
import { firstLine, formatDuration, lastResultText, relativeTime, STATUS_GLYPHS } from './format';
import type { TreeGrouping } from './ids';
import { hostOf, whoRan } from './who';

/** One task as the extension's views know it: its folder, the core's view, and its parsed schedule. */
export interface TaskEntry {
  /** Absolute path of the workspace folder. */
  folder: string;
  folderName: string;
  view: TaskView;
  /** For the next runs in the tooltip (from the folder's plan). */
  schedule?: Schedule;
  /** The folder executes under Pause All. */
  pausedAll: boolean;
  /**
   * Not from the engine yet: `cache` = the last session's row, `plan` = from the files while the history
   * (state, last result) is read. Shown with a spinner, without actions.
   */
  loading?: 'cache' | 'plan';
  /** The cluster the folder runs on (its store's name): rows then say which member ran what. */
  cluster?: string;
}

export interface TaskGroup { key: string; label: string; icon: string; tasks: TaskEntry[] }

/**
 * The tree's top level: one group per folder (only when more than one is open), one per tag (a task
 * with several tags in each, untagged last), or the tasks themselves.
 */
export function groupTasks(folders: ReadonlyArray<{ folder: string; name: string; tasks: TaskEntry[] }>, grouping: TreeGrouping): TaskGroup[] | TaskEntry[] {
  if (grouping === 'folder' && folders.length > 1) {
    return folders.map((f) => ({ key: `folder:${f.folder}`, label: f.name, icon: 'root-folder', tasks: f.tasks }));
  }
  const tasks = folders.flatMap((f) => f.tasks);
  if (grouping !== 'tag') return tasks;
  const byTag = new Map<string, TaskEntry[]>();
  for (const t of tasks) for (const tag of t.view.tags.length ? t.view.tags : ['']) byTag.set(tag, [...(byTag.get(tag) ?? []), t]);
  return [...byTag.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([tag, list]) => ({ key: `tag:${tag}`, label: tag || 'untagged', icon: 'tag', tasks: list }));
}

export interface ItemModel {
  label: string;
  description: string;
  /** A codicon id (`sync~spin`); `color` a theme colour id. */
  icon: { id: string; color?: string };
  contextValue: string;
}

/** How many upcoming runs a task's tooltip lists. */
const TOOLTIP_NEXT_RUNS = 3;

/** What the engine writes as a task's pause reason when only Pause All pauses it (core/engine/taskState.ts). */
const PAUSE_ALL_REASON = 'all tasks are paused';

const STATE_ICONS: Record<TaskState, { id: string; color?: string }> = {
  running: { id: 'sync~spin' },
  paused: { id: 'debug-pause' },
  failed: { id: 'error', color: 'list.errorForeground' },
  invalid: { id: 'error', color: 'list.errorForeground' },
  scheduled: { id: 'clock' },
  disabled: { id: 'circle-slash' },
  'retry-scheduled': { id: 'history', color: 'list.warningForeground' },
};

/** The state part of contextValue: `task.retry` is shorter than the engine's `retry-scheduled`. */
const STATE_KEYS: Record<TaskState, string> = {
  running: 'task.running', paused: 'task.paused', failed: 'task.failed', invalid: 'task.invalid',
  scheduled: 'task.scheduled', disabled: 'task.disabled', 'retry-scheduled': 'task.retry',
};

/** The task itself is paused (Resume applies), as opposed to paused only by Pause All. */
export function isPausedItself(e: TaskEntry): boolean {
  const reason = e.view.pausedReason;
  if (reason === undefined) return false;
  return !(e.pausedAll && reason === PAUSE_ALL_REASON);
}

export function canPause(e: TaskEntry): boolean {
  return e.view.state !== 'invalid' && !isPausedItself(e);
}

export function canCancel(e: TaskEntry): boolean {
  return e.view.running.length > 0 || e.view.queued > 0;
}

export function hasRetries(e: TaskEntry): boolean {
  const v = e.view;
  return v.retryCount > 0 || v.consecutiveFailures > 0 || v.nextRetryAt !== undefined;
}

/**
 * `task.<state>` then the actions that apply, each as ` +action`: menus match them with
 * `viewItem =~ /\+resumable/`, so Pause and Resume pair up even on a running task that is paused.
 */
export function taskContextValue(e: TaskEntry): string {
  if (e.loading) return 'task.loading';
  const flags: string[] = [];
  if (e.view.state !== 'invalid') flags.push('runnable');
  if (canPause(e)) flags.push('pausable');
  if (isPausedItself(e)) flags.push('resumable');
  if (canCancel(e)) flags.push('cancellable');
  if (hasRetries(e)) flags.push('resettable');
  return [STATE_KEYS[e.view.state], ...flags.map((f) => `+${f}`)].join(' ');
}

/** "in 4 min · ✓ 2 min ago"; the first part says why there is no next run when there is none. */
export function taskDescription(v: TaskView, now: number): string {
  const parts: string[] = [];
  if (v.state === 'invalid') parts.push('invalid');
  else if (v.state === 'running') parts.push(v.running.length > 1 ? `running ×${v.running.length}` : 'running');
  else if (v.state === 'disabled') parts.push('disabled');
  else if (v.state === 'paused') parts.push('paused');
  else if (v.state === 'retry-scheduled' && v.nextRetryAt !== undefined) parts.push(`retry ${relativeTime(v.nextRetryAt, now)}`);
  else if (v.nextRun !== undefined) parts.push(relativeTime(v.nextRun, now));
  else if (!v.scheduleSource || v.scheduleSource === 'manual') parts.push('manual');
  const last = lastResultText(v.lastRun, now);
  if (last) parts.push(last);
  return parts.join(' · ');
}

export function taskItemModel(e: TaskEntry, now: number): ItemModel {
  const host = e.cluster ? hostOf(e.view.lastRun?.executor) : undefined;
  return {
    label: e.view.name,
    description: `${taskDescription(e.view, now)}${host ? ` on ${host}` : ''}`,
    icon: e.loading && e.view.state !== 'invalid' ? { id: 'loading~spin' } : STATE_ICONS[e.view.state] ?? { id: 'clock' },
    contextValue: taskContextValue(e),
  };
}

/** The task's tooltip (Markdown; task-controlled text escaped): schedule in words, next runs, last result and error. */
export function taskTooltip(e: TaskEntry, now: number): string {
  const v = e.view;
  const lines: string[] = [`**${md(v.name)}** — \`${code(v.id)}\``];
  if (v.description) lines.push(md(v.description));
  lines.push(`State: ${md(v.state)}${v.stateReason ? ` — ${md(firstLine(v.stateReason, 500))}` : ''}`);
  if (v.schedule) lines.push(`Schedule: ${md(v.schedule)}${v.scheduleSource && v.scheduleSource !== v.schedule ? ` (\`${code(v.scheduleSource)}\`)` : ''}`);
  else if (v.state !== 'invalid') lines.push('Schedule: manual (runs only when asked)');
  const next = nextRuns(e, now);
  if (next.length) lines.push(`Next runs:\n${next.map((t) => `- ${md(formatWhen(t, e.schedule?.timezone))} (${relativeTime(t, now)})`).join('\n')}`);
  if (v.nextRetryAt !== undefined) lines.push(`Retry ${relativeTime(v.nextRetryAt, now)} (attempt ${v.retryCount + 1})`);
  if (v.lastRun) {
    const last = v.lastRun;
    const took = last.durationMs !== undefined ? ` in ${formatDuration(last.durationMs)}` : '';
    const who = e.cluster ? whoRan(last.executor) : undefined;
    lines.push(`Last run: ${STATUS_GLYPHS[last.status]} ${md(last.status)}${took}${last.endedAt !== undefined ? `, ${relativeTime(last.endedAt, now)}` : ''} (${md(last.trigger)})${who ? ` on ${md(who)}` : ''}`);
    if (last.error) lines.push(`Last error: ${md(firstLine(last.error, 500))}`);
  }
  if (v.tags.length) lines.push(`Tags: ${v.tags.map((t) => `\`${code(t)}\``).join(', ')}`);
  if (e.folderName) lines.push(`Folder: ${md(e.folderName)}${e.cluster ? ` — runs on the cluster "${md(e.cluster)}"` : ''}`);
  if (e.loading) lines.push(e.loading === 'cache' ? '_As last seen; reading the task files…_' : '_Reading the run history…_');
  return lines.join('\n\n');
}

function nextRuns(e: TaskEntry, now: number): number[] {
  const v = e.view;
  if (v.nextRun === undefined || !e.schedule) return v.nextRun === undefined ? [] : [v.nextRun];
  try {
    return [v.nextRun, ...e.schedule.nextRuns(v.nextRun, TOOLTIP_NEXT_RUNS - 1)].slice(0, TOOLTIP_NEXT_RUNS);
  } catch {
    return [v.nextRun]; // a schedule that cannot say must not break the tooltip
  }
}

function formatWhen(at: number, timezone?: string): string {
  try { return formatInstant(at, timezone); } catch { return new Date(at).toISOString(); }
}

/** A run row: "✓ succeeded · 2 min ago · 1.2 s" under its task; in a cluster, "· on web-1 (pid 4242)" too. */
export function runItemModel(run: RunRecord, now: number, onCluster = false): ItemModel {
  const when = run.endedAt ?? run.startedAt ?? run.queuedAt;
  const parts = [relativeTime(when, now)];
  if (run.startedAt !== undefined && run.endedAt !== undefined) parts.push(formatDuration(run.endedAt - run.startedAt));
  // Before the trigger: a narrow view cuts the end of the line, and who ran it matters more there.
  const who = onCluster ? whoRan(run.executor) : undefined;
  if (who) parts.push(`on ${who}`);
  parts.push(run.trigger + (run.attempt > 1 ? ` #${run.attempt}` : ''));
  return {
    label: run.status, // the icon carries the glyph's meaning; a glyph as well would say it twice
    description: parts.join(' · '),
    icon: RUN_ICONS[run.status] ?? { id: 'circle-outline' },
    contextValue: run.status === 'running' || run.status === 'queued' ? 'run.active' : 'run.finished',
  };
}

const RUN_ICONS: Partial<Record<RunStatus, { id: string; color?: string }>> = {
  succeeded: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  'timed-out': { id: 'watch', color: 'testing.iconFailed' },
  cancelled: { id: 'circle-slash' },
  skipped: { id: 'debug-step-over' },
  interrupted: { id: 'warning', color: 'list.warningForeground' },
  running: { id: 'sync~spin' },
  queued: { id: 'ellipsis' },
  missed: { id: 'circle-outline' },
};

export function runTooltip(run: RunRecord, onCluster = false): string {
  const who = onCluster ? whoRan(run.executor) : undefined;
  const lines = [`Run \`${code(run.id)}\` of \`${code(run.taskId)}\`: ${md(run.status)} (${md(run.trigger)}, attempt ${run.attempt})${who ? ` on ${md(who)}` : ''}`];
  if (run.error) lines.push(`Error: ${md(firstLine(run.error, 500))}`);
  lines.push('Click to open its output and result.');
  return lines.join('\n\n');
}

/** Escapes text for Markdown: every syntax character, and HTML's `<`, `>` and `&` as entities. */
export function md(text: string): string {
  return text
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}

/** Text inside a `code span`: backticks cannot be escaped there, so they become a look-alike. */
function code(text: string): string {
  return text.replace(/`/g, 'ˋ').replace(/\r?\n/g, ' ');
}
