// The history's worker thread (bundled as dist/store-worker.js). It owns the sql.js database, so
// exports, VACUUM and big queries block this thread, never the extension host's. Requests are handled
// strictly in arrival order, so a query sees every mutation sent before it.
import { parentPort } from 'worker_threads';
import { HistoryEngine } from './engine';
import { toErrorData } from './errors';
import { decodeEntry } from './journal';
import { loadSqlJs } from './locate';
import { writeSnapshotAsync } from './snapshot';
import type { Envelope, Replies, Reply, Request } from './protocol';

if (!parentPort) throw new Error('store worker must run in a worker thread');
const port = parentPort;
let engine: HistoryEngine | undefined;

/** A reply that comes later, while the worker goes on with the next requests. */
class Later {
  constructor(readonly value: Promise<Replies[keyof Replies]>) {}
}

async function handle(r: Request): Promise<Replies[keyof Replies] | Later> {
  switch (r.type) {
    case 'openWriter': {
      const opened = HistoryEngine.openWriter({ sql: await loadSqlJs(r.wasm), dataDir: r.dataDir, now: r.now, policy: r.policy });
      engine = opened.engine;
      return opened.opened;
    }
    case 'openReader': {
      engine = HistoryEngine.openReader({ sql: await loadSqlJs(r.wasm), dataDir: r.dataDir });
      return engine.report;
    }
    case 'apply': {
      const entry = decodeEntry(r.line);
      if (!entry) throw new Error(`not a journal line: ${r.line.slice(0, 80)}`);
      return open().apply(r.seq, entry.mutation);
    }
    case 'query':
      return open().query(r.query);
    case 'snapshot': {
      // Only the export holds this thread; queries are answered while the bytes go to disk.
      const engine = open();
      const { seq, bytes } = engine.exportSnapshot();
      const { db, temp, dir } = engine.files;
      return new Later(writeSnapshotAsync(db, temp, dir, bytes).then(() => ({ seq, bytes: bytes.length })));
    }
    case 'reload':
      return open().reload();
    case 'close':
      engine?.close();
      engine = undefined;
      return undefined;
  }
}

function open(): HistoryEngine {
  if (!engine) throw new Error('history is not open');
  return engine;
}

const ok = (id: number) => (value: Replies[keyof Replies]): void => port.postMessage({ id, ok: true, value } satisfies Reply);
const failed = (id: number) => (e: unknown): void => port.postMessage({ id, ok: false, error: toErrorData(e) } satisfies Reply);

// One at a time, in order: only open awaits, and nothing may overtake it.
let queue: Promise<void> = Promise.resolve();
port.on('message', (envelope: Envelope) => {
  queue = queue.then(async () => {
    try {
      const result = await handle(envelope.request);
      if (result instanceof Later) result.value.then(ok(envelope.id), failed(envelope.id));
      else ok(envelope.id)(result);
    } catch (e) {
      failed(envelope.id)(e);
    }
  });
});
