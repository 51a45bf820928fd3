// The status-bar item's text and the upcoming runs its tooltip lists, from the tasks. No `vscode`
// import (unit-tested).
import { plainText, shortSpan } from './format';
import type { TaskEntry } from './treeItems';

/** A name longer than this is cut in the status bar (the tooltip has it whole). */
const MAX_NAME = 24;

export interface UpcomingEntry { entry: TaskEntry; at: number }

/** The next `count` runs across tasks, soonest first (each task's next run and the ones after it). */
export function upcoming(tasks: TaskEntry[], count: number): UpcomingEntry[] {
  const out: UpcomingEntry[] = [];
  // Only a task whose next run is among the `count` soonest can have a run among the `count` soonest:
  // the others' schedules are not asked (with 200 tasks, this is redrawn on every change).
  const nexts = tasks.map((t) => t.view.nextRun).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
  const latest = nexts[Math.min(count, nexts.length) - 1] ?? -Infinity;
  for (const entry of tasks) {
    const next = entry.view.nextRun;
    if (next === undefined || next > latest) continue;
    out.push({ entry, at: next });
    try {
      for (const at of entry.schedule?.nextRuns(next, count - 1) ?? []) out.push({ entry, at });
    } catch { /* the first is enough */ }
  }
  return out.sort((a, b) => a.at - b.at).slice(0, count);
}

/** `$(watch) backup in 4m  $(sync~spin) 1  $(error) 2`. */
export function statusText(tasks: TaskEntry[], now: number): string {
  if (!tasks.length) return '$(watch) No tasks';
  const [soonest] = upcoming(tasks, 1);
  const parts = [soonest ? `$(watch) ${cut(soonest.entry.view.name)} in ${shortSpan(soonest.at, now)}` : '$(watch) No runs scheduled'];
  const running = tasks.reduce((n, t) => n + t.view.running.length, 0);
  if (running) parts.push(`$(sync~spin) ${running}`);
  const failed = tasks.filter((t) => t.view.state === 'failed' || t.view.state === 'invalid').length;
  if (failed) parts.push(`$(error) ${failed}`);
  return parts.join('  ');
}

function cut(name: string): string {
  // `$(` would start an icon: the name is text. Line breaks would break the item.
  const text = plainText(name).replace(/\s+/g, ' ');
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text;
}
