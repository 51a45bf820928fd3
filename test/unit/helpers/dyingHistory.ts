// A History whose process "dies" at a chosen write: that write and every later one never reach the
// store (and never resolve), as after kill -9. Reads still answer. Regression tests of crash windows
// run an engine on it, then a new engine on the inner store: what a restart would find on disk.
import type { Millis } from '../../../src/core/model';
import type { Health, History, OpenReport, PendingJob, RunQuery, RunRecord, TaskStateRecord } from '../../../src/core/ports';
import type { MemoryHistory } from './memoryHistory';

export type WriteOp = 'syncTasks' | 'saveTaskState' | 'putRun' | 'markInterrupted' | 'putPending' | 'deletePending' | 'cleanup';

export class DyingHistory implements History {
  dead = false;

  constructor(readonly inner: MemoryHistory, private readonly diesAt: (op: WriteOp, arg: unknown) => boolean) {}

  private write<T>(op: WriteOp, arg: unknown, fn: () => Promise<T>): Promise<T> {
    if (!this.dead && this.diesAt(op, arg)) this.dead = true;
    if (this.dead) return new Promise<T>(() => undefined);
    return fn();
  }

  open(): Promise<OpenReport> { return this.inner.open(); }
  syncTasks(tasks: Array<Pick<TaskStateRecord, 'taskId' | 'name' | 'file' | 'kind'>>, now: number): Promise<void> {
    return this.write('syncTasks', tasks, () => this.inner.syncTasks(tasks, now));
  }
  taskStates(): Promise<TaskStateRecord[]> { return this.inner.taskStates(); }
  saveTaskState(state: TaskStateRecord): Promise<void> { return this.write('saveTaskState', state, () => this.inner.saveTaskState(state)); }
  putRun(run: RunRecord): Promise<void> { return this.write('putRun', run, () => this.inner.putRun(run)); }
  getRun(id: string): Promise<RunRecord | undefined> { return this.inner.getRun(id); }
  runs(query: RunQuery): Promise<RunRecord[]> { return this.inner.runs(query); }
  lastErrors(taskId: string, limit?: number): Promise<RunRecord[]> { return this.inner.lastErrors(taskId, limit); }
  health(windowMs: Millis, now: number): Promise<Health> { return this.inner.health(windowMs, now); }
  abandoned(): Promise<RunRecord[]> { return this.inner.abandoned(); }
  markInterrupted(now: number, reason: string): Promise<RunRecord[]> {
    return this.write('markInterrupted', undefined, () => this.inner.markInterrupted(now, reason));
  }
  putPending(job: PendingJob): Promise<void> { return this.write('putPending', job, () => this.inner.putPending(job)); }
  deletePending(id: string): Promise<void> { return this.write('deletePending', id, () => this.inner.deletePending(id)); }
  pending(): Promise<PendingJob[]> { return this.inner.pending(); }
  cleanup(opts: { now: number; olderThanMs?: Millis; maxRunsPerTask?: number }): Promise<{ deleted: number }> {
    return this.write('cleanup', opts, () => this.inner.cleanup(opts));
  }
  flush(): Promise<void> { return this.dead ? new Promise(() => undefined) : this.inner.flush(); }
  close(): Promise<void> { return Promise.resolve(); }
}
