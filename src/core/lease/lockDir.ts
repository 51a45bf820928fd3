// A cross-process critical section on one machine, built on the one file-system call that is atomic
// everywhere Node runs: `mkdir` either creates the directory or fails with EEXIST. Whoever created it
// is inside; everyone else waits or gives up. A holder that dies inside leaves the directory behind, so
// a directory older than `staleMs` is taken to be abandoned and removed.
//
// Breaking a stale lock has an unavoidable race (two processes can both judge it stale, one removes it
// and enters, the other then removes the new one). It needs a holder to die inside a section that lasts
// milliseconds *and* two others to break it within microseconds of each other; the lease's heartbeat
// re-read is the second line of defence. `fresh()` narrows the other way round: a holder that was
// paused so long that its lock may have been broken must not write.
import type { LeaseFs } from './leaseFile';

export interface HeldLock {
  /** Whether this section is still young enough that nobody can have judged the lock stale. */
  fresh(now: number): boolean;
  release(): void;
  /** A stale directory left by a dead holder was removed on the way in. */
  readonly brokeStale: boolean;
}

/** Enter the section guarded by `lockPath`, or return undefined when someone else is in it. */
export function tryLock(fs: LeaseFs, lockPath: string, now: number, staleMs: number): HeldLock | undefined {
  if (makeDir(fs, lockPath)) return held(fs, lockPath, now, staleMs, false);
  const age = ageOf(fs, lockPath, now);
  let brokeStale = false;
  // |age|: a directory dated in the future means the clock was set back; it is no younger for that.
  if (age !== undefined) {
    if (Math.abs(age) <= staleMs) return undefined;
    try {
      fs.rmdirSync(lockPath);
      brokeStale = true;
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e; // another process broke it first: race it for the mkdir below
    }
  }
  return makeDir(fs, lockPath) ? held(fs, lockPath, now, staleMs, brokeStale) : undefined;
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

/** Milliseconds since the lock directory was made; undefined when it was released meanwhile. */
function ageOf(fs: LeaseFs, lockPath: string, now: number): number | undefined {
  try {
    return now - fs.statSync(lockPath).mtimeMs;
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined;
    throw e;
  }
}

function held(fs: LeaseFs, lockPath: string, enteredAt: number, staleMs: number, brokeStale: boolean): HeldLock {
  return {
    brokeStale,
    // Half the stale age: a margin for the time between this check and the write that follows it.
    fresh: (now) => Math.abs(now - enteredAt) < staleMs / 2,
    release() {
      try {
        fs.rmdirSync(lockPath);
      } catch (e) {
        if (code(e) !== 'ENOENT') throw e; // ENOENT: judged stale and broken while we were paused
      }
    },
  };
}

export function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}
