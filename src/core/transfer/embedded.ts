// The embedded history of a folder as one end of a history move. It is written only under the folder's
// executor lease, as the engine writes it: a VS Code window or `task-scheduler run` that executes the
// folder must be stopped first (else its runs would go on being written beside the move, and a pending
// job moved away could still run here).
import * as fs from 'fs';
import { createLease, leaseOwner } from '../lease';
import type { History, Lease, PendingJob, RunRecord, TaskStateRecord } from '../ports';
import { createHistory, historyFiles, openHistoryReadOnly, type HistoryReader } from '../store';
import type { HistoryEnd } from './ends';

/** Runs read and written per round trip: a page of outputs stays a few MB. */
const PAGE = 500;

export interface EmbeddedEndOptions {
  dataDir: string;
  /** Who holds the lease meanwhile, for people: "task-scheduler history import (pid 12) on host". */
  label: string;
  /** `export` reads a history that must exist; `import` may start one. */
  mustExist: boolean;
}

/** Opens the folder's embedded history for a move, or says clearly why not (nothing opened, nothing changed). */
export async function openEmbeddedEnd(o: EmbeddedEndOptions): Promise<HistoryEnd> {
  const files = historyFiles(o.dataDir);
  if (o.mustExist && !fs.existsSync(files.db) && !fs.existsSync(files.journal)) {
    throw new Error(`there is no embedded history in ${o.dataDir} (nothing has run in this folder on this machine; --data-dir names another data folder)`);
  }
  const lease = createLease({ dataDir: o.dataDir, owner: leaseOwner(o.label) });
  if (!(await lease.tryAcquire())) {
    const holder = lease.state().holder;
    await lease.release();
    throw new Error(`${holder?.label ?? 'another process'} executes this folder with its embedded history: stop it first (its runs would go on being written there, and a pending job moved away could still run there)`);
  }
  let history: History | undefined;
  let reader: HistoryReader | undefined;
  try {
    history = createHistory({ dataDir: o.dataDir });
    await history.open();
    reader = await openHistoryReadOnly(o.dataDir, { inProcess: true });
  } catch (e) {
    await reader?.close().catch(() => undefined);
    await history?.close().catch(() => undefined);
    await lease.release();
    throw new Error(`the embedded history in ${o.dataDir}: ${(e as Error).message}`);
  }
  return new EmbeddedEnd(o.dataDir, lease, history, reader);
}

class EmbeddedEnd implements HistoryEnd {
  readonly label: string;

  constructor(dataDir: string, private readonly lease: Lease, private readonly history: History, private readonly reader: HistoryReader) {
    this.label = `the embedded history in ${dataDir}`;
  }

  async *runs(): AsyncIterable<RunRecord[]> {
    let after: [number, string] | undefined;
    for (;;) {
      const page = await this.reader.runPage(after, PAGE);
      if (!page.length) return;
      yield page;
      const last = page[page.length - 1];
      after = [last.queuedAt, last.id];
    }
  }

  async knownRuns(ids: string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += PAGE) for (const id of await this.reader.runIds(ids.slice(i, i + PAGE))) known.add(id);
    return known;
  }

  async addRuns(runs: RunRecord[]): Promise<number> {
    // The reader was opened before any write and nobody else writes (the lease): it still tells what was here.
    const known = await this.knownRuns(runs.map((r) => r.id));
    const fresh = runs.filter((r) => !known.has(r.id));
    await Promise.all(fresh.map((r) => this.history.putRun(r)));
    return fresh.length;
  }

  taskStates(): Promise<TaskStateRecord[]> { return this.reader.taskStates(); }

  async putTaskStates(states: TaskStateRecord[]): Promise<void> {
    await Promise.all(states.map((s) => this.history.saveTaskState(s)));
  }

  pending(): Promise<PendingJob[]> { return this.reader.pending(); }

  async addPending(jobs: PendingJob[]): Promise<number> {
    const here = new Set((await this.reader.pending()).map((j) => j.id));
    const fresh = jobs.filter((j) => !here.has(j.id));
    await Promise.all(fresh.map((j) => this.history.putPending(j)));
    return fresh.length;
  }

  async deletePending(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.history.deletePending(id)));
  }

  /** Nothing executes it while this process holds its lease. */
  async executing(): Promise<string | undefined> { return undefined; }

  async close(): Promise<void> {
    await this.history.flush().catch(() => undefined);
    await this.reader.close();
    await this.history.close();
    await this.lease.release();
  }
}
