// The database itself: sql.js in memory, loaded from the snapshot plus the journal, answering queries
// and writing snapshots. Synchronous by nature (sql.js is), so the extension host and `task-scheduler
// run` use it inside a worker thread (worker.ts); the read-only CLI may use it in-process.
import * as fs from 'fs';
import type { Database, SqlJsStatic } from 'sql.js';
import type { OpenReport } from '../ports';
import { historyFiles, type HistoryFiles } from './files';
import type { JournalEntry } from './journal';
import { migrate, SCHEMA_VERSION } from './migrations';
import { applyMutation, type Mutation, type MutationResult } from './mutations';
import { type Query, type QueryResult, runQuery } from './queries';
import { collectJournals } from './replay';
import {
  copyAside, type FileIdentity, identityOf, loadSnapshot, moveAside, sameIdentity, setJournalSeq, snapshotDue, type SnapshotPolicy,
  writeSnapshot,
} from './snapshot';
import { all } from './rows';

export interface EngineOptions {
  sql: SqlJsStatic;
  dataDir: string;
  /** Wall-clock time for the name of a file moved aside. */
  now: number;
  policy: SnapshotPolicy;
}

export interface WriterOpened {
  report: OpenReport;
  /** The newest sequence number in the database; the next mutation gets a higher one. */
  lastSeq: number;
  snapshotBytes: number;
  journal: { bytes: number; entries: number };
}

/** A reader retries this often when a snapshot is replaced while it reads (it then reads the new one). */
const READ_RETRIES = 5;
/** VACUUM when more than this share of the file is free pages (after retention deleted many runs). */
const VACUUM_FREE_RATIO = 0.25;

export class HistoryEngine {
  private seq = 0;
  /** The sequence number the loaded snapshot includes. */
  private snapshotSeqAtLoad = 0;
  private snapshotIdentity: FileIdentity | undefined;
  /** Reader only: inode → journal bytes already applied. */
  private offsets = new Map<number, number>();
  /** What opening found, plus any damaged journal lines skipped since. */
  report: OpenReport = {};
  /** Readable journal entries the database refused while replaying: the snapshot may be what is damaged. */
  private refused = 0;

  private constructor(private db: Database, readonly files: HistoryFiles, private readonly sql: SqlJsStatic, readonly readOnly: boolean) {
    tune(db);
  }

  /** Open for writing: repair what must be repaired (move a damaged file aside, drop a torn journal tail), migrate, replay. */
  static openWriter(o: EngineOptions): { engine: HistoryEngine; opened: WriterOpened } {
    const files = historyFiles(o.dataDir);
    fs.mkdirSync(files.dir, { recursive: true });
    const { engine, fresh, migrated } = HistoryEngine.load(o.sql, files, false, o.now);
    const j = collectJournals(files);
    engine.replay(j.entries, j.corrupt);
    // Skipped lines (unreadable, or refused by the database) would be gone with the next snapshot: keep
    // the damaged journal's bytes, as a damaged snapshot's are kept (before a torn tail is cut off below).
    const damaged = (engine.report.skippedJournalEntries ?? 0) > 0;
    if (damaged) engine.keepDamagedFiles(o.now);
    if (j.journalTorn) fs.truncateSync(files.journal, j.journalEnd);
    let snapshotBytes = engine.snapshotIdentity?.size ?? 0;
    let journal = { bytes: j.journalEnd, entries: j.journalEntries };
    // A fresh or migrated database must reach the disk before any new journal line refers to it; a
    // leftover old journal (crash during a snapshot) must be folded in before the next rotation reuses its name;
    // a journal with damaged lines (copied aside above) is folded so the next open does not meet them again.
    if (fresh || migrated || j.oldJournalExists || damaged || snapshotDue(journal, snapshotBytes, o.policy)) {
      snapshotBytes = engine.snapshot().bytes;
      fs.rmSync(files.oldJournal, { force: true });
      fs.writeFileSync(files.journal, '');
      journal = { bytes: 0, entries: 0 };
    }
    return { engine, opened: { report: engine.report, lastSeq: engine.seq, snapshotBytes, journal } };
  }

  /** Open without writing anything: a damaged snapshot is reported, not moved; a torn journal tail is left for the writer. */
  static openReader(o: Pick<EngineOptions, 'sql' | 'dataDir'>): HistoryEngine {
    const files = historyFiles(o.dataDir);
    for (let attempt = 1; ; attempt++) {
      const { engine } = HistoryEngine.load(o.sql, files, true, 0);
      const j = collectJournals(files, engine.offsets);
      engine.replay(j.entries, j.corrupt);
      const contiguous = j.entries.length === 0 || j.entries[0].seq <= engine.snapshotSeqAtLoad + 1;
      if ((sameIdentity(identityOf(files.db), engine.snapshotIdentity) && contiguous) || attempt >= READ_RETRIES) {
        return engine;
      }
      engine.close();
    }
  }

  private static load(sql: SqlJsStatic, files: HistoryFiles, readOnly: boolean, now: number) {
    const report: OpenReport = {};
    const loaded = loadSnapshot(sql, files.db);
    let db: Database;
    let fresh = true;
    let migrated = false;
    if (loaded.kind === 'ok') {
      db = loaded.db;
      fresh = false;
      report.fromVersion = loaded.version;
      migrated = loaded.version < SCHEMA_VERSION;
    } else {
      db = new sql.Database();
      if (loaded.kind === 'corrupt' && readOnly) {
        report.reason = `history.sqlite cannot be read (${loaded.reason}); showing only the journal until the executor replaces it`;
      } else if (loaded.kind === 'corrupt') {
        report.movedAside = moveAside(files.db, files.dir, now);
        report.reason = `history.sqlite could not be read (${loaded.reason}); it was moved to ${report.movedAside} and a fresh history was started`;
      }
    }
    migrate(db);
    const engine = new HistoryEngine(db, files, sql, readOnly);
    engine.seq = engine.snapshotSeqAtLoad = loaded.kind === 'ok' ? loaded.seq : 0;
    engine.snapshotIdentity = loaded.kind === 'ok' ? loaded.identity : undefined;
    engine.report = report;
    return { engine, fresh, migrated };
  }

  /**
   * Copies the journal files aside (`history.journal.corrupt-<time>`) and says so in the report. When the
   * database refused readable entries, the snapshot they were replayed onto may be the damaged part (a
   * flipped byte can pass SQLite's integrity check and still hide a table's rows), so its bytes are kept
   * too, before the next snapshot replaces it.
   */
  private keepDamagedFiles(now: number): void {
    const copies = [this.files.journal, this.files.oldJournal].filter((f) => fs.existsSync(f))
      .map((f) => copyAside(f, this.files.dir, now));
    if (copies.length) this.report.reason = `${this.report.reason}; the damaged journal was copied to ${copies.join(' and ')}`;
    if (this.refused > 0 && fs.existsSync(this.files.db)) {
      this.report.reason = `${this.report.reason}; the history they were replayed onto was copied to ${copyAside(this.files.db, this.files.dir, now)}`;
    }
  }

  /** Apply journal entries newer than the database, in order; a damaged or failing one is skipped and counted. */
  private replay(entries: JournalEntry[], corrupt: number): void {
    const report = this.report;
    let skipped = corrupt;
    for (const e of entries) {
      if (e.seq <= this.seq) continue;
      try { applyMutation(this.db, e.mutation); } catch { skipped++; this.refused++; }
      this.seq = e.seq;
    }
    if (skipped > 0) {
      report.skippedJournalEntries = (report.skippedJournalEntries ?? 0) + skipped;
      const note = `${report.skippedJournalEntries} damaged history journal entries were skipped`;
      report.reason = report.reason ? `${report.reason}; ${note}` : note;
    }
  }

  /** The writer applies each mutation as the client sends it (the client journals it). */
  apply<M extends Mutation>(seq: number, m: M): MutationResult<M> {
    if (this.readOnly) throw new Error('history is open read-only');
    this.seq = Math.max(this.seq, seq);
    return applyMutation(this.db, m);
  }

  /** Bulk load (benchmarks, imports): many mutations in one transaction. */
  applyAll(mutations: Iterable<{ seq: number; mutation: Mutation }>): void {
    this.db.run('BEGIN');
    try {
      for (const { seq, mutation } of mutations) this.apply(seq, mutation);
      this.db.run('COMMIT');
    } catch (e) {
      this.db.run('ROLLBACK');
      throw e;
    }
  }

  query<Q extends Query>(q: Q): QueryResult<Q> {
    return runQuery(this.db, q);
  }

  /** The database as a snapshot file's bytes, including every mutation applied so far. */
  exportSnapshot(): { seq: number; bytes: Uint8Array } {
    if (this.readOnly) throw new Error('history is open read-only');
    this.vacuumIfSparse();
    setJournalSeq(this.db, this.seq);
    // export() closes and reopens the database inside sql.js, which resets per-connection pragmas.
    const bytes = this.db.export();
    tune(this.db);
    return { seq: this.seq, bytes };
  }

  /** Write the whole database as the new snapshot, synchronously (on open; the worker writes later ones asynchronously). */
  snapshot(): { seq: number; bytes: number } {
    const { seq, bytes } = this.exportSnapshot();
    writeSnapshot(this.files.db, this.files.temp, this.files.dir, bytes);
    this.snapshotIdentity = identityOf(this.files.db);
    return { seq, bytes: bytes.length };
  }

  /** Reader: catch up with what the writer wrote since; reloads everything if the snapshot was replaced. */
  reload(): { changed: boolean; report: OpenReport } {
    if (!sameIdentity(identityOf(this.files.db), this.snapshotIdentity)) return this.reopen();
    const before = this.seq;
    const j = collectJournals(this.files, this.offsets);
    // The writer numbers lines without gaps: a gap means this reader's offsets went wrong (a file
    // rewritten, an inode reused), so read everything again rather than show a hole.
    const next = j.entries.find((e) => e.seq > this.seq);
    if (j.shrunk || (next && next.seq > this.seq + 1)) return this.reopen();
    this.replay(j.entries, j.corrupt);
    if (!sameIdentity(identityOf(this.files.db), this.snapshotIdentity)) return this.reopen();
    return { changed: this.seq !== before, report: this.report };
  }

  private reopen(): { changed: boolean; report: OpenReport } {
    const engine = HistoryEngine.openReader({ sql: this.sql, dataDir: this.files.dir });
    this.db.close();
    this.report = engine.report;
    this.db = engine.db;
    this.seq = engine.seq;
    this.snapshotSeqAtLoad = engine.snapshotSeqAtLoad;
    this.snapshotIdentity = engine.snapshotIdentity;
    this.offsets = engine.offsets;
    return { changed: true, report: this.report };
  }

  get lastSeq(): number {
    return this.seq;
  }

  close(): void {
    this.db.close();
  }

  private vacuumIfSparse(): void {
    const pages = Number(all(this.db, 'PRAGMA page_count')[0]?.page_count ?? 0);
    const free = Number(all(this.db, 'PRAGMA freelist_count')[0]?.freelist_count ?? 0);
    if (pages > 0 && free / pages > VACUUM_FREE_RATIO) this.db.run('VACUUM');
  }
}

/**
 * The database lives in sql.js's in-memory file system and its durability is our journal, so
 * SQLite's own rollback journal may stay in memory too (5× faster commits, measured); it still
 * makes each mutation atomic.
 */
function tune(db: Database): void {
  db.run('PRAGMA journal_mode = MEMORY');
}
