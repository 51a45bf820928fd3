// Writes that could not reach the database (it is down, or this member is cut off), kept in a small local
// file until it is back: one JSON line each, fsynced before the caller is told it is stored, replayed in
// order. A finished run is never lost to an outage.
import * as fs from 'fs';
import * as path from 'path';

export type JournalEntry =
  | { op: 'putRun'; run: import('../ports').RunRecord; token?: number }
  | { op: 'putPending'; job: import('../ports').PendingJob }
  | { op: 'deletePending'; id: string }
  | { op: 'saveTaskState'; state: import('../ports').TaskStateRecord; fields: string[] };

export const JOURNAL_FILE = 'cluster-journal.jsonl';

export class LocalJournal {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, JOURNAL_FILE);
  }

  append(entry: JournalEntry): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const fd = fs.openSync(this.file, 'a');
    try {
      fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  get size(): number {
    try { return fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean).length; } catch { return 0; }
  }

  /**
   * Replays entries in order through `write` (false = the database went away again: stop, keep the rest).
   * A damaged line (a cut-off last write) is skipped.
   */
  async replay(write: (e: JournalEntry) => Promise<boolean>): Promise<number> {
    let lines: string[];
    try { lines = fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean); } catch { return 0; }
    let done = 0;
    for (; done < lines.length; done++) {
      let entry: JournalEntry;
      try { entry = JSON.parse(lines[done]) as JournalEntry; } catch { continue; }
      if (!(await write(entry))) break;
    }
    // Entries appended meanwhile come after those read: drop only the ones written.
    const now = fs.readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    const rest = now.slice(done);
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, rest.length ? `${rest.join('\n')}\n` : '');
    fs.renameSync(tmp, this.file);
    return done;
  }
}
