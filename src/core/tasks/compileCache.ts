// What the compiler remembers between builds: for each task file, its output and the input files
// it was built from, and for each input its size, mtime and content hash. A task is reused when its
// output exists and none of its inputs changed — decided by stat alone when size and mtime agree,
// by hashing only when they do not (a touched but unchanged file costs one read, never a rebuild).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from '../model';

/** Bump when the manifest's shape or the meaning of an output changes: older caches are ignored. */
const MANIFEST_VERSION = 1;

/**
 * A file whose mtime is this close to the moment we recorded it may change again within the same
 * timestamp tick without its mtime moving (git's "racy clean" problem), so it is hashed next time.
 */
const RACY_MS = 2_000;

export interface FileRecord {
  mtimeMs: number;
  size: number;
  /** Content hash; '' for files judged by stat alone (packages the output `require`s at run time). */
  hash: string;
  racy?: boolean;
}

export interface EntryRecord {
  /** Absolute path of the compiled JavaScript. */
  out: string;
  /** Absolute paths of every file the output depends on (sources bundled in, packages required). */
  inputs: string[];
  /** Warnings of the build that made `out`, replayed while it is reused so Problems stays the same. */
  warnings?: Diagnostic[];
}

export interface Manifest {
  version: number;
  /** Identifies the build settings; a different key means every output is stale. */
  key: string;
  files: Record<string, FileRecord>;
  entries: Record<string, EntryRecord>;
}

export function hashContent(data: Buffer | string): string {
  return crypto.createHash('sha1').update(data).digest('base64url');
}

export function emptyManifest(key: string): Manifest {
  return { version: MANIFEST_VERSION, key, files: {}, entries: {} };
}

/** The manifest at `file` when it was written with the same `key`, else an empty one. */
export function loadManifest(file: string, key: string): Manifest {
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
    if (m && m.version === MANIFEST_VERSION && m.key === key && m.files && m.entries) return m;
  } catch { /* missing or torn: start over, the outputs are rebuilt */ }
  return emptyManifest(key);
}

/** Writes beside and renames, so a reader never sees half a manifest. */
export function saveManifest(file: string, manifest: Manifest): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(manifest));
  fs.renameSync(tmp, file);
}

/** A record for content read after `stat` (so a later edit always moves mtime or is caught as racy). */
export function recordOf(stat: fs.Stats, hash: string, now = Date.now()): FileRecord {
  const rec: FileRecord = { mtimeMs: stat.mtimeMs, size: stat.size, hash };
  if (now - stat.mtimeMs < RACY_MS) rec.racy = true;
  return rec;
}

/**
 * Answers "is this input as recorded?" for one compile call, touching each file at most once
 * (1,000 tasks sharing one helper stat it once). Records it re-confirms are updated in place.
 */
export class InputChecker {
  private readonly memo = new Map<string, boolean>();
  /** True once a record was refreshed (its mtime moved but its content did not): worth saving. */
  dirty = false;

  constructor(private readonly files: Record<string, FileRecord>) {}

  unchanged(file: string): boolean {
    let ok = this.memo.get(file);
    if (ok === undefined) {
      ok = this.check(file);
      this.memo.set(file, ok);
    }
    return ok;
  }

  private check(file: string): boolean {
    const rec = this.files[file];
    if (!rec) return false;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat || !stat.isFile()) return false;
    if (stat.size !== rec.size) return false;
    const sameStat = stat.mtimeMs === rec.mtimeMs;
    if (!rec.hash) return sameStat;
    if (sameStat && !rec.racy) return true;
    let data: Buffer;
    try { data = fs.readFileSync(file); } catch { return false; }
    if (hashContent(data) !== rec.hash) return false;
    const fresh = recordOf(stat, rec.hash);
    if (fresh.mtimeMs !== rec.mtimeMs || fresh.racy !== rec.racy) {
      this.files[file] = fresh;
      this.dirty = true;
    }
    return true;
  }
}
