// From what the core reports (task views, runs, health, last errors, planned slots) to the one payload
// the dashboard webview renders. Pure and free of `vscode`, so plain mocha tests it; the panel only
// gathers the inputs (collect.ts) and posts the result.
import type { TaskView } from '../../core/engine';
import type { Health, RunRecord } from '../../core/ports';
import type { ClusterInfo } from '../../core/cluster/window';
import { whoRan } from '../who';
import type { ClusterData, DashboardData, ErrorData, FolderData, FolderRole, HealthData, TaskActions, TaskRow, TimelineRun, TimelineUpcoming } from './protocol';
import { WINDOW_MS } from './timeline';

/** The last errors the dashboard lists per task (DESIGN: "last errors per task"). */
export const ERRORS_PER_TASK = 5;
/**
 * Text a task controls is cut to this many characters: a name or an error longer than this is not read,
 * only scrolled past, and it would make every update message that much bigger.
 */
export const MAX_NAME_CHARS = 1_000;
export const MAX_ERROR_CHARS = 4_000;

/** Everything about one workspace folder, as collect.ts read it. */
export interface FolderSnapshot {
  folder: string;
  name: string;
  role: FolderRole;
  holder?: string;
  problem?: string;
  tasks: TaskView[];
  /** Recent runs, any order. */
  runs: RunRecord[];
  health?: Health;
  /** Per task id: its newest failed runs. */
  errors: ReadonlyMap<string, readonly RunRecord[]>;
  /** Per task id: its planned slots in the window (not retries: those come from the view's nextRetryAt). */
  upcoming: ReadonlyMap<string, readonly number[]>;
  /** A cluster folder: what this window knows of its cluster. */
  cluster?: ClusterInfo;
}

export function buildDashboard(folders: readonly FolderSnapshot[], now: number): DashboardData {
  const from = now - WINDOW_MS;
  const to = now + WINDOW_MS;
  const tasks: TaskRow[] = [];
  const runs: TimelineRun[] = [];
  const upcoming: TimelineUpcoming[] = [];
  const tags = new Set<string>();

  for (const f of folders) {
    // A cluster's actions go to the cluster: any window connected to it may ask.
    const mayAct = f.cluster ? f.cluster.status === 'up' : f.role === 'executor';
    for (const view of f.tasks) {
      view.tags.forEach((t) => tags.add(t));
      tasks.push(taskRow(f.folder, view, f.errors.get(view.id) ?? [], mayAct, !!f.cluster));
      for (const at of f.upcoming.get(view.id) ?? []) {
        if (at >= now && at <= to) upcoming.push({ folder: f.folder, taskId: view.id, at, kind: 'schedule' });
      }
      if (view.nextRetryAt !== undefined && view.nextRetryAt <= to) {
        upcoming.push({ folder: f.folder, taskId: view.id, at: Math.max(now, view.nextRetryAt), kind: 'retry' });
      }
    }
    for (const r of f.runs) {
      const run = timelineRun(f.folder, r, now, !!f.cluster);
      if (run && (run.end ?? now) >= from && run.start <= to) runs.push(run);
    }
  }

  return {
    now,
    folders: folders.map(folderData),
    health: combineHealth(folders.map((f) => f.health).filter((h): h is Health => !!h), WINDOW_MS),
    tasks,
    timeline: { from, to, runs, upcoming },
    tags: [...tags].sort((a, b) => a.localeCompare(b)),
  };
}

export function taskRow(folder: string, v: TaskView, errors: readonly RunRecord[], mayAct: boolean, onCluster = false): TaskRow {
  const row: TaskRow = {
    folder,
    id: v.id,
    name: cut(v.name || v.id, MAX_NAME_CHARS),
    schedule: v.schedule ?? (v.state === 'invalid' ? '—' : 'Manually'),
    state: v.state,
    tags: v.tags.map((t) => cut(t, MAX_NAME_CHARS)),
    retryCount: v.retryCount,
    consecutiveFailures: v.consecutiveFailures,
    running: v.running.length,
    queued: v.queued,
    actions: actionsFor(v, mayAct),
    errors: errors.slice(0, ERRORS_PER_TASK).map(errorData),
  };
  if (v.description) row.description = cut(v.description, MAX_ERROR_CHARS);
  if (v.scheduleSource) row.scheduleSource = cut(v.scheduleSource, MAX_NAME_CHARS);
  const reason = v.stateReason ?? v.pausedReason;
  if (reason) row.stateReason = cut(reason, MAX_ERROR_CHARS);
  if (v.nextRun !== undefined) row.nextRun = v.nextRun;
  if (v.nextRetryAt !== undefined) row.nextRetryAt = v.nextRetryAt;
  if (v.lastRun) {
    row.lastRun = { status: v.lastRun.status, endedAt: v.lastRun.endedAt, durationMs: v.lastRun.durationMs };
    const member = onCluster ? whoRan(v.lastRun.executor) : undefined;
    if (member) row.lastRun.member = member;
  }
  return row;
}

/** What a row offers. The host re-checks the same rules against its own view before acting. */
export function actionsFor(v: Pick<TaskView, 'state' | 'running' | 'queued' | 'retryCount'>, mayAct: boolean): TaskActions {
  const live = mayAct && v.state !== 'invalid';
  return {
    runNow: live && v.state !== 'disabled',
    pause: live && v.state !== 'paused' && v.state !== 'disabled',
    resume: live && v.state === 'paused',
    cancel: live && (v.running.length > 0 || v.queued > 0),
    resetRetries: live && (v.retryCount > 0 || v.state === 'retry-scheduled' || v.state === 'failed'),
  };
}

function errorData(r: RunRecord): ErrorData {
  return {
    runId: r.id,
    status: r.status,
    at: r.endedAt ?? r.startedAt ?? r.queuedAt,
    attempt: r.attempt,
    message: cut(r.error ?? `${r.status}${r.exitCode !== undefined && r.exitCode !== null ? ` (exit code ${r.exitCode})` : ''}`, MAX_ERROR_CHARS),
  };
}

/** A run as the timeline draws it: from its start (or when it was due) to its end; undefined if it never had a time. */
function timelineRun(folder: string, r: RunRecord, now: number, onCluster = false): TimelineRun | undefined {
  if (r.status === 'queued') return undefined; // not begun: the queue count says it, the picture shows what ran
  const start = r.startedAt ?? r.scheduledFor ?? r.endedAt ?? r.queuedAt;
  const end = r.status === 'running' ? undefined : (r.endedAt ?? start);
  const run: TimelineRun = { folder, taskId: r.taskId, status: r.status, trigger: r.trigger, start, end: end === undefined ? undefined : Math.min(end, now) };
  const member = onCluster ? whoRan(r.executor) : undefined;
  if (member) run.member = member;
  return run;
}

function folderData(f: FolderSnapshot): FolderData {
  const d: FolderData = { key: f.folder, name: f.name, role: f.role };
  if (f.holder) d.holder = f.holder;
  if (f.problem) d.problem = f.problem;
  if (f.cluster) d.cluster = clusterData(f.cluster);
  return d;
}

/** The cluster as the page shows it: members with their figures, this window's part, what is wrong. */
export function clusterData(c: ClusterInfo): ClusterData {
  const d: ClusterData = {
    name: c.cluster, status: c.status, joined: c.joined, differing: c.differing,
    members: c.members.map((m) => {
      const row = {
        id: m.id, label: cut(m.label, MAX_NAME_CHARS), host: cut(m.host, MAX_NAME_CHARS), pid: m.pid, version: cut(m.version, MAX_NAME_CHARS),
        since: m.since, heartbeatAt: m.heartbeatAt, running: m.running, definitionsMatch: m.definitionsMatch,
        definitions: m.definitions.slice(0, 8), state: m.state, self: m.id === c.memberId,
      } as ClusterData['members'][number];
      if (m.standby) row.standby = cut(m.standby, MAX_ERROR_CHARS);
      if (m.goneAt !== undefined) row.goneAt = m.goneAt;
      return row;
    }),
  };
  if (c.database) d.database = c.database;
  if (c.problem) d.problem = cut(c.problem, MAX_ERROR_CHARS);
  if (c.retryAt !== undefined) d.retryAt = c.retryAt;
  if (c.memberRole) d.memberRole = c.memberRole;
  return d;
}

/** Several folders' health as one: sums, and the average duration weighted by finished runs. */
export function combineHealth(all: readonly Health[], windowMs: number): HealthData {
  const out: HealthData = { windowMs, finished: 0, succeeded: 0, running: 0, queued: 0 };
  let weighted = 0;
  let weight = 0;
  for (const h of all) {
    out.finished += h.finished;
    out.succeeded += h.succeeded;
    out.running += h.running;
    out.queued += h.queued;
    if (h.averageDurationMs !== undefined && h.finished > 0) {
      weighted += h.averageDurationMs * h.finished;
      weight += h.finished;
    }
  }
  if (out.finished > 0) out.successRate = out.succeeded / out.finished;
  if (weight > 0) out.averageDurationMs = weighted / weight;
  return out;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
