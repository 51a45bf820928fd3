// Ending a run's whole process tree. Every child is spawned `detached: true`, which on POSIX makes it
// the leader of a new process group (pgid = its pid). A task that starts `sleep 1000 &` and returns
// leaves that grandchild in the same group, so signalling `-pid` reaches it even after the runner
// itself has exited — killing only the runner would orphan it (reparented to init, running forever).
import { spawn } from 'child_process';
import { readFileSync } from 'fs';

export type KillSignal = 'SIGTERM' | 'SIGKILL';

/**
 * Sends `signal` to every process in the group led by `pid`. Returns false when none was left.
 * The group id stays reserved while any member lives, so a leader that has exited and been reaped
 * does not free `-pid` for reuse until its whole group is gone.
 */
export function killProcessGroup(pid: number | undefined, signal: KillSignal, platform: NodeJS.Platform = process.platform): boolean {
  if (!pid) return false;
  if (platform === 'win32') {
    // No process groups or polite signals on Windows: taskkill /T walks the tree from the pid. The
    // polite step is skipped there (a run's grace period simply runs out), and the kill is asynchronous.
    if (signal === 'SIGKILL') {
      const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      killer.on('error', () => undefined);
    }
    return true;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/** Whether a process is still there (a zombie awaiting its reaper counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; comm may contain spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
