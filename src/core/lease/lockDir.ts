// A cross-process critical section on one machine, built on the one file-system call that is atomic
// everywhere Node runs: `mkdir` either creates the directory or fails with EEXIST. Whoever created it
// is inside; everyone else waits or gives up. A holder that dies inside leaves the directory behind, so
// a directory older than `staleMs` is taken to be abandoned and removed.
//
// Breaking a stale lock has an unavoidable race (two processes can both judge it stale, one removes it
// and enters, the other then removes the new one). It needs a holder to die inside a section that lasts
// milliseconds *and* two others to break it within microseconds of each other; the lease's heartbeat
// re-read is the second line of defence. The holder's side of the same problem — it was paused inside
// long enough to be judged dead — is what `fresh()` and the identity check on release are for.
import type { LeaseFs } from './leaseFile';

export interface HeldLock {
  /** Whether this section is still young enough that nobody can have judged the lock stale. */
  fresh(): boolean;
  /** Leave the section; a directory that is no longer ours (broken and re-made by another) is left alone. */
  release(): void;
  /** A stale directory left by a dead holder was removed on the way in. */
  readonly brokeStale: boolean;
}

/** Enter the section guarded by `lockPath`, or return undefined when someone else is in it. */
export function tryLock(fs: LeaseFs, lockPath: string, now: () => number, staleMs: number): HeldLock | undefined {
  if (makeDir(fs, lockPath)) return held(fs, lockPath, now, staleMs, false);
  const stat = statOf(fs, lockPath);
  let brokeStale = false;
  // |age|: a directory dated in the future means the clock was set back; it is no younger for that.
  if (stat) {
    if (Math.abs(now() - stat.mtimeMs) <= staleMs) return undefined;
    try {
      fs.rmdirSync(lockPath);
      brokeStale = true;
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e; // another process broke it first: race it for the mkdir below
    }
  }
  return makeDir(fs, lockPath) ? held(fs, lockPath, now, staleMs, brokeStale) : undefined;
}

function held(fs: LeaseFs, lockPath: string, now: () => number, staleMs: number, brokeStale: boolean): HeldLock {
  const enteredAt = now();
  // The directory's identity: an inode number alone can be reused at once by the next mkdir, its
  // creation time (an empty directory's mtime never changes) cannot.
  const made = statOf(fs, lockPath);
  // Half the stale age: a margin for the time between asking and the write that follows.
  const fresh = () => Math.abs(now() - enteredAt) < staleMs / 2;
  return {
    brokeStale,
    fresh,
    release() {
      if (!fresh()) {
        const current = statOf(fs, lockPath);
        if (!made || !current || current.ino !== made.ino || current.mtimeMs !== made.mtimeMs) return;
      }
      try {
        fs.rmdirSync(lockPath);
      } catch (e) {
        if (code(e) !== 'ENOENT') throw e; // broken while we were paused, and nobody is in there now
      }
    },
  };
}

function makeDir(fs: LeaseFs, lockPath: string): boolean {
  try {
    fs.mkdirSync(lockPath);
    return true;
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw e;
  }
}

/** The directory's stat, or undefined when it is gone (released meanwhile). */
function statOf(fs: LeaseFs, lockPath: string): { ino: number; mtimeMs: number } | undefined {
  try {
    const s = fs.statSync(lockPath);
    return { ino: s.ino, mtimeMs: s.mtimeMs };
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined;
    throw e;
  }
}

export function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}
