import type { Command } from '../table';
import { has, type Args } from '../args';
import { cliService, stamp } from '../service';
import type { ScheduleReset } from '../../core/engine';

export const resetCommand: Command = {
  usage: 'reset [--dry-run] [--future-only] [--task ID]… [--all]',
  summary: 'Forget missed slots (a backlog after downtime) and follow schedules from now',
  async run(args: Args, io) {
    const named = args.flags.get('task') ?? [];
    if (!named.length && !has(args, 'all')) { io.err('reset: name tasks with --task ID (repeatable), or --all\n'); return 2; }
    const dryRun = has(args, 'dry-run');
    const service = cliService(args, io, { warmSpare: false, oneShot: true });
    await service.start();
    try {
      const known = service.plan?.tasks.map((t) => t.spec.id) ?? [];
      const unknown = named.filter((id) => !known.includes(id));
      if (unknown.length) { io.err(`reset: no task ${unknown.map((u) => `"${u}"`).join(', ')} (see \`task-scheduler list\`)\n`); return 1; }
      const ids = named.length ? named : known;
      let chosen = 0;
      for (const taskId of ids) {
        // --future-only: only tasks with a backlog; a dry run first tells which.
        const probe = await service.act({ action: 'resetSchedule', taskId, dryRun: true }) as ScheduleReset;
        if (probe.nextRun === undefined) continue; // manual or `now`: nothing to follow
        if (has(args, 'future-only') && !probe.overdue) continue;
        const result = dryRun ? probe : await service.act({ action: 'resetSchedule', taskId }) as ScheduleReset;
        if (!dryRun && !result.changed) continue;
        chosen++;
        const from = probe.lastSlot !== undefined ? stamp(probe.lastSlot) : 'never';
        const next = result.nextRun !== undefined ? stamp(result.nextRun) : '—';
        io.out(`${dryRun ? 'would reset' : 'reset'} ${taskId}: last slot ${from}${probe.overdue ? ' (overdue)' : ''} → next ${next}\n`);
      }
      io.out(`${chosen} task(s) ${dryRun ? 'would be ' : ''}reset\n`);
      return 0;
    } finally {
      await service.stop();
    }
  },
};
