import type { Command } from '../table';
import { has, flag, type Args } from '../args';
import { cliService, stamp } from '../service';
import { formatDuration } from '../../core/duration';

/** The health window `status` reports over: a day is what a user means by "lately". */
const HEALTH_WINDOW_MS = 24 * 3_600_000;

export const statusCommand: Command = {
  usage: 'status [--json]',
  summary: 'Who executes the workspace, and each task\'s state, next run and last result',
  async run(args: Args, io) {
    const service = cliService(args, io, { viewOnly: true });
    await service.start();
    try {
      const tasks = await service.tasks({ tag: flag(args, 'tag') });
      const health = await service.queries().health(HEALTH_WINDOW_MS, Date.now()).catch(() => undefined);
      const executor = service.holder?.label;
      if (has(args, 'json')) {
        io.out(`${JSON.stringify({ workspace: service.folder, executor: executor ?? null, health, tasks }, null, 2)}\n`);
        return 0;
      }
      io.out(`${executor ? `executed by ${executor}` : 'not executing: nothing holds the workspace\'s lease (start `task-scheduler run` or open it in VS Code)'}\n`);
      if (health && health.finished) {
        io.out(`last 24 h: ${health.finished} runs, ${Math.round((health.successRate ?? 0) * 100)}% succeeded, ${health.running} running, ${health.queued} queued\n`);
      }
      for (const t of tasks) {
        const next = t.nextRun !== undefined ? `next ${stamp(t.nextRun)}` : 'no next run';
        const last = t.lastRun ? `last ${t.lastRun.status}${t.lastRun.endedAt ? ` at ${stamp(t.lastRun.endedAt)}` : ''}${t.lastRun.durationMs !== undefined ? ` (${formatDuration(t.lastRun.durationMs)})` : ''}` : 'never ran';
        io.out(`${t.state.padEnd(15)} ${t.id}  ${next}; ${last}${t.stateReason ? `  — ${t.stateReason}` : ''}\n`);
      }
      return 0;
    } finally {
      await service.stop();
    }
  },
};
