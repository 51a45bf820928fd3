// What the history client and its worker thread say to each other: one request union, and for each
// request type the value its reply carries. Everything here is plain data (structured-clone safe).
import type { OpenReport } from '../ports';
import type { WriterOpened } from './engine';
import type { ErrorData } from './errors';
import type { MutationResult } from './mutations';
import type { Query, QueryResults } from './queries';
import type { SnapshotPolicy } from './snapshot';

export type Request =
  | { type: 'openWriter'; dataDir: string; now: number; policy: SnapshotPolicy; wasm: string }
  | { type: 'openReader'; dataDir: string; wasm: string }
  /** `line` is the journal line, already durable or on its way: the worker applies exactly what replay would. */
  | { type: 'apply'; seq: number; line: string }
  | { type: 'query'; query: Query }
  | { type: 'snapshot' }
  | { type: 'reload' }
  | { type: 'close' };

export interface Replies {
  openWriter: WriterOpened;
  openReader: OpenReport;
  apply: MutationResult;
  query: QueryResults[keyof QueryResults];
  snapshot: { seq: number; bytes: number };
  reload: { changed: boolean; report: OpenReport };
  close: undefined;
}

export interface Envelope {
  id: number;
  request: Request;
}

export type Reply =
  | { id: number; ok: true; value: Replies[keyof Replies] }
  | { id: number; ok: false; error: ErrorData };
