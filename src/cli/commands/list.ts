import type { Command } from '../table';
import { has, type Args } from '../args';
import { planFor, relative, workspaceOf } from '../workspace';
import { formatInstant } from '../../core/schedule';

/** How many upcoming runs `list` shows per task. */
const NEXT_COUNT = 3;

export const listCommand: Command = {
  usage: 'list [--json]',
  summary: 'List the tasks with their schedules in words and next runs',
  async run(args: Args, io) {
    const folder = workspaceOf(args);
    const plan = await planFor(folder);
    const now = Date.now();
    const tasks = plan.tasks.map(({ spec, schedule }) => ({
      id: spec.id,
      name: spec.name,
      kind: spec.kind,
      file: relative(folder, spec.file),
      schedule: schedule ? schedule.source : 'manual',
      description: schedule ? schedule.describe() : 'Manual: runs only when started or triggered by a dependency',
      timezone: schedule?.timezone ?? spec.timezone,
      nextRuns: (schedule?.nextRuns(now, NEXT_COUNT) ?? []).map((t) => new Date(t).toISOString()),
      enabled: spec.enabled,
      priority: spec.priority,
      tags: spec.tags,
      dependsOn: spec.dependsOn,
    }));
    const invalid = plan.invalid.map((t) => ({ id: t.id, file: relative(folder, t.file), reason: t.reason }));
    if (has(args, 'json')) {
      io.out(`${JSON.stringify({ workspace: folder, tasks, invalid }, null, 2)}\n`);
      return 0;
    }
    for (const t of tasks) {
      const next = t.nextRuns[0] ? formatInstant(Date.parse(t.nextRuns[0]), t.timezone) : '—';
      io.out(`${t.id}${t.enabled ? '' : ' (disabled)'}\n  ${t.description}\n  next: ${next}\n`);
    }
    for (const t of invalid) io.out(`${t.id} (invalid)\n  ${t.reason}\n`);
    io.out(`${tasks.length} task(s), ${invalid.length} invalid\n`);
    return 0;
  },
};
