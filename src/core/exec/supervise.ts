// The host's watch over one child process, whatever it runs: the timeout, a cancel, the polite stop
// and the kill after the grace period, and the end — the process gone, its group killed, its pipes
// drained. Module runs and shell commands both go through here, so they share the same limits.
import type { ChildProcess } from 'child_process';
import type { Clock, TimerHandle } from '../clock';
import { formatDuration } from '../duration';
import type { CancelReason } from '../ports';
import { killProcessGroup } from './killTree';
import type { OutputCapture } from './outputCapture';

/**
 * Time between the polite stop (abort signal / SIGTERM) and SIGKILL: enough to close a file or a
 * connection and run the `after` hook, short enough that a stuck task frees its slot promptly.
 */
export const DEFAULT_GRACE_MS = 5_000;
/**
 * After the runner exits, how long its pipes may stay open. A process that left the group (setsid)
 * still holds them; the run must end anyway, so reading stops after this.
 */
const DRAIN_MS = 1_000;

export type StopReason = 'timeout' | CancelReason;

export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process could not be started at all. */
  spawnError?: Error;
}

export interface SupervisorOptions {
  clock: Clock;
  /** The run's time limit; 0 or less means none. */
  timeoutMs: number;
  graceMs: number;
  /** The polite stop: abort the task's signal, or SIGTERM a shell command's group. */
  askToStop(reason: StopReason, message: string): void;
}

export class Supervisor {
  stopReason: StopReason | undefined;
  stopMessage: string | undefined;
  /** The process did not end within the grace period and was killed. */
  killedAfterGrace = false;
  private pid: number | undefined;
  private exited = false;
  private finished = false;
  private readonly timers = new Set<TimerHandle>();

  constructor(private readonly options: SupervisorOptions) {
    if (options.timeoutMs > 0 && Number.isFinite(options.timeoutMs)) {
      this.after(options.timeoutMs, () => this.stop('timeout'));
    }
  }

  /**
   * Watches `child` until it has exited, its process group is killed and its pipes (and `alsoWaitFor`,
   * e.g. the IPC channel) are drained. Never rejects.
   */
  watch(child: ChildProcess, capture: OutputCapture, alsoWaitFor: Promise<void> = Promise.resolve()): Promise<ProcessEnd> {
    this.pid = child.pid;
    return new Promise<ProcessEnd>((resolve) => {
      child.on('error', (e) => {
        // Also emitted when a signal or a message could not be delivered; only a failed spawn ends the run.
        if (child.pid === undefined && !this.exited) {
          this.exited = true;
          this.clearTimers();
          resolve({ code: null, signal: null, spawnError: e });
        }
      });
      child.on('exit', (code, signal) => {
        this.exited = true;
        this.clearTimers();
        // Whatever the task started and left behind goes with it.
        killProcessGroup(child.pid, 'SIGKILL');
        let drained = false;
        const done = (): void => {
          if (drained) return;
          drained = true;
          capture.detach();
          resolve({ code, signal });
        };
        const drainTimer = this.options.clock.setTimer(done, DRAIN_MS);
        void Promise.all([capture.ended(), alsoWaitFor]).then(() => { drainTimer.cancel(); done(); });
      });
    });
  }

  /** Polite stop, then SIGKILL after the grace period. The first reason wins; repeated calls do nothing. */
  stop(reason: StopReason): void {
    if (this.stopReason || this.exited || this.finished) return;
    this.stopReason = reason;
    this.stopMessage = reason === 'timeout'
      ? `timed out after ${formatDuration(this.options.timeoutMs)}`
      : reason === 'cancelled' ? 'cancelled' : `cancelled (${reason})`;
    this.options.askToStop(reason, this.stopMessage);
    this.after(this.options.graceMs, () => {
      this.killedAfterGrace = true;
      this.kill();
    });
  }

  /** Ends the process tree now. */
  kill(): void {
    if (!this.exited) killProcessGroup(this.pid, 'SIGKILL');
  }

  /**
   * The runner reported its end: the time limit no longer applies and a later cancel changes nothing.
   * It must exit on its own within `ms`, or it is killed.
   */
  finishing(ms: number): void {
    if (this.exited) return;
    this.finished = true;
    if (!this.stopReason) this.clearTimers();
    this.after(ms, () => this.kill());
  }

  private after(ms: number, fn: () => void): void {
    const timer = this.options.clock.setTimer(() => { this.timers.delete(timer); fn(); }, ms);
    this.timers.add(timer);
  }

  private clearTimers(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}
