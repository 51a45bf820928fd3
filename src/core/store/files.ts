// The store's files inside a workspace's data folder, and the directory fsync that makes a rename or a
// new file's name durable (not only its bytes).
import * as fs from 'fs';
import * as path from 'path';

export interface HistoryFiles {
  dir: string;
  /** The last snapshot: a complete SQLite file, only ever replaced by rename. */
  db: string;
  /** Mutations since the snapshot, one JSON line each. */
  journal: string;
  /** The journal being folded into a snapshot right now (exists only while a snapshot is written). */
  oldJournal: string;
  /** Where the next snapshot is written before the rename. */
  temp: string;
}

export function historyFiles(dataDir: string): HistoryFiles {
  const db = path.join(dataDir, 'history.sqlite');
  const journal = path.join(dataDir, 'history.journal');
  return { dir: dataDir, db, journal, oldJournal: `${journal}.old`, temp: `${db}.tmp` };
}

/** `history.sqlite.corrupt-2025-01-31T09-15-00.000Z`: ISO time with ':' → '-' so the name is valid on Windows too. */
export function corruptName(file: string, now: number): string {
  return `${file}.corrupt-${new Date(now).toISOString().replace(/:/g, '-')}`;
}

/** Some platforms (Windows) cannot open a directory for fsync; there the rename is as durable as it gets. */
export function syncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch { /* see above */ } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export async function syncDir(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(dir, 'r');
    await fh.sync();
  } catch { /* see syncDirSync */ } finally {
    await fh?.close();
  }
}

export function fileSize(file: string): number {
  try { return fs.statSync(file).size; } catch { return 0; }
}
