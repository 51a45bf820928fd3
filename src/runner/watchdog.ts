// A runner whose task blocks its event loop (a synchronous endless loop) never hears its IPC channel
// close when the scheduler dies, so serve.ts's disconnect handler cannot end it. This watchdog runs on
// its own thread: it polls the parent pid, and once the runner has been orphaned (re-parented), gives
// the task the same grace as the disconnect handler and then kills the run's process group — whether
// or not the main thread ever wakes up. POSIX only (Windows has no re-parenting or process groups).
import { Worker } from 'worker_threads';

/** How often the parent pid is read: a cheap call, and the grace dwarfs this delay. */
const POLL_MS = 500;

// Plain JS evaluated in the worker: nothing to bundle, no file to ship.
const SOURCE = `
const { workerData: { pid, ppid, graceMs, pollMs } } = require('worker_threads');
const poll = setInterval(() => {
  if (process.ppid === ppid) return;
  clearInterval(poll);
  setTimeout(() => {
    try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch {} }
  }, graceMs);
}, pollMs);
`;

export function startOrphanWatchdog(graceMs: number): void {
  if (process.platform === 'win32') return;
  const worker = new Worker(SOURCE, { eval: true, workerData: { pid: process.pid, ppid: process.ppid, graceMs, pollMs: POLL_MS } });
  worker.on('error', () => undefined); // the watchdog is a safety net: its failure must not fail the run
  worker.unref(); // it never keeps a finished runner alive
}
