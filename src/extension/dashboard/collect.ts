// Reads what the dashboard needs from each folder's WorkspaceService. Free of `vscode`; keeps what is
// costly to read (recent runs, last errors) until something says it changed, so a busy workspace can
// refresh the dashboard several times a second without re-reading the history each time.
import * as path from 'path';
import type { TaskView } from '../../core/engine';
import type { RunStatus } from '../../core/model';
import type { RunRecord } from '../../core/ports';
import { clusterOf, type FolderService } from '../folderService';
import type { FolderSnapshot } from './model';
import { ERRORS_PER_TASK } from './model';
import { sampleUpcoming, WINDOW_MS } from './timeline';

/** The timeline reads at most this many recent runs per folder: a day of a task every three minutes. */
export const RECENT_RUNS = 500;
/** Planned runs per task in the picture: about one per 5 minutes of a 24 h window, more than its pixels show apart. */
export const UPCOMING_PER_TASK = 288;

/** The part of a WorkspaceService the dashboard reads. */
export type DashboardSource = Pick<FolderService, 'folder' | 'role' | 'holder' | 'plan' | 'tasks' | 'queries' | 'scheduler'> & { kind?: FolderService['kind'] };

/** The statuses the history lists as a task's last errors: a last run with one of them must be among them. */
const ERROR_STATUSES: ReadonlySet<RunStatus> = new Set(['failed', 'timed-out', 'interrupted']);

interface FolderCache {
  runs?: RunRecord[];
  /** Per task: the last run the errors were read after, and those errors. */
  errors: Map<string, { after: string | undefined; runs: RunRecord[] }>;
}

export class Collector {
  private readonly cache = new Map<string, FolderCache>();

  /** A run started, finished or the history was re-read: read recent runs again next time. */
  runsChanged(folder?: string): void {
    for (const [key, c] of this.cache) if (folder === undefined || key === folder) c.runs = undefined;
  }

  forget(folder: string): void {
    this.cache.delete(folder);
  }

  async collect(sources: readonly DashboardSource[], now: number): Promise<FolderSnapshot[]> {
    const live = new Set(sources.map((s) => s.folder));
    for (const key of this.cache.keys()) if (!live.has(key)) this.cache.delete(key);
    return Promise.all(sources.map((s) => this.folder(s, now)));
  }

  private async folder(s: DashboardSource, now: number): Promise<FolderSnapshot> {
    const snapshot: FolderSnapshot = {
      folder: s.folder, name: path.basename(s.folder) || s.folder, role: s.role,
      tasks: [], runs: [], errors: new Map(), upcoming: new Map(),
    };
    if (s.role === 'viewer') snapshot.holder = s.holder?.label;
    const cluster = clusterOf(s as FolderService);
    if (cluster) snapshot.cluster = cluster.info();
    let cache = this.cache.get(s.folder);
    if (!cache) this.cache.set(s.folder, cache = { errors: new Map() });
    try {
      // Events announce a run before its row is written: read once the writes so far are done, so a
      // finished run is in the history when its event says so.
      await s.scheduler?.idle();
      snapshot.tasks = await s.tasks();
      snapshot.upcoming = upcoming(s, snapshot.tasks, now);
      const q = s.queries(); // throws while the history is not open (starting, or unreadable)
      snapshot.health = await q.health(WINDOW_MS, now);
      cache.runs ??= (await q.runs({ limit: RECENT_RUNS })).map(withoutOutput);
      snapshot.runs = cache.runs;
      snapshot.errors = await this.errors(q, cache, snapshot.tasks);
    } catch (e) {
      if (s.role !== 'starting') snapshot.problem = e instanceof Error ? e.message : String(e);
    }
    return snapshot;
  }

  /** A task's errors change only when it finishes a run: read them again only when its last run moved. */
  private async errors(q: ReturnType<DashboardSource['queries']>, cache: FolderCache, tasks: TaskView[]): Promise<Map<string, RunRecord[]>> {
    const out = new Map<string, RunRecord[]>();
    await Promise.all(tasks.filter((t) => t.state !== 'invalid').map(async (t) => {
      const after = t.lastRun?.id;
      let hit = cache.errors.get(t.id);
      if (!hit || hit.after !== after) {
        hit = { after, runs: after === undefined ? [] : (await q.lastErrors(t.id, ERRORS_PER_TASK)).map(withoutOutput) };
        // A failed last run not yet among the errors (a viewer reads a history that is being written):
        // not kept, so the next refresh reads again.
        const complete = !t.lastRun || !ERROR_STATUSES.has(t.lastRun.status) || hit.runs.some((r) => r.id === t.lastRun!.id);
        if (complete) cache.errors.set(t.id, hit);
        else cache.errors.delete(t.id);
      }
      out.set(t.id, hit.runs);
    }));
    for (const id of cache.errors.keys()) if (!out.has(id)) cache.errors.delete(id);
    return out;
  }
}

/** Planned slots per task, from the view's next run on: the engine knows the next one, the schedule the rest. */
function upcoming(s: DashboardSource, tasks: TaskView[], now: number): Map<string, number[]> {
  const schedules = new Map(s.plan?.tasks.map((t) => [t.spec.id, t.schedule]) ?? []);
  const out = new Map<string, number[]>();
  for (const t of tasks) {
    const schedule = schedules.get(t.id);
    if (t.nextRun === undefined || !schedule) continue;
    out.set(t.id, sampleUpcoming((after) => schedule.next(after), t.nextRun, now + WINDOW_MS, UPCOMING_PER_TASK));
  }
  return out;
}

/** Output never reaches the dashboard: it is big, and the run's output editor is where it is read. */
function withoutOutput(r: RunRecord): RunRecord {
  const { output: _output, result: _result, params: _params, ...rest } = r;
  return rest;
}
