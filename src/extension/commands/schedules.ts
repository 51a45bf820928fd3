// Reset Schedules…: forget the slots tasks missed (a backlog after downtime) and follow their schedules
// from now, so a catch-up policy does not run them. A dry run first tells which tasks are overdue; those
// come pre-selected in the pick.
import * as vscode from 'vscode';
import type { ScheduleReset } from '../../core/engine';
import { plainText, relativeTime } from '../format';
import type { TaskEntry } from '../treeItems';
import { serviceOf, settled, taskOf, type CommandDeps } from './deps';

export interface ResetSchedulesOptions {
  /** Task ids (or `'all'`): reset these without asking. */
  taskIds?: string[] | 'all';
  /** Only tasks with a backlog (a slot fell due and did not run). */
  overdueOnly?: boolean;
}

interface Probe { entry: TaskEntry; reset: ScheduleReset }

async function probe(deps: CommandDeps, entry: TaskEntry): Promise<Probe | undefined> {
  const reset = await serviceOf(deps, entry).act({ action: 'resetSchedule', taskId: entry.view.id, dryRun: true }) as ScheduleReset;
  // Manual and `now` tasks have no schedule to follow.
  return reset.nextRun === undefined ? undefined : { entry, reset };
}

/** Returns the ids of the tasks it reset. */
export async function resetSchedules(deps: CommandDeps, options: ResetSchedulesOptions = {}): Promise<string[]> {
  await settled(deps);
  const candidates = options.taskIds === undefined || options.taskIds === 'all'
    ? deps.store.tasks().filter((e) => e.view.state !== 'invalid' && !e.loading)
    : options.taskIds.map((id) => taskOf(deps, id)!);
  const probes = (await Promise.all(candidates.map((e) => probe(deps, e)))).filter((p): p is Probe => !!p)
    .filter((p) => !options.overdueOnly || p.reset.overdue);
  let chosen: Probe[];
  if (options.taskIds !== undefined) {
    chosen = probes;
  } else {
    if (!probes.length) {
      void vscode.window.showInformationMessage('Task Scheduler: no task follows a schedule, so there is nothing to reset.');
      return [];
    }
    const now = Date.now();
    const items = probes.map((p) => ({
      label: plainText(p.entry.view.name),
      description: plainText(p.entry.view.schedule ?? ''),
      detail: p.reset.overdue
        ? `overdue: a slot since ${p.reset.lastSlot !== undefined ? relativeTime(p.reset.lastSlot, now) : 'its first'} did not run · next ${relativeTime(p.reset.nextRun!, now)} after the reset`
        : `up to date · next ${relativeTime(p.reset.nextRun!, now)}`,
      picked: p.reset.overdue,
      probe: p,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Task Scheduler: Reset Schedules', canPickMany: true, matchOnDetail: true,
      placeHolder: 'Tasks to follow from now (their missed slots are not caught up)',
    });
    if (!picked?.length) return [];
    chosen = picked.map((i) => i.probe);
  }
  const done: string[] = [];
  for (const { entry } of chosen) {
    const result = await serviceOf(deps, entry).act({ action: 'resetSchedule', taskId: entry.view.id }) as ScheduleReset;
    if (result.changed) done.push(entry.view.id);
  }
  deps.log.info(`schedules reset: ${done.join(', ') || 'none'}`);
  await deps.store.refresh();
  if (options.taskIds === undefined) void vscode.window.showInformationMessage(`Task Scheduler: ${done.length} schedule(s) now follow from now.`);
  return done;
}
