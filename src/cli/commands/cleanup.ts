import type { Command } from '../table';
import { flag, type Args } from '../args';
import { cliService } from '../service';

export const cleanupCommand: Command = {
  usage: 'cleanup --days N',
  summary: 'Delete finished runs older than N days from the history',
  async run(args: Args, io) {
    const days = Number(flag(args, 'days'));
    if (!Number.isFinite(days) || days < 0) { io.err('cleanup: --days N is required (a number of days ≥ 0)\n'); return 2; }
    const service = cliService(args, io, { warmSpare: false, oneShot: true });
    await service.start();
    try {
      const result = await service.act({ action: 'cleanup', olderThanDays: days }) as { deleted: number };
      io.out(`deleted ${result.deleted} run(s) older than ${days} day(s)\n`);
      return 0;
    } finally {
      await service.stop();
    }
  },
};
