// The lease on disk: one small JSON file in the workspace's data folder. Readers never take the lock —
// the file is only ever replaced by rename, so a read sees a whole record or none. Anything that does
// not parse as a record (garbage, an empty file after a crash) reads as "no lease": the worst it can
// cost is a takeover, and that still goes through the critical section.
import type * as nodeFs from 'fs';
import * as crypto from 'crypto';
import type { LeaseOwner } from '../ports';

/** The synchronous file calls the lease uses; tests pass a wrapper to inject faults. */
export type LeaseFs = Pick<typeof nodeFs,
  'mkdirSync' | 'rmdirSync' | 'statSync' | 'readFileSync' | 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' |
  'renameSync' | 'unlinkSync'>;

export interface LeaseRecord {
  owner: LeaseOwner;
  /** New on every acquisition: tells this holding apart from an earlier one by the same owner. */
  token: string;
  acquiredAt: number;
  heartbeatAt: number;
  expiresAt: number;
  /** The holder's pid namespace (Linux), so a pid is only checked where it means the same process. */
  pidNamespace?: string;
}

/** The record in `file`, or undefined when there is none or it is not a valid record. */
export function readLeaseFile(fs: LeaseFs, file: string): LeaseRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function asRecord(v: unknown): LeaseRecord | undefined {
  if (!isObject(v) || !isObject(v.owner)) return undefined;
  const o = v.owner;
  const ok = typeof o.id === 'string' && typeof o.label === 'string' && typeof o.host === 'string' &&
    Number.isSafeInteger(o.pid) && typeof v.token === 'string' &&
    [v.acquiredAt, v.heartbeatAt, v.expiresAt].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    (v.pidNamespace === undefined || typeof v.pidNamespace === 'string');
  if (!ok) return undefined;
  return {
    owner: { id: o.id as string, label: o.label as string, pid: o.pid as number, host: o.host as string },
    token: v.token as string,
    acquiredAt: v.acquiredAt as number,
    heartbeatAt: v.heartbeatAt as number,
    expiresAt: v.expiresAt as number,
    ...(v.pidNamespace === undefined ? {} : { pidNamespace: v.pidNamespace as string }),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Replace `file` with `record` atomically: temp file, fsync, rename. `mayCommit` is asked just before
 * the rename, so a writer paused past its lock's life drops the write instead of clobbering a newer
 * holder. Returns whether the record was written.
 */
export function writeLeaseFile(fs: LeaseFs, file: string, record: LeaseRecord, mayCommit: () => boolean = () => true): boolean {
  const tmp = `${file}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  let renamed = false;
  try {
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      fs.writeSync(fd, JSON.stringify(record, null, 2) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (!mayCommit()) return false;
    fs.renameSync(tmp, file);
    renamed = true;
    return true;
  } finally {
    if (!renamed) try { fs.unlinkSync(tmp); } catch { /* never created */ }
  }
}

/** Delete the lease file; absent is fine. */
export function removeLeaseFile(fs: LeaseFs, file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
