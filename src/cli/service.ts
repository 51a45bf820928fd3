// Starting a WorkspaceService from the CLI, and printing what it does.
import * as os from 'os';
import type { Args } from './args';
import { flag } from './args';
import type { Io } from './table';
import { leaseTimingsFromEnv } from '../core/lease';
import { runtimeFromDist } from '../core/workspace/runtime';
import { WorkspaceService, type ServiceEvent, type WorkspaceServiceOptions } from '../core/service/workspaceService';
import { formatDuration } from '../core/duration';
import { formatDiagnostic } from '../core/model';
import { workspaceOf } from './workspace';
import { storeOfFolder } from '../core/config/store';
import { loadCluster } from '../core/clusterChunk';
import type { SchedulerService } from '../core/service/api';
import { VERSION } from './version';
import type { ClusterService, StoreSettings } from '../core/cluster';

function commonOptions(args: Args, io: Io) {
  const verbose = args.flags.has('verbose');
  return {
    folder: workspaceOf(args),
    runtime: runtimeFromDist(__dirname),
    ownerLabel: `task-scheduler ${args.positionals[0] ?? 'run'} (pid ${process.pid}) on ${os.hostname()}`,
    dataDir: flag(args, 'data-dir'),
    log: (level: string, message: string) => { if (verbose || level === 'error' || level === 'warn') io.err(`${stamp()} ${level}: ${message}\n`); },
  };
}

/**
 * The folder's service: a member of its cluster when a store is configured (`store:` in .scheduler.yaml,
 * or TASK_SCHEDULER_DATABASE_URL) — the cluster chunk is loaded only then — else the one executor.
 */
export function cliService(args: Args, io: Io, extra: Partial<WorkspaceServiceOptions> = {}): SchedulerService {
  const folder = workspaceOf(args);
  const common = commonOptions(args, io);
  const store = storeOfFolder(folder, process.env);
  if (store) return clusterService(args, io, store, extra);
  return new WorkspaceService({
    ...common,
    lease: leaseTimingsFromEnv(process.env),
    readHistoryInProcess: true, // see WorkspaceServiceOptions: no worker teardown for one-shot reads
    ...extra,
  });
}

/** The folder as a member of (or, view-only, a window onto) the cluster its store names; loads the cluster chunk. */
export function clusterService(args: Args, io: Io, store: StoreSettings, extra: Partial<WorkspaceServiceOptions> = {}): ClusterService {
  const cluster = loadCluster();
  const perMember = Number(flag(args, 'concurrency') ?? process.env.TASK_SCHEDULER_MEMBER_CONCURRENCY);
  const { oneShot, lease, readHistoryInProcess, ...rest } = extra;
  void lease; void readHistoryInProcess;
  return new cluster.ClusterService({
    ...commonOptions(args, io), ...rest, store, version: VERSION, timings: cluster.clusterTimingsFromEnv(process.env),
    memberConcurrency: Number.isInteger(perMember) && perMember > 0 ? perMember : undefined,
    // A short-lived command only looks and asks: the members execute.
    viewOnly: extra.viewOnly || oneShot,
  });
}

export function stamp(at = Date.now()): string {
  return new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** One line per thing worth seeing in a foreground `run`. */
export function describeEvent(e: ServiceEvent, folder: string): string | undefined {
  switch (e.type) {
    case 'run-started': return `${stamp(e.run.startedAt)} ▶ ${e.run.taskId} started (${e.run.trigger}${e.run.attempt > 1 ? `, attempt ${e.run.attempt}` : ''})`;
    case 'run-finished': {
      const r = e.run;
      const took = r.startedAt !== undefined && r.endedAt !== undefined ? ` in ${formatDuration(r.endedAt - r.startedAt)}` : '';
      const mark = r.status === 'succeeded' ? '✓' : r.status === 'skipped' || r.status === 'missed' ? '·' : '✗';
      return `${stamp(r.endedAt)} ${mark} ${r.taskId} ${r.status}${took}${r.error ? `: ${firstLine(r.error)}` : ''}`;
    }
    case 'run-output': return `    ${e.taskId} │ ${e.line}`;
    case 'retry-scheduled': return `${stamp()} ↻ ${e.job.taskId} retry ${e.job.attempt} at ${stamp(e.job.dueAt)}`;
    case 'missed': return `${stamp()} · ${e.taskId} missed ${e.count}${e.countIsLowerBound ? '+' : ''} slot(s) from ${stamp(e.from)} to ${stamp(e.to)}`;
    case 'task-paused': return `${stamp()} ⏸ ${e.taskId} paused${e.reason ? `: ${e.reason}` : ''}`;
    case 'task-resumed': return `${stamp()} ⏵ ${e.taskId} resumed`;
    case 'pause-all-changed': return `${stamp()} ${e.paused ? '⏸ all tasks paused' : '⏵ all tasks resumed'}`;
    case 'warning': return `${stamp()} warning: ${e.message}`;
    case 'error': return `${stamp()} error: ${e.message}`;
    case 'role-changed':
      if (e.role === 'executor') return `${stamp()} executing this workspace's tasks`;
      if (e.role === 'viewer') return `${stamp()} ${e.holder ? `${e.holder.label} executes this workspace's tasks` : 'another process executes this workspace\'s tasks'}; standing by to take over`;
      return undefined;
    // A file set aside, damaged journal lines skipped: each reason names what was kept, and where.
    case 'history-opened': return e.report.reason ? `${stamp()} history: ${e.report.reason}` : undefined;
    case 'plan-loaded': {
      const lines = e.plan.diagnostics.map((d) => `  ${formatDiagnostic(d, folder)}`);
      return [`${stamp()} ${e.plan.tasks.length} task(s), ${e.plan.invalid.length} invalid`, ...lines].join('\n');
    }
    default: return undefined;
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
