// The append-only journal: one JSON line per mutation, `{"s":<seq>,"m":<mutation>}`. A mutation is
// durable once its line is fsync'd, which costs one small write instead of exporting the whole
// database. Lines are group-committed: while one fsync is in flight, new lines queue up and share the
// next one, so the latency stays about one fsync however fast runs finish.
import * as fs from 'fs';
import * as path from 'path';
import { syncDir } from './files';
import type { Mutation } from './mutations';

export interface JournalEntry {
  seq: number;
  mutation: Mutation;
}

export function encodeEntry(seq: number, mutation: Mutation): string {
  return JSON.stringify({ s: seq, m: mutation }) + '\n';
}

export function decodeEntry(line: string): JournalEntry | undefined {
  try {
    const v = JSON.parse(line) as { s?: unknown; m?: { op?: unknown } };
    if (typeof v.s !== 'number' || typeof v.m !== 'object' || v.m === null || typeof v.m.op !== 'string') return undefined;
    return { seq: v.s, mutation: v.m as Mutation };
  } catch {
    return undefined;
  }
}

export interface ParsedJournal {
  entries: JournalEntry[];
  /** Bytes up to and including the last newline: what a reader has fully consumed. */
  end: number;
  /** Bytes after the last newline: a line whose write was cut off (kill -9, power loss); ignored. */
  tornBytes: number;
  /** Complete lines that are not valid entries (damaged in the middle): skipped. */
  corrupt: number;
}

const NEWLINE = 0x0a;

/** Parse whole lines from `buf`; a cut-off last line and damaged lines are counted, never fatal. */
export function parseJournal(buf: Buffer): ParsedJournal {
  const entries: JournalEntry[] = [];
  let start = 0;
  let corrupt = 0;
  for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
    if (nl > start) {
      const entry = decodeEntry(buf.toString('utf8', start, nl));
      if (entry) entries.push(entry); else corrupt++;
    }
    start = nl + 1;
  }
  return { entries, end: start, tornBytes: buf.length - start, corrupt };
}

/** Read a journal file from `offset` (missing file = empty). */
export function readJournalSync(file: string, offset = 0): ParsedJournal & { ino?: number } {
  let fd: number;
  try { fd = fs.openSync(file, 'r'); } catch { return { entries: [], end: offset, tornBytes: 0, corrupt: 0 }; }
  try {
    const st = fs.fstatSync(fd);
    const buf = Buffer.alloc(Math.max(0, st.size - offset));
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    const parsed = parseJournal(buf.subarray(0, got));
    return { ...parsed, end: offset + parsed.end, ino: st.ino };
  } finally {
    fs.closeSync(fd);
  }
}

interface Deferred { resolve(): void; reject(e: Error): void }
type Op = { kind: 'line'; text: string; done: Deferred } | { kind: 'rotate'; to: string; done: Deferred };

/**
 * Appends lines durably, in order, from the caller's thread without blocking it: writes and fsyncs
 * run on libuv's thread pool. After a failed write the file's tail is unknown, so the writer refuses
 * everything after it (the caller reopens, and the torn tail is dropped then).
 */
export class JournalWriter {
  private ops: Op[] = [];
  /** Set and cleared synchronously inside drain(), so an op queued at any moment is either seen by the running loop or starts a new one. */
  private running = false;
  private draining: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closed = false;

  private constructor(private fh: fs.promises.FileHandle, readonly file: string, public bytes: number, public entries: number) {}

  static async open(file: string, bytes: number, entries: number): Promise<JournalWriter> {
    const fh = await fs.promises.open(file, 'a');
    await syncDir(path.dirname(file));
    return new JournalWriter(fh, file, bytes, entries);
  }

  /** Resolves once the line is on disk (fsync'd). */
  append(text: string): Promise<void> {
    return this.enqueue((done) => ({ kind: 'line', text, done }));
  }

  /** Move the current file to `to` and continue in a fresh one (for a snapshot to fold `to` in). */
  rotate(to: string): Promise<void> {
    return this.enqueue((done) => ({ kind: 'rotate', to, done }));
  }

  /** Resolves when everything appended so far is durable (or has failed). */
  async idle(): Promise<void> {
    while (this.running) await this.draining;
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }

  private enqueue(make: (done: Deferred) => Op): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('history journal is closed'));
    return new Promise<void>((resolve, reject) => {
      this.ops.push(make({ resolve, reject }));
      if (!this.running) {
        this.running = true;
        this.draining = this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.ops.length) {
        const first = this.ops[0];
        const batch = first.kind === 'rotate' ? this.ops.splice(0, 1) : this.ops.splice(0, this.lineRun());
        try {
          if (this.failure) throw this.failure;
          if (first.kind === 'rotate') await this.doRotate(first.to);
          else await this.write(batch as Array<Extract<Op, { kind: 'line' }>>);
          for (const op of batch) op.done.resolve();
        } catch (e) {
          this.failure ??= e instanceof Error ? e : new Error(String(e));
          for (const op of batch) op.done.reject(this.failure);
        }
      }
    } finally {
      // No await between the loop's last check and this line (see `running`).
      this.running = false;
    }
  }

  /** How many queued ops from the front are lines (they share one write and one fsync). */
  private lineRun(): number {
    let n = 0;
    while (n < this.ops.length && this.ops[n].kind === 'line') n++;
    return n;
  }

  private async write(lines: Array<Extract<Op, { kind: 'line' }>>): Promise<void> {
    const buf = Buffer.from(lines.map((l) => l.text).join(''), 'utf8');
    for (let off = 0; off < buf.length;) off += (await this.fh.write(buf, off, buf.length - off)).bytesWritten;
    await this.fh.datasync();
    this.bytes += buf.length;
    this.entries += lines.length;
  }

  private async doRotate(to: string): Promise<void> {
    await this.fh.close();
    await fs.promises.rename(this.file, to);
    this.fh = await fs.promises.open(this.file, 'a');
    await syncDir(path.dirname(this.file));
    this.bytes = 0;
    this.entries = 0;
  }
}
