// The next runs across tasks, for the status bar's list and `task-scheduler next`.
import type { Core } from './core';
import type { UpcomingRun } from './events';

/** The next `count` runs across tasks (schedule slots and pending jobs), soonest first. */
export function upcomingRuns(core: Core, count: number): UpcomingRun[] {
  const out: UpcomingRun[] = [];
  for (const rt of core.tasks.values()) {
    if (!rt.armed || !rt.schedule || rt.nextSlot === undefined) continue;
    const trigger = rt.schedule.kind === 'once' ? 'once' : 'schedule';
    for (const at of [rt.nextSlot, ...rt.schedule.nextRuns(rt.nextSlot, count - 1)].slice(0, count)) {
      out.push({ taskId: rt.spec.id, name: rt.spec.name, at, trigger });
    }
  }
  for (const job of core.pending.values()) {
    const rt = core.tasks.get(job.taskId);
    if (rt && core.runnable(rt)) out.push({ taskId: job.taskId, name: rt.spec.name, at: job.dueAt, trigger: job.trigger });
  }
  return out.sort((a, b) => a.at - b.at).slice(0, count);
}
