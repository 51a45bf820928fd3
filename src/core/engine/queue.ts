// Runs that are due but not started: ordered by priority (PRIORITIES order), then due time, then
// arrival. Small (a few entries), so a sorted array is the whole data structure.
import { PRIORITIES, type Priority, type RetryPolicy } from '../model';
import type { PendingJob, RunRecord } from '../ports';

export interface QueueEntry {
  /** The run as recorded with status `queued`. */
  run: RunRecord;
  priority: Priority;
  /** The slot or due time, for ordering. */
  dueAt: number;
  /** Start only when no other run of the same task is running (overlap `queue`/`replace`, catch-up backlogs, retries). */
  waitForTask: boolean;
  /** The dependency wave this run belongs to. */
  waveId?: number;
  /** The pending job (retry / enqueue) this run comes from; deleted from history when the run starts. */
  jobId?: string;
  /** What the run comes from when it is a job: retries of an enqueued job stay `enqueue`. */
  origin?: PendingJob['kind'];
  /** Retry settings of an enqueued job, carried to its retries. */
  retries?: Partial<RetryPolicy>;
  /** Its claim is being decided (several executors): it stays counted as queued but is not taken. */
  claiming?: boolean;
  /** Its claim was refused for now (busy elsewhere, limit reached): not taken until the claims wake. */
  parked?: boolean;
  /** It waits for room under the shared limit (told to the claims' `waiting`). */
  waitsForRoom?: boolean;
}

interface Slot { entry: QueueEntry; seq: number; rank: number }

export class RunQueue {
  private items: Slot[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  add(entry: QueueEntry): void {
    const item: Slot = { entry, seq: this.seq++, rank: PRIORITIES.indexOf(entry.priority) };
    let i = this.items.length;
    while (i > 0 && before(item, this.items[i - 1])) i--;
    this.items.splice(i, 0, item);
  }

  /** Removes and returns the first entry that `canStart` accepts. */
  take(canStart: (entry: QueueEntry) => boolean): QueueEntry | undefined {
    const i = this.items.findIndex((it) => canStart(it.entry));
    return i < 0 ? undefined : this.items.splice(i, 1)[0].entry;
  }

  /** Removes and returns the entries `match` accepts. */
  remove(match: (entry: QueueEntry) => boolean): QueueEntry[] {
    const out: QueueEntry[] = [];
    this.items = this.items.filter((it) => (match(it.entry) ? (out.push(it.entry), false) : true));
    return out;
  }

  entries(): QueueEntry[] {
    return this.items.map((it) => it.entry);
  }

  countFor(taskId: string, which: (e: QueueEntry) => boolean = () => true): number {
    return this.items.reduce((n, it) => n + (it.entry.run.taskId === taskId && which(it.entry) ? 1 : 0), 0);
  }
}

/** Whether `a` goes before `b` by priority, then due time (arrival order aside). */
export function ahead(a: Pick<QueueEntry, 'priority' | 'dueAt'>, b: Pick<QueueEntry, 'priority' | 'dueAt'>): boolean {
  const ra = PRIORITIES.indexOf(a.priority);
  const rb = PRIORITIES.indexOf(b.priority);
  return ra !== rb ? ra < rb : a.dueAt < b.dueAt;
}

function before(a: Slot, b: Slot): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.entry.dueAt !== b.entry.dueAt) return a.entry.dueAt < b.entry.dueAt;
  return a.seq < b.seq;
}
