import type { Command } from '../table';
import { has, flag, type Args } from '../args';
import { cliService, stamp } from '../service';
import { formatDuration } from '../../core/duration';
import { moveCommand } from './historyMove';

const DEFAULT_LIMIT = 20;

export const historyCommand: Command = {
  usage: 'history [task] [--limit N] [--json] | history export|import [--dry-run] [--json]',
  summary: 'Recent runs, newest first, with status, duration and error; `export` copies this folder\'s embedded history into its cluster, `import` the cluster\'s into the embedded one',
  async run(args: Args, io) {
    const sub = args.positionals[0];
    if ((sub === 'export' || sub === 'import') && !has(args, 'task')) return moveCommand(sub, args, io);
    const limit = Number(flag(args, 'limit') ?? DEFAULT_LIMIT);
    if (!Number.isInteger(limit) || limit < 1) { io.err('history: --limit must be a whole number ≥ 1\n'); return 2; }
    const service = cliService(args, io, { viewOnly: true });
    await service.start();
    try {
      const runs = await service.queries().runs({ taskId: flag(args, 'task') ?? args.positionals[0], limit });
      if (has(args, 'json')) { io.out(`${JSON.stringify(runs, null, 2)}\n`); return 0; }
      if (!runs.length) io.out('no runs recorded\n');
      for (const r of runs) {
        const took = r.startedAt !== undefined && r.endedAt !== undefined ? ` ${formatDuration(r.endedAt - r.startedAt)}` : '';
        io.out(`${stamp(r.startedAt ?? r.queuedAt)}  ${r.status.padEnd(11)} ${r.taskId} (${r.trigger}, attempt ${r.attempt})${took}${r.error ? `\n    ${r.error.split('\n')[0]}` : ''}\n`);
      }
      return 0;
    } finally {
      await service.stop();
    }
  },
};
