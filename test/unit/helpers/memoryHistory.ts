// An in-memory History for engine tests: the port's contract without SQLite, plus a few readers
// for assertions. Every record is copied in and out, as a real store would.
import type { Millis, RunStatus } from '../../../src/core/model';
import type {
  Health, History, OpenReport, PendingJob, RunQuery, RunRecord, TaskStateRecord,
} from '../../../src/core/ports';

const FINAL: RunStatus[] = ['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'interrupted', 'missed'];
const copy = <T>(v: T): T => structuredClone(v);

export class MemoryHistory implements History {
  readonly runsById = new Map<string, RunRecord>();
  readonly states = new Map<string, TaskStateRecord>();
  readonly jobs = new Map<string, PendingJob>();
  /** Every putRun, in order, for lifecycle assertions. */
  readonly writes: RunRecord[] = [];
  flushes = 0;

  async open(): Promise<OpenReport> {
    return {};
  }

  async syncTasks(tasks: Array<Pick<TaskStateRecord, 'taskId' | 'name' | 'file' | 'kind'>>, now: number): Promise<void> {
    const ids = new Set(tasks.map((t) => t.taskId));
    for (const t of tasks) {
      const s = this.states.get(t.taskId);
      if (s) Object.assign(s, { name: t.name, file: t.file, kind: t.kind, removed: false, updatedAt: now });
      else this.states.set(t.taskId, { ...t, paused: false, retryCount: 0, consecutiveFailures: 0, removed: false, updatedAt: now });
    }
    for (const s of this.states.values()) if (!ids.has(s.taskId) && !s.removed) Object.assign(s, { removed: true, updatedAt: now });
  }

  async taskStates(): Promise<TaskStateRecord[]> {
    return [...this.states.values()].map(copy);
  }

  async saveTaskState(state: TaskStateRecord): Promise<void> {
    this.states.set(state.taskId, copy(state));
  }

  async putRun(run: RunRecord): Promise<void> {
    this.runsById.set(run.id, copy(run));
    this.writes.push(copy(run));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const r = this.runsById.get(id);
    return r && copy(r);
  }

  async runs(query: RunQuery): Promise<RunRecord[]> {
    return this.all(query.taskId)
      .filter((r) => (!query.statuses || query.statuses.includes(r.status)) && (query.before === undefined || r.queuedAt < query.before))
      .reverse().slice(0, query.limit ?? Infinity).map(copy);
  }

  async lastErrors(taskId: string, limit = 5): Promise<RunRecord[]> {
    return this.runs({ taskId, limit, statuses: ['failed', 'timed-out', 'interrupted'] });
  }

  async health(windowMs: Millis, now: number): Promise<Health> {
    const all = this.all();
    const finished = all.filter((r) => FINAL.includes(r.status) && r.endedAt !== undefined && r.endedAt >= now - windowMs);
    const succeeded = finished.filter((r) => r.status === 'succeeded').length;
    return {
      windowMs, finished: finished.length, succeeded, successRate: finished.length ? succeeded / finished.length : undefined,
      running: all.filter((r) => r.status === 'running').length, queued: all.filter((r) => r.status === 'queued').length,
    };
  }

  abandoned(): Promise<RunRecord[]> {
    return this.runs({ statuses: ['queued', 'running'], limit: Number.MAX_SAFE_INTEGER });
  }

  async markInterrupted(now: number, reason: string): Promise<RunRecord[]> {
    const out: RunRecord[] = [];
    for (const r of this.runsById.values()) {
      if (r.status !== 'queued' && r.status !== 'running') continue;
      Object.assign(r, { status: 'interrupted', endedAt: now, error: reason });
      out.push(copy(r));
    }
    return out;
  }

  async putPending(job: PendingJob): Promise<void> {
    this.jobs.set(job.id, copy(job));
  }

  async deletePending(id: string): Promise<void> {
    this.jobs.delete(id);
  }

  async pending(): Promise<PendingJob[]> {
    return [...this.jobs.values()].map(copy);
  }

  async cleanup(opts: { now: number; olderThanMs?: Millis; maxRunsPerTask?: number }): Promise<{ deleted: number }> {
    let deleted = 0;
    for (const r of this.all()) {
      if (opts.olderThanMs !== undefined && FINAL.includes(r.status) && (r.endedAt ?? r.queuedAt) < opts.now - opts.olderThanMs) {
        this.runsById.delete(r.id);
        deleted++;
      }
    }
    return { deleted };
  }

  async flush(): Promise<void> {
    this.flushes++;
  }

  async close(): Promise<void> {}

  /** Runs oldest first (by queue time, then id). */
  all(taskId?: string): RunRecord[] {
    return [...this.runsById.values()].filter((r) => taskId === undefined || r.taskId === taskId)
      .sort((a, b) => a.queuedAt - b.queuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
