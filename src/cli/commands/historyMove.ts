// `history export` (this folder's embedded history → its cluster) and `history import` (its cluster →
// the embedded history): src/core/transfer decides what moves; this opens both ends first — so a bad
// store, an unreachable database or a history of a newer version stops it before anything changed —
// and prints what moved.
import * as os from 'os';
import type { Io } from '../table';
import { flag, has, type Args } from '../args';
import { clusterService } from '../service';
import { workspaceOf } from '../workspace';
import { storeOfFolder } from '../../core/config/store';
import { workspaceDataDir } from '../../core/paths';
import { openEmbeddedEnd } from '../../core/transfer/embedded';
import { moveHistory } from '../../core/transfer/move';
import type { MoveReport } from '../../core/transfer/ends';

export type Direction = 'export' | 'import';

export async function moveCommand(direction: Direction, args: Args, io: Io): Promise<number> {
  const folder = workspaceOf(args);
  const store = storeOfFolder(folder, process.env);
  if (!store) {
    io.err(`history ${direction}: this folder names no cluster to ${direction === 'export' ? 'export to' : 'import from'}: add \`store: { url: "\${env:TASK_SCHEDULER_DATABASE_URL}" }\` to its .scheduler.yaml, or set TASK_SCHEDULER_DATABASE_URL; nothing was changed\n`);
    return 1;
  }
  const cluster = clusterService(args, io, store, { viewOnly: true });
  await cluster.start();
  try {
    const embedded = await openEmbeddedEnd({
      dataDir: flag(args, 'data-dir') ?? workspaceDataDir(folder),
      label: `task-scheduler history ${direction} (pid ${process.pid}) on ${os.hostname()}`,
      mustExist: direction === 'export',
    });
    try {
      const [from, to] = direction === 'export' ? [embedded, cluster.historyEnd()] : [cluster.historyEnd(), embedded];
      const report = await moveHistory(from, to, { dryRun: has(args, 'dry-run') });
      io.out(has(args, 'json') ? `${JSON.stringify(report, null, 2)}\n` : describe(direction, report));
      return 0;
    } finally {
      await embedded.close();
    }
  } finally {
    await cluster.stop();
  }
}

function describe(direction: Direction, r: MoveReport): string {
  const would = r.dryRun ? ' (dry run: nothing was written)' : '';
  const lines = [
    `history ${direction}${would}: from ${r.from}`,
    `  to ${r.to}`,
    `  runs:          ${r.runs.copied} copied, ${r.runs.alreadyThere} already there${r.runs.leftOut ? `, ${r.runs.leftOut} left out (still queued or running)` : ''}`,
    `  task states:   ${r.taskStates.added} added, ${r.taskStates.updated} updated (newer here), ${r.taskStates.kept} kept (newer or the same there)`,
    r.pending.why
      ? `  pending jobs:  ${r.pending.stayed} stayed: ${r.pending.why}`
      : `  pending jobs:  ${r.pending.moved} moved, ${r.pending.alreadyThere} already there`,
  ];
  return `${lines.join('\n')}\n`;
}
