import type { Command, Io } from '../table';
import { has, flag, type Args } from '../args';
import { cliService, stamp } from '../service';
import { formatDuration } from '../../core/duration';
import type { SchedulerService } from '../../core/service/api';
import type { ClusterStatus } from '../../core/cluster';

/** The health window `status` reports over: a day is what a user means by "lately". */
const HEALTH_WINDOW_MS = 24 * 3_600_000;

type WithCluster = SchedulerService & { status?: () => Promise<ClusterStatus> };

export const statusCommand: Command = {
  usage: 'status [--json]',
  summary: 'Who executes the workspace (a cluster: its members), and each task\'s state, next run and last result',
  async run(args: Args, io) {
    const service = cliService(args, io, { viewOnly: true }) as WithCluster;
    await service.start();
    try {
      const tasks = await service.tasks({ tag: flag(args, 'tag') });
      const health = await service.queries().health(HEALTH_WINDOW_MS, Date.now()).catch(() => undefined);
      const cluster = service.status ? await service.status() : undefined;
      const executor = cluster ? cluster.members.find((m) => !m.standby)?.label : service.holder?.label;
      if (has(args, 'json')) {
        io.out(`${JSON.stringify({ workspace: service.folder, executor: executor ?? null, ...(cluster ? { cluster } : {}), health, tasks }, null, 2)}\n`);
        return 0;
      }
      if (cluster) printCluster(io, cluster);
      else io.out(`${executor ? `executed by ${executor}` : 'not executing: nothing holds the workspace\'s lease (start `task-scheduler run` or open it in VS Code)'}\n`);
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

function printCluster(io: Io, c: ClusterStatus): void {
  io.out(`cluster "${c.cluster}" on ${c.database}: ${c.members.length} member(s)${c.pausedAll ? ', all tasks paused' : ''}${c.staleWritesRefused ? `, ${c.staleWritesRefused} stale write(s) refused` : ''}\n`);
  if (!c.members.length) io.out('  no member is running: start `task-scheduler run` on a server\n');
  const now = Date.now();
  for (const m of c.members) {
    const state = m.standby ? `standing by: ${m.standby}` : m.definitionsMatch ? 'active' : 'definitions differ';
    io.out(`  ${m.label} — ${m.host} pid ${m.pid}, v${m.version}, since ${stamp(m.since)}, heartbeat ${formatDuration(Math.max(0, now - m.heartbeatAt))} ago, ${m.running} running, definitions ${m.definitions.slice(0, 8)}: ${state}\n`);
  }
  for (const r of c.running) io.out(`  running ${r.taskId} (${r.runId}) on ${r.member}${r.startedAt ? ` since ${stamp(r.startedAt)}` : ''}\n`);
}
