// What every target decides the same way for a task: whether there is anything to schedule, what runs
// it (`task-scheduler run-now`, which also runs its dependents, as the engine's waves do), and the
// options no target has (priority, a shared concurrency limit).
import type { Schedule } from '../schedule';
import type { ExportInput, ExportTask } from './types';

/** The schedule's parts: one per entry of a schedule list. */
export function scheduleParts(schedule: Schedule): Schedule[] {
  const parts = (schedule as { parts?: readonly Schedule[] }).parts;
  return parts ? [...parts] : [schedule];
}

/** Why a task gets no timer, line or CronJob at all (not an error), or undefined. */
export function skipReason(task: ExportTask): string | undefined {
  const { spec, schedule } = task;
  if (!spec.enabled) return 'disabled (enabled: false)';
  if (!schedule) {
    const roots = spec.dependsOn.map((d) => d.task);
    return roots.length
      ? `manual: it runs after ${roots.join(', ')} (dependsOn), and \`run-now\` of ${roots.length > 1 ? 'those runs' : 'that runs'} it; no schedule of its own`
      : 'manual: it has no schedule; run it with `task-scheduler run-now`';
  }
  if (schedule.kind === 'now') return '"now": it runs once when a scheduler loads it; run it once with `task-scheduler run-now`';
  if (schedule.kind === 'once' && scheduleParts(schedule).every((p) => p.kind === 'once' && p.at! <= Date.now())) {
    return 'its one-time run is in the past';
  }
  return undefined;
}

/** Why no target can run it headless, or undefined. */
export function refuseReason(task: ExportTask): string | undefined {
  const { spec } = task;
  if (spec.kind === 'vscodeCommand') return `it runs the VS Code command ${spec.vscodeCommand}, which exists only inside VS Code`;
  if (spec.kind === 'vscodeTask') return `it runs the VS Code task "${spec.vscodeTask}", which exists only inside VS Code`;
  return undefined;
}

/** The notes every target shares: dependents run along, priority and the concurrency limit are not kept. */
export function commonNotes(task: ExportTask, input: ExportInput): string[] {
  const notes: string[] = [];
  const dependents = input.tasks.filter((t) => t.spec.dependsOn.some((d) => d.task === task.spec.id)).map((t) => t.spec.id);
  if (dependents.length) notes.push(`run-now also runs what depends on it (${dependents.join(', ')}), as the engine does`);
  if (task.spec.dependsOn.length) {
    notes.push(`dependsOn ${task.spec.dependsOn.map((d) => d.task).join(', ')}: its own schedule runs it without waiting for them, as the engine does; after them it runs through their run-now`);
  }
  if (task.spec.priority !== 'normal') {
    notes.push(`priority ${task.spec.priority} is not kept: it orders Task Scheduler's queue under its concurrency limit (${input.concurrency}), and the target starts every task on its own`);
  }
  return notes;
}

/** The argv of one run: the CLI, `run-now <id>`, the workspace. */
export function runArgv(input: ExportInput, taskId: string, folder = input.folder): string[] {
  return [...input.command, 'run-now', taskId, '--workspace', folder];
}

/** The zone a task's schedule runs in. */
export function zoneOf(task: ExportTask, input: ExportInput): string {
  return task.schedule?.timezone ?? input.machineZone;
}

/** A name part from a task id: `tasks/daily-report` → `tasks-daily-report`. */
export function slug(id: string, allowed: RegExp, lower = false): string {
  const s = (lower ? id.toLowerCase() : id).replace(/\//g, '-').split('').map((c) => (allowed.test(c) ? c : '-')).join('');
  return s.replace(/-+/g, '-').replace(/^-|-$/g, '') || 'task';
}
