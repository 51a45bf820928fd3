// The status-bar item: the soonest next run (`$(watch) backup in 4m`), how many run now, a failure
// marker; its tooltip lists the next 5 runs; a click opens the task quick pick. A setting hides it.
import * as vscode from 'vscode';
import { formatInstant } from '../core/schedule';
import { relativeTime } from './format';
import { CommandId, SETTINGS, STATUS_BAR_ID } from './ids';
import { clusterStatusText, clusterTooltipLines } from './clusterText';
import { statusText, upcoming } from './statusModel';
import type { TaskStore } from './taskStore';
import { md, type TaskEntry } from './treeItems';

/** Upcoming runs in the tooltip. */
const TOOLTIP_RUNS = 5;
/** "in 4m" goes stale; a redraw this often keeps it within a minute's rounding. */
const REDRAW_MS = 15_000;
/** While a cluster is unreachable the next attempt counts down in seconds. */
const DOWN_REDRAW_MS = 1_000;

function tooltip(tasks: TaskEntry[], now: number, clusterLines: string[] = []): vscode.MarkdownString {
  const lines = ['**Task Scheduler** — next runs', ''];
  for (const l of clusterLines) lines.push(`- ${md(l)}`);
  if (clusterLines.length) lines.push('');
  const next = upcoming(tasks, TOOLTIP_RUNS);
  if (!next.length) lines.push('Nothing is scheduled.');
  for (const { entry, at } of next) {
    let when: string;
    try { when = formatInstant(at, entry.schedule?.timezone); } catch { when = new Date(at).toISOString(); }
    lines.push(`- ${md(entry.view.name)} — ${relativeTime(at, now)} (${md(when)})`);
  }
  const failed = tasks.filter((t) => t.view.state === 'failed' || t.view.state === 'invalid');
  if (failed.length) lines.push('', `$(error) ${failed.length} failed or invalid: ${failed.slice(0, 5).map((t) => md(t.view.name)).join(', ')}`);
  lines.push('', 'Click for the tasks.');
  const result = new vscode.MarkdownString(lines.join('\n'), true);
  result.isTrusted = false;
  return result;
}

export function registerStatusBar(store: TaskStore): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 10);
  item.name = 'Task Scheduler';
  item.command = CommandId.ShowTasks;
  const draw = () => {
    if (!vscode.workspace.isTrusted) {
      item.text = '$(workspace-untrusted) Tasks not run';
      item.tooltip = 'Task Scheduler: this workspace is not trusted, so its task files are not compiled, imported or run.';
      return;
    }
    const tasks = store.tasks();
    const now = Date.now();
    const clusters = store.folders().map((f) => f.cluster).filter((c) => !!c);
    const cluster = clusterStatusText(clusters, now);
    item.text = cluster ? `${statusText(tasks, now)}  ${cluster}` : statusText(tasks, now);
    item.tooltip = tasks.length || clusters.length ? tooltip(tasks, now, clusterTooltipLines(clusters, now)) : 'Task Scheduler: no scheduled tasks in this workspace';
    item.backgroundColor = clusters.some((c) => c.status === 'failed') ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // While a cluster is down, "retry in 8s" counts down.
    const down = clusters.some((c) => c.status === 'down');
    if (down && !fast) fast = setInterval(draw, DOWN_REDRAW_MS);
    else if (!down && fast) { clearInterval(fast); fast = undefined; }
  };
  let fast: NodeJS.Timeout | undefined;
  const apply = () => {
    const enabled = vscode.workspace.getConfiguration().get<boolean>(SETTINGS.statusBarEnabled.key, SETTINGS.statusBarEnabled.default);
    if (enabled) item.show(); else item.hide();
  };
  draw();
  apply();
  const timer = setInterval(draw, REDRAW_MS);
  return [
    item,
    store.onDidChange(draw),
    vscode.workspace.onDidGrantWorkspaceTrust(draw),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SETTINGS.statusBarEnabled.key)) apply(); }),
    { dispose: () => { clearInterval(timer); if (fast) clearInterval(fast); } },
  ];
}
