// Rows for a folder whose plan is read but whose history is not open yet (the first second after
// activation): each task as its plan describes it — name, schedule in words, next slot — marked as
// loading. The engine's views (state, last result, retries) replace them as soon as history is read.
// No `vscode` import (unit-tested).
import type { TaskView } from '../core/engine';
import type { WorkspacePlan } from '../core/workspace/plan';

export function planViews(plan: Pick<WorkspacePlan, 'tasks' | 'invalid'>, now: number): TaskView[] {
  const views: TaskView[] = plan.tasks.map(({ spec, schedule }) => {
    let described: string | undefined;
    let nextRun: number | undefined;
    try {
      described = schedule?.describe();
      nextRun = spec.enabled ? schedule?.next(now) : undefined;
    } catch { /* a schedule that cannot say leaves the row without it */ }
    return {
      id: spec.id, name: spec.name, description: spec.description, file: spec.file, kind: spec.kind, tags: spec.tags,
      priority: spec.priority, state: spec.enabled ? 'scheduled' : 'disabled', schedule: described, scheduleSource: schedule?.source,
      nextRun, running: [], queued: 0, retryCount: 0, consecutiveFailures: 0,
    };
  });
  for (const inv of plan.invalid) {
    views.push({
      id: inv.id, name: inv.name, file: inv.file, kind: inv.file.endsWith('.task.ts') ? 'module' : 'command', tags: [], priority: 'normal',
      state: 'invalid', stateReason: inv.reason, running: [], queued: 0, retryCount: 0, consecutiveFailures: 0,
    });
  }
  return views;
}
