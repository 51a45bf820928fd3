// The snapshot: the whole database as one SQLite file, replaced only by rename so it is never
// half-written. Loading checks it before trusting it; a damaged file is moved aside, never deleted.
import * as fs from 'fs';
import type { Database, SqlJsStatic } from 'sql.js';
import { NewerSchemaError } from './errors';
import { corruptName, syncDir, syncDirSync } from './files';
import { SCHEMA_VERSION, schemaVersion } from './migrations';
import { all } from './rows';

/** When to fold the journal into a new snapshot. */
export interface SnapshotPolicy {
  /** Never for less than this much journal: a snapshot of a small database is cheap, but not free. */
  minJournalBytes: number;
  /** …or this many lines, whose replay on open costs per line rather than per byte. */
  minJournalEntries: number;
  /** And only once the journal is this fraction of the snapshot, so each byte is rewritten at most ~1/ratio times. */
  journalToSnapshotRatio: number;
}

export const DEFAULT_SNAPSHOT_POLICY: SnapshotPolicy = {
  minJournalBytes: 1 << 20,
  minJournalEntries: 1000,
  // Rewriting a 300 MB file per MiB of journal would make snapshots the main cost; at ¼ the journal
  // replays in well under a second on open and the file is rewritten at most ~4× per byte added.
  journalToSnapshotRatio: 0.25,
};

export function snapshotDue(journal: { bytes: number; entries: number }, snapshotBytes: number, p: SnapshotPolicy): boolean {
  if (journal.entries === 0) return false;
  return journal.bytes >= snapshotBytes * p.journalToSnapshotRatio
    && (journal.bytes >= p.minJournalBytes || journal.entries >= p.minJournalEntries);
}

/** Tells whether a file on disk is still the one we read (a reader reloads when it is not). */
export interface FileIdentity { ino: number; size: number; mtimeMs: number }

export function identityOf(file: string): FileIdentity | undefined {
  try {
    const st = fs.statSync(file);
    return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

export const sameIdentity = (a?: FileIdentity, b?: FileIdentity): boolean =>
  a === b || (!!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs);

export type LoadedSnapshot =
  | { kind: 'missing' }
  | { kind: 'ok'; db: Database; version: number; seq: number; bytes: number; identity?: FileIdentity }
  | { kind: 'corrupt'; reason: string };

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** One SQLite header; anything shorter cannot be a database. */
const HEADER_BYTES = 100;

/** Read and check the snapshot. Throws NewerSchemaError (and leaves the file alone) for a newer schema. */
export function loadSnapshot(sql: SqlJsStatic, file: string): LoadedSnapshot {
  const identity = identityOf(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  if (bytes.length === 0) return { kind: 'corrupt', reason: 'the file is empty' };
  if (bytes.length < HEADER_BYTES) return { kind: 'corrupt', reason: `the file is truncated (${bytes.length} bytes)` };
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { kind: 'corrupt', reason: 'the file is not a SQLite database' };
  let db: Database | undefined;
  try {
    db = new sql.Database(bytes);
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw new NewerSchemaError(file, version, SCHEMA_VERSION);
    const problems = all(db, 'PRAGMA integrity_check').map((r) => String(Object.values(r)[0]));
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new Error(`integrity check failed: ${problems.slice(0, 3).join('; ')}`);
    }
    return { kind: 'ok', db, version, seq: version >= 1 ? journalSeq(db) : 0, bytes: bytes.length, identity };
  } catch (e) {
    db?.close();
    if (e instanceof NewerSchemaError) throw e;
    return { kind: 'corrupt', reason: `the file is damaged: ${(e as Error).message}` };
  }
}

/** The journal sequence number the snapshot includes (replay skips entries up to it). */
export function journalSeq(db: Database): number {
  const v = all(db, "SELECT value FROM meta WHERE key = 'journal_seq'")[0]?.value;
  return v === undefined ? 0 : Number(v);
}

export function setJournalSeq(db: Database, seq: number): void {
  db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('journal_seq', ?)", [String(seq)]);
}

/**
 * Sync the snapshot every this many bytes while writing it: the journal's fsync shares the disk, and
 * behind one 200 MB flush it waited 50–70 ms (p99, measured); behind 1 MiB steps, 6–35 ms, for a
 * snapshot written 2–3× slower (it is in the worker, and durability does not wait for it).
 */
const SNAPSHOT_SYNC_STEP = 1 << 20;
/**
 * Bytes per second for a background snapshot: leaving the disk idle between steps kept the journal's
 * fsync p99 under 10 ms while a 400 MB snapshot was written (14 ms unpaced, measured); 400 MB then
 * take ~4 s, which nothing waits for.
 */
const SNAPSHOT_WRITE_RATE = 100e6;

/** Write `bytes` as the new snapshot: temp file, fsync, rename, fsync the folder. */
export function writeSnapshot(file: string, temp: string, dir: string, bytes: Uint8Array): void {
  const fd = fs.openSync(temp, 'w');
  try {
    for (let off = 0; off < bytes.length;) {
      const end = Math.min(bytes.length, off + SNAPSHOT_SYNC_STEP);
      while (off < end) off += fs.writeSync(fd, bytes, off, end - off);
      fs.fdatasyncSync(fd);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncDirSync(dir);
}

/**
 * The same, without blocking the worker's thread while the bytes go to disk (seconds for a large
 * file), so queries keep being answered meanwhile. `bytes` is a private copy: later mutations do not touch it.
 */
export async function writeSnapshotAsync(file: string, temp: string, dir: string, bytes: Uint8Array): Promise<void> {
  const fh = await fs.promises.open(temp, 'w');
  try {
    for (let off = 0; off < bytes.length;) {
      const started = performance.now();
      const end = Math.min(bytes.length, off + SNAPSHOT_SYNC_STEP);
      while (off < end) off += (await fh.write(bytes, off, end - off)).bytesWritten;
      await fh.datasync();
      const rest = (SNAPSHOT_SYNC_STEP / SNAPSHOT_WRITE_RATE) * 1000 - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(temp, file);
  await syncDir(dir);
}

/** Move a damaged file out of the way, keeping its bytes for a person to look at. Returns the new path. */
export function moveAside(file: string, dir: string, now: number): string {
  const target = freeCorruptName(file, now);
  fs.renameSync(file, target);
  syncDirSync(dir);
  return target;
}

/** Keep a copy of a damaged file that stays in use (a journal whose damaged lines are skipped). Returns the copy's path. */
export function copyAside(file: string, dir: string, now: number): string {
  const target = freeCorruptName(file, now);
  fs.copyFileSync(file, target, fs.constants.COPYFILE_EXCL);
  const fd = fs.openSync(target, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  syncDirSync(dir);
  return target;
}

function freeCorruptName(file: string, now: number): string {
  let target = corruptName(file, now);
  for (let i = 1; fs.existsSync(target); i++) target = `${corruptName(file, now)}-${i}`;
  return target;
}
