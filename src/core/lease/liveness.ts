// Is the process that holds the lease still there? Only ever used in one direction: a pid that does not
// exist proves the holder is dead (so a survivor need not wait for the expiry after a kill -9). A pid
// that exists proves nothing — pids are reused — so a live-looking holder still has to keep renewing.
import * as fs from 'fs';

/** False only when the process certainly does not exist (ESRCH); EPERM means it exists but is not ours. */
export function isPidAlive(pid: number): boolean {
  // 0 and negatives address process groups, not a process: never conclude anything from them.
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * This process's pid namespace on Linux (e.g. "pid:[4026531836]"), undefined elsewhere. Two containers
 * can share a host name and a mounted data folder; their pids mean different processes.
 */
export function currentPidNamespace(): string | undefined {
  try {
    return fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}
