// Every message between the dashboard webview and the extension host, as one discriminated union per
// direction. Both sides import this file (the webview script is bundled from it for the browser), so it
// holds only types and pure checks: no `vscode`, no Node, no DOM. Each side validates what it receives
// with the parse functions below; anything that does not match is dropped, never half-used.
import type { RunStatus, TaskState, Trigger } from '../../core/model';
import type { Health } from '../../core/ports';

// ---- the data the dashboard shows ----------------------------------------------------------------

export type FolderRole = 'starting' | 'executor' | 'viewer' | 'stopped';

export interface FolderData {
  /** The folder's path: the key the webview sends back with an action. */
  key: string;
  /** Its base name, for people. */
  name: string;
  role: FolderRole;
  /** Who executes this folder's tasks when this window only views them. */
  holder?: string;
  /** Why the folder shows nothing (e.g. the history could not be read). */
  problem?: string;
  /** A folder whose config names a store: its cluster (members, connection, this window's part). */
  cluster?: ClusterData;
}

/** One member of a cluster, as the Members panel shows it (times on this machine's clock). */
export interface MemberData {
  id: string;
  label: string;
  host: string;
  pid: number;
  version: string;
  since: number;
  heartbeatAt: number;
  /** Runs it runs now. */
  running: number;
  /** Its task definitions are the cluster's (its oldest member's). */
  definitionsMatch: boolean;
  /** A short form of its definitions' hash. */
  definitions: string;
  standby?: string;
  state: 'active' | 'standing-by' | 'late' | 'gone';
  goneAt?: number;
  /** This window, joined. */
  self: boolean;
}

export interface ClusterData {
  name: string;
  /** user@host:port/database. */
  database?: string;
  status: 'connecting' | 'up' | 'down' | 'failed';
  problem?: string;
  retryAt?: number;
  joined: boolean;
  /** This window's member: executing (active) or standing by. */
  memberRole?: FolderRole;
  /** Tasks whose definitions in this window's files differ from the cluster's. */
  differing: string[];
  members: MemberData[];
}

/** The health figures over a window, as the core computes them (successRate undefined when nothing finished). */
export type HealthData = Health;

export interface LastRunData {
  status: RunStatus;
  endedAt?: number;
  durationMs?: number;
  /** In a cluster: the member that ran it ("web-1 (pid 4242)"). */
  member?: string;
}

export interface ErrorData {
  runId: string;
  status: RunStatus;
  at: number;
  attempt: number;
  message: string;
}

/** What the row may offer; the host checks again when asked (the webview's word is never enough). */
export interface TaskActions {
  runNow: boolean;
  pause: boolean;
  resume: boolean;
  cancel: boolean;
  resetRetries: boolean;
}

export interface TaskRow {
  folder: string;
  id: string;
  name: string;
  description?: string;
  /** The schedule in words ("Every 5 minutes"); "Manually" for on-demand tasks. */
  schedule: string;
  scheduleSource?: string;
  state: TaskState;
  stateReason?: string;
  tags: string[];
  nextRun?: number;
  nextRetryAt?: number;
  lastRun?: LastRunData;
  retryCount: number;
  consecutiveFailures: number;
  running: number;
  queued: number;
  actions: TaskActions;
  /** Newest first, at most five. */
  errors: ErrorData[];
}

/** One finished or running run in the timeline window. */
export interface TimelineRun {
  folder: string;
  taskId: string;
  status: RunStatus;
  trigger: Trigger;
  start: number;
  /** Undefined while it runs. */
  end?: number;
  /** In a cluster: the member that ran it ("web-1 (pid 4242)"). */
  member?: string;
}

/** One planned run in the timeline window. */
export interface TimelineUpcoming {
  folder: string;
  taskId: string;
  at: number;
  kind: 'schedule' | 'retry';
}

export interface DashboardData {
  now: number;
  folders: FolderData[];
  health: HealthData;
  tasks: TaskRow[];
  timeline: { from: number; to: number; runs: TimelineRun[]; upcoming: TimelineUpcoming[] };
  /** Every tag any task has, sorted: the tag filter's choices. */
  tags: string[];
}

/** The page's filters ('' = all). Kept by the page and by the host; the newer copy wins (newerFilters). */
export interface DashboardFilters {
  tag: string;
  state: string;
  /** When the person chose them (ms since the epoch); absent when they never did. */
  at?: number;
}

/**
 * The filters a (re)loaded page starts from: its own, or the host's copy when it has none or the host's
 * is newer. After a window reload the browser workbench can restore a page state saved before the last
 * change (it writes editor state lazily), while the host's copy was written when the change was made.
 */
export function newerFilters(own: DashboardFilters | undefined, host: DashboardFilters | undefined): DashboardFilters | undefined {
  if (!own || !host) return own ?? host;
  return (host.at ?? 0) > (own.at ?? 0) ? host : own;
}

// ---- host → webview ------------------------------------------------------------------------------

export type HostMessage =
  /**
   * Everything, after the webview (re)loads: it starts from this. `filters`: the last the page chose,
   * for a page whose own state was lost (the web workbench can drop webview state on a reload).
   */
  | { type: 'init'; data: DashboardData; filters?: DashboardFilters }
  /** Everything again, after something changed (throttled). */
  | { type: 'update'; data: DashboardData }
  /** How an action the webview asked for ended. */
  | { type: 'result'; requestId: number; ok: boolean; message?: string };

// ---- webview → host ------------------------------------------------------------------------------

export const TASK_ACTIONS = ['runNow', 'pause', 'resume', 'cancel', 'resetRetries'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export type WebviewMessage =
  /** The script loaded (first time, after being hidden, after a reload): send `init`. */
  | { type: 'ready' }
  | { type: 'action'; requestId: number; action: TaskAction; folder: string; taskId: string }
  | { type: 'openTask'; folder: string; taskId: string }
  | { type: 'takeOver'; requestId: number; folder: string }
  /** This window joins or leaves the folder's cluster. */
  | { type: 'cluster'; requestId: number; folder: string; op: 'join' | 'leave' }
  /** The person changed the filters: the host keeps them (workspace state) for the next load. */
  | { type: 'filters'; filters: DashboardFilters };

// ---- validation (both directions) ----------------------------------------------------------------

/** Ids and paths longer than this are not ours: a guard against junk, far above any real one. */
const MAX_KEY_LENGTH = 4096;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isKey = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_KEY_LENGTH;
const isRequestId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The host's check of what the webview sent: a well-formed message, or undefined. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isObj(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'action':
      if (!isRequestId(raw.requestId) || !isKey(raw.folder) || !isKey(raw.taskId)) return undefined;
      if (!(TASK_ACTIONS as readonly unknown[]).includes(raw.action)) return undefined;
      return { type: 'action', requestId: raw.requestId, action: raw.action as TaskAction, folder: raw.folder, taskId: raw.taskId };
    case 'openTask':
      if (!isKey(raw.folder) || !isKey(raw.taskId)) return undefined;
      return { type: 'openTask', folder: raw.folder, taskId: raw.taskId };
    case 'takeOver':
      if (!isRequestId(raw.requestId) || !isKey(raw.folder)) return undefined;
      return { type: 'takeOver', requestId: raw.requestId, folder: raw.folder };
    case 'cluster':
      if (!isRequestId(raw.requestId) || !isKey(raw.folder) || (raw.op !== 'join' && raw.op !== 'leave')) return undefined;
      return { type: 'cluster', requestId: raw.requestId, folder: raw.folder, op: raw.op };
    case 'filters': {
      const filters = parseFilters(raw.filters);
      return filters && { type: 'filters', filters };
    }
    default:
      return undefined;
  }
}

/** Filters as both sides keep them: two strings of sane length and an optional time, or undefined. */
export function parseFilters(raw: unknown): DashboardFilters | undefined {
  if (!isObj(raw)) return undefined;
  const ok = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_KEY_LENGTH;
  if (!ok(raw.tag) || !ok(raw.state)) return undefined;
  if (raw.at === undefined) return { tag: raw.tag, state: raw.state };
  return typeof raw.at === 'number' && Number.isFinite(raw.at) ? { tag: raw.tag, state: raw.state, at: raw.at } : undefined;
}

/**
 * The webview's check of what the host sent. The host is trusted code, so this checks the shape the
 * renderer relies on (arrays are arrays, numbers are numbers), not every field of every row.
 */
export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isObj(raw)) return undefined;
  switch (raw.type) {
    case 'init': {
      if (!isDashboardData(raw.data)) return undefined;
      const filters = parseFilters(raw.filters);
      return filters ? { type: 'init', data: raw.data, filters } : { type: 'init', data: raw.data };
    }
    case 'update':
      return isDashboardData(raw.data) ? { type: raw.type, data: raw.data } : undefined;
    case 'result':
      if (!isRequestId(raw.requestId) || typeof raw.ok !== 'boolean') return undefined;
      if (raw.message !== undefined && typeof raw.message !== 'string') return undefined;
      return { type: 'result', requestId: raw.requestId, ok: raw.ok, message: raw.message as string | undefined };
    default:
      return undefined;
  }
}

function isDashboardData(v: unknown): v is DashboardData {
  if (!isObj(v) || typeof v.now !== 'number' || !isObj(v.health) || !isObj(v.timeline)) return false;
  const t = v.timeline;
  return Array.isArray(v.folders) && Array.isArray(v.tasks) && Array.isArray(v.tags)
    && v.folders.every((f) => isObj(f) && (f.cluster === undefined || (isObj(f.cluster) && Array.isArray(f.cluster.members) && Array.isArray(f.cluster.differing))))
    && typeof t.from === 'number' && typeof t.to === 'number' && Array.isArray(t.runs) && Array.isArray(t.upcoming)
    && v.tasks.every((r) => isObj(r) && typeof r.id === 'string' && typeof r.name === 'string' && typeof r.folder === 'string'
      && Array.isArray(r.tags) && Array.isArray(r.errors) && isObj(r.actions));
}
