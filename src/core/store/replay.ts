// Reading the journal files back: `history.journal` and, while a snapshot is being written,
// `history.journal.old`. Used on open (writer and readers) and by readers catching up on changes.
import * as fs from 'fs';
import type { HistoryFiles } from './files';
import { type JournalEntry, readJournalSync } from './journal';

export interface CollectedJournal {
  /** Entries of both files, by sequence number, each once. */
  entries: JournalEntry[];
  /** Damaged complete lines (skipped). */
  corrupt: number;
  /** The current journal: bytes of whole lines, and whether its tail is a cut-off line. */
  journalEnd: number;
  journalTorn: boolean;
  journalEntries: number;
  oldJournalExists: boolean;
  /** A file is shorter than where this reader stopped in it (rewritten): the offsets cannot be trusted. */
  shrunk: boolean;
}

/**
 * Read both journal files from where this reader last stopped in each (`offsets`: inode → bytes
 * consumed; updated in place). The current journal is read BEFORE the old one: if the writer rotates
 * in between, the file just read has moved to the old name and is read on (same inode, same offset),
 * so no entry is missed; the merge by sequence number puts the old file's tail first.
 */
export function collectJournals(files: HistoryFiles, offsets: Map<number, number> = new Map()): CollectedJournal {
  const bySeq = new Map<number, JournalEntry>();
  const seen = new Set<number>();
  let corrupt = 0;
  let shrunk = false;
  const read = (file: string) => {
    const st = stat(file);
    if (!st) return undefined;
    const from = offsets.get(st.ino) ?? 0;
    if (st.size < from) shrunk = true;
    const parsed = readJournalSync(file, Math.min(from, st.size));
    if (parsed.ino !== undefined) {
      offsets.set(parsed.ino, parsed.end);
      seen.add(parsed.ino);
    }
    for (const e of parsed.entries) {
      // The writer numbers every line once: a second line with a number is damage (or a second writer),
      // counted so it is reported and the journal kept; the later line is replayed.
      if (bySeq.has(e.seq)) corrupt++;
      bySeq.set(e.seq, e);
    }
    corrupt += parsed.corrupt;
    return parsed;
  };
  const current = read(files.journal);
  const old = read(files.oldJournal);
  // Forget files that are gone: the file system reuses their inode numbers for new files.
  for (const ino of [...offsets.keys()]) if (!seen.has(ino)) offsets.delete(ino);
  return {
    entries: [...bySeq.values()].sort((a, b) => a.seq - b.seq),
    corrupt,
    journalEnd: current?.end ?? 0,
    journalTorn: (current?.tornBytes ?? 0) > 0,
    journalEntries: current?.entries.length ?? 0,
    oldJournalExists: old !== undefined,
    shrunk,
  };
}

function stat(file: string): fs.Stats | undefined {
  try { return fs.statSync(file); } catch { return undefined; }
}
