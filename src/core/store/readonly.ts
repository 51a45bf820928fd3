// `openHistoryReadOnly`: what a viewer (another window, `task-scheduler status`) uses to see the
// history while the executor writes it. It reads the snapshot and replays the journal without ever
// writing a byte, and `reload()` catches up with new journal lines (or a new snapshot) cheaply.
import type { OpenReport } from '../ports';
import { WorkerChannel } from './channel';
import { HistoryEngine } from './engine';
import { locateWasm, loadSqlJs, type WorkerEntry, workerEntry } from './locate';
import { type BulkQueries, bulkApi, type HistoryQueries, type Query, type QueryResult, queryApi } from './queries';

export interface HistoryReader extends HistoryQueries, BulkQueries {
  /** What opening found (e.g. a damaged file, which a reader reports but leaves for the executor to move). */
  readonly report: OpenReport;
  /** Catch up with the executor's writes; `changed` tells whether anything new was read. */
  reload(): Promise<{ changed: boolean }>;
  close(): Promise<void>;
}

export interface ReadOnlyOptions {
  /**
   * Load the database on the caller's thread. For a short-lived CLI command that is simpler and
   * faster; in the extension host it would block the event loop while a large file loads, so the
   * default is a worker thread.
   */
  inProcess?: boolean;
  worker?: WorkerEntry;
  wasm?: string;
}

/** Throws NewerSchemaError for a file from a newer version. */
export async function openHistoryReadOnly(dataDir: string, options: ReadOnlyOptions = {}): Promise<HistoryReader> {
  const wasm = options.wasm ?? locateWasm();
  if (options.inProcess) {
    const engine = HistoryEngine.openReader({ sql: await loadSqlJs(wasm), dataDir });
    let closed = false;
    const live = () => {
      if (closed) throw new Error('history is closed');
      return engine;
    };
    const ask = async <Q extends Query>(q: Q) => live().query(q);
    return {
      ...queryApi(ask),
      ...bulkApi(ask),
      get report() { return engine.report; },
      async reload() {
        return { changed: live().reload().changed };
      },
      async close() {
        if (!closed) engine.close();
        closed = true;
      },
    };
  }
  const channel = new WorkerChannel(options.worker ?? workerEntry());
  let report: OpenReport;
  try {
    report = await channel.call({ type: 'openReader', dataDir, wasm });
  } catch (e) {
    await channel.terminate();
    throw e;
  }
  const ask = <Q extends Query>(query: Q) => channel.call({ type: 'query', query }) as Promise<QueryResult<Q>>;
  return {
    ...queryApi(ask),
    ...bulkApi(ask),
    get report() { return report; },
    async reload() {
      const r = await channel.call({ type: 'reload' });
      report = r.report;
      return { changed: r.changed };
    },
    async close() {
      await channel.call({ type: 'close' }).catch(() => undefined);
      await channel.terminate();
    },
  };
}
