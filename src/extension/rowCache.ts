// The rows of the last session, kept in the workspace's Memento so a reopened window lists its tasks
// at once — before the plan (which reads every task file's options in a child process) is ready. They
// show as loading and are replaced by the plan's rows, then the engine's, within a second or two.
// Only what a row shows is kept; next runs are computed again from the schedule. No `vscode` import.
import type { TaskView } from '../core/engine';
import { parseSchedules } from '../core/schedule';
import type { TaskEntry } from './treeItems';

/** The Memento key (workspaceState): one list of rows per folder path. */
export const ROW_CACHE_KEY = 'taskScheduler.rows.v1';

/** A folder with more tasks than this is not cached: the Memento is not meant for large values. */
const MAX_CACHED_ROWS = 2_000;

export interface CachedRow {
  view: Omit<TaskView, 'running' | 'queued' | 'nextRun' | 'nextRetryAt'>;
  /** The schedule's zone, to compute next runs again. */
  timezone?: string;
}

export type RowCache = Record<string, CachedRow[]>;

/** The rows to keep for one folder (only those read from its engine: never the cache's own rows). */
export function toCachedRows(entries: TaskEntry[]): CachedRow[] | undefined {
  if (entries.length > MAX_CACHED_ROWS || entries.some((e) => e.loading)) return undefined;
  return entries.map(({ view, schedule }) => {
    const { running: _r, queued: _q, nextRun: _n, nextRetryAt: _t, ...kept } = view;
    return { view: kept, timezone: schedule?.timezone };
  });
}

/** A folder's cached rows as entries marked `loading: 'cache'`, with next runs from their schedules. */
export function fromCachedRows(rows: unknown, folder: string, folderName: string, now: number): TaskEntry[] {
  if (!Array.isArray(rows)) return [];
  const out: TaskEntry[] = [];
  for (const row of rows as CachedRow[]) {
    const v = row?.view;
    if (!v || typeof v.id !== 'string' || typeof v.name !== 'string') continue; // a damaged entry is skipped
    let schedule;
    if (v.scheduleSource && v.state !== 'invalid') {
      try { schedule = parseSchedules([v.scheduleSource], { timezone: row.timezone }).schedule; } catch { /* shown without */ }
    }
    const due = v.state === 'scheduled' || v.state === 'failed' || v.state === 'retry-scheduled' || v.state === 'running';
    let nextRun: number | undefined;
    try { nextRun = due && schedule?.kind !== 'manual' ? schedule?.next(now) : undefined; } catch { nextRun = undefined; }
    out.push({
      folder, folderName, pausedAll: false, loading: 'cache',
      schedule: schedule?.kind === 'manual' ? undefined : schedule,
      view: { ...v, tags: Array.isArray(v.tags) ? v.tags : [], state: v.state === 'running' ? 'scheduled' : v.state, running: [], queued: 0, nextRun },
    });
  }
  return out;
}
