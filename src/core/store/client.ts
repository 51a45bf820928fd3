// `createHistory`: the History the engine writes to. The database lives in a worker thread; durability
// comes from the journal, which this side appends and fsyncs on libuv's thread pool, so neither a
// snapshot nor a slow query in the worker delays the moment a finished run is safe on disk.
import * as fs from 'fs';
import type { Clock } from '../clock';
import type { Health, History, OpenReport, PendingJob, RunQuery, RunRecord, TaskStateRecord } from '../ports';
import { WorkerChannel } from './channel';
import { historyFiles, type HistoryFiles } from './files';
import { encodeEntry, JournalWriter } from './journal';
import { locateWasm, type WorkerEntry, workerEntry } from './locate';
import type { Mutation, MutationResult, TaskIdentity } from './mutations';
import { type HistoryQueries, type Query, type QueryResult, queryApi } from './queries';
import { DEFAULT_SNAPSHOT_POLICY, snapshotDue, type SnapshotPolicy } from './snapshot';
import { checkMutation } from './validate';

export interface CreateHistoryOptions {
  /** The workspace's data folder (src/core/paths.ts `workspaceDataDir`). */
  dataDir: string;
  /** Names the file a damaged database is moved to; paces snapshot retries. */
  clock?: Pick<Clock, 'now'>;
  policy?: Partial<SnapshotPolicy>;
  /**
   * Something failed in the background: a snapshot (the journal still holds everything; it is retried
   * later) or the worker applying a journaled mutation (replay will skip it too).
   */
  onError?: (e: Error) => void;
  /** Where the worker script and sql.js's .wasm are (default: beside the bundle, or the sources under tests). */
  worker?: WorkerEntry;
  wasm?: string;
}

/** After a failed snapshot, wait this long before trying again: each attempt exports the whole file. */
const SNAPSHOT_RETRY_MS = 60_000;

export function createHistory(options: CreateHistoryOptions): History {
  return new WorkerHistory(options);
}

interface Live { channel: WorkerChannel; journal: JournalWriter }

class WorkerHistory implements History {
  private readonly files: HistoryFiles;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly policy: SnapshotPolicy;
  private opening: Promise<OpenReport> | undefined;
  private live: Live | undefined;
  private closed = false;
  private seq = 0;
  private snapshotBytes = 0;
  private folding: Promise<void> | undefined;
  /** The journal was rotated to history.journal.old and that file is not yet in a snapshot. */
  private oldJournalPending = false;
  private nextSnapshotAttempt = 0;
  private readonly reads: HistoryQueries;

  constructor(private readonly options: CreateHistoryOptions) {
    this.files = historyFiles(options.dataDir);
    this.clock = options.clock ?? { now: () => Date.now() };
    this.policy = { ...DEFAULT_SNAPSHOT_POLICY, ...options.policy };
    this.reads = queryApi(<Q extends Query>(query: Q) =>
      this.ready().channel.call({ type: 'query', query }) as Promise<QueryResult<Q>>);
  }

  open(): Promise<OpenReport> {
    this.opening ??= this.start();
    return this.opening;
  }

  private async start(): Promise<OpenReport> {
    const channel = new WorkerChannel(this.options.worker ?? workerEntry());
    try {
      const opened = await channel.call({
        type: 'openWriter', dataDir: this.files.dir, now: this.clock.now(), policy: this.policy,
        wasm: this.options.wasm ?? locateWasm(),
      });
      const journal = await JournalWriter.open(this.files.journal, opened.journal.bytes, opened.journal.entries);
      this.seq = opened.lastSeq;
      this.snapshotBytes = opened.snapshotBytes;
      this.live = { channel, journal };
      return opened.report;
    } catch (e) {
      await channel.terminate();
      throw e;
    }
  }

  private ready(): Live {
    if (this.closed) throw new Error('history is closed');
    if (!this.live) throw new Error('history is not open (call open() first)');
    return this.live;
  }

  /**
   * Journal the mutation and send it to the worker. The journal is the truth and the worker's
   * database its index, so a mutation without a result resolves as soon as its line is durable: a
   * snapshot or a long query in the worker cannot delay it, and any later query still sees it (the
   * worker handles requests in order). Mutations with a result also wait for the worker's answer.
   */
  private async mutate<M extends Mutation>(m: M): Promise<MutationResult<M>> {
    const { channel, journal } = this.ready();
    checkMutation(m);
    const line = encodeEntry(this.seq + 1, m);     // may throw (e.g. a BigInt in a result): no sequence number used up
    const seq = ++this.seq;
    const applied = channel.call({ type: 'apply', seq, line });
    const durable = journal.append(line);
    if (m.op === 'markInterrupted' || m.op === 'cleanup') {
      const [, result] = await Promise.all([durable, applied]);
      this.maybeFold(false);
      return result as MutationResult<M>;
    }
    applied.catch((e: Error) => this.options.onError?.(e));
    await durable;
    this.maybeFold(false);
    return undefined as MutationResult<M>;
  }

  /** Fold the journal into a new snapshot when it has grown enough (or `force`), in the background. */
  private maybeFold(force: boolean): void {
    const live = this.live;
    if (!live || this.folding || this.clock.now() < this.nextSnapshotAttempt) return;
    if (!force && !this.oldJournalPending && !snapshotDue(live.journal, this.snapshotBytes, this.policy)) return;
    this.folding = this.fold(live)
      .catch((e: Error) => {
        this.nextSnapshotAttempt = this.clock.now() + SNAPSHOT_RETRY_MS;
        this.options.onError?.(e);
      })
      .finally(() => { this.folding = undefined; });
  }

  private async fold({ channel, journal }: Live): Promise<void> {
    // Every line in the rotated file was sent to the worker before the snapshot request, so the
    // snapshot includes them all (and maybe some newer ones, which replay then skips by sequence).
    if (!this.oldJournalPending) {
      await journal.rotate(this.files.oldJournal);
      this.oldJournalPending = true;
    }
    const { bytes } = await channel.call({ type: 'snapshot' });
    this.snapshotBytes = bytes;
    await fs.promises.rm(this.files.oldJournal, { force: true });
    this.oldJournalPending = false;
  }

  syncTasks(tasks: TaskIdentity[], now: number): Promise<void> {
    // Only the identity travels, whatever else the caller's objects carry.
    const identities = tasks.map(({ taskId, name, file, kind }) => ({ taskId, name, file, kind }));
    return this.mutate({ op: 'syncTasks', tasks: identities, now });
  }
  saveTaskState(state: TaskStateRecord): Promise<void> { return this.mutate({ op: 'saveTaskState', state }); }
  putRun(run: RunRecord): Promise<void> { return this.mutate({ op: 'putRun', run }); }
  abandoned(): Promise<RunRecord[]> { return this.runs({ statuses: ['queued', 'running'], limit: Number.MAX_SAFE_INTEGER }); }
  markInterrupted(now: number, reason: string): Promise<RunRecord[]> { return this.mutate({ op: 'markInterrupted', now, reason }); }
  putPending(job: PendingJob): Promise<void> { return this.mutate({ op: 'putPending', job }); }
  deletePending(id: string): Promise<void> { return this.mutate({ op: 'deletePending', id }); }

  async cleanup(opts: { now: number; olderThanMs?: number; maxRunsPerTask?: number }): Promise<{ deleted: number }> {
    const result = await this.mutate({ op: 'cleanup', ...opts });
    // Retention is rare and is how the file gets smaller: write the slimmer (vacuumed) snapshot now.
    if (result.deleted > 0) this.maybeFold(true);
    return result;
  }

  taskStates(): Promise<TaskStateRecord[]> { return this.reads.taskStates(); }
  getRun(id: string): Promise<RunRecord | undefined> { return this.reads.getRun(id); }
  runs(query: RunQuery): Promise<RunRecord[]> { return this.reads.runs(query); }
  lastErrors(taskId: string, limit?: number): Promise<RunRecord[]> { return this.reads.lastErrors(taskId, limit); }
  health(windowMs: number, now: number): Promise<Health> { return this.reads.health(windowMs, now); }
  pending(): Promise<PendingJob[]> { return this.reads.pending(); }

  async flush(): Promise<void> {
    await this.ready().journal.idle();
  }

  /** Everything written is already durable; close waits for writes and a running snapshot, then stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.opening?.catch(() => undefined);
    this.closed = true;
    const live = this.live;
    this.live = undefined;
    if (!live) return;
    await live.journal.idle();
    await this.folding;
    await live.journal.close();
    await live.channel.call({ type: 'close' }).catch(() => undefined);
    await live.channel.terminate();
  }
}
