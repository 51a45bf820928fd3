// The engine's wake: one timer for the earliest due item (next slots, pending jobs, watchdog
// deadlines, retention), and what each wake does — read the clock, notice jumps, handle due slots and
// jobs, give up on silent executors, prune history, start what fits, re-arm.
import type { Clock } from '../clock';
import { formatDuration } from '../duration';
import { ON_TIME_TOLERANCE_MS } from './catchUp';
import { errorText, type Core } from './core';
import { cleanupHistory } from './fromHistory';
import type { Runs } from './runs';
import type { Slots } from './slots';
import { EngineTimer, type WakeReport } from './timer';

/** Retention runs a few times a day: the file stays small without pruning on every run. */
export const CLEANUP_INTERVAL_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

export class Wake {
  private readonly timer: EngineTimer;
  private ticking = false;
  private tickAgain = false;
  /** When retention next runs; set at start. */
  nextCleanupAt?: number;

  constructor(private readonly core: Core, clock: Clock, private readonly slots: Slots, private readonly runs: Runs) {
    this.timer = new EngineTimer(clock, () => this.tick(true));
  }

  /** Takes the clock's current reading as the baseline for noticing jumps. */
  begin(): void {
    this.timer.observe();
    this.nextCleanupAt = this.core.now();
  }

  cancel(): void {
    this.timer.cancel();
  }

  /** One wake: read the clock, handle due slots, jobs and watchdogs, start what fits, re-arm. */
  tick(fromTimer = false): void {
    const { core } = this;
    if (!core.started || core.stopping) return;
    if (this.ticking) { this.tickAgain = true; return; }
    this.ticking = true;
    try {
      do {
        this.tickAgain = false;
        const report = this.timer.observe(fromTimer);
        this.noticeClock(report);
        fromTimer = false;
        for (const rt of [...core.tasks.values()]) this.slots.due(rt, report.now);
        this.admitDueJobs(report.now);
        this.runs.checkWatchdogs(report.now);
        this.cleanupIfDue(report.now);
        this.runs.dispatch();
      } while (this.tickAgain);
    } finally {
      this.ticking = false;
      this.rearm();
    }
  }

  private noticeClock(report: WakeReport): void {
    if (report.aheadBy > ON_TIME_TOLERANCE_MS) {
      this.core.warn('clock-jump', `the clock is ${formatDuration(report.aheadBy)} ahead of the timer (sleep or a clock change); missed slots follow each task's catchUp`);
    }
    if (report.backBy > ON_TIME_TOLERANCE_MS) {
      this.core.warn('clock-back', `the clock went back ${formatDuration(report.backBy)}; slots already handled do not run again`);
      this.shiftBack(report.backBy);
    }
  }

  /**
   * Waits that were measured from a moment (a retry's delay, an enqueue's delay, the watchdog) keep
   * their length when the clock is set back, instead of growing by the jump. Slots do not move: they
   * are wall-clock times by definition.
   */
  private shiftBack(ms: number): void {
    const { core } = this;
    for (const job of core.pending.values()) {
      if (core.jobsQueued.has(job.id)) continue;
      job.dueAt -= ms;
      job.createdAt -= ms;
      void core.putPending(job);
    }
    for (const active of core.active.values()) if (active.deadline !== undefined) active.deadline -= ms;
  }

  private admitDueJobs(now: number): void {
    const { core } = this;
    if (core.settings.automatic === false) return;
    const due = [...core.pending.values()].filter((j) => j.dueAt <= now && !core.jobsQueued.has(j.id)).sort((a, b) => a.dueAt - b.dueAt);
    for (const job of due) {
      const rt = core.tasks.get(job.taskId);
      if (!rt || !core.runnable(rt)) continue;
      this.runs.admit(rt, {
        trigger: job.trigger, scheduledFor: job.dueAt, attempt: job.attempt, params: job.params, mode: 'job',
        waveId: core.jobWaves.get(job.id), job,
      });
    }
  }

  private cleanupIfDue(now: number): void {
    const { retentionDays, maxRunsPerTask } = this.core.settings;
    if (this.nextCleanupAt === undefined || now < this.nextCleanupAt || (!retentionDays && !maxRunsPerTask)) return;
    if (this.core.settings.automatic === false) return;
    this.nextCleanupAt = now + CLEANUP_INTERVAL_MS;
    cleanupHistory(this.core, { olderThanMs: retentionDays ? retentionDays * DAY_MS : undefined, maxRunsPerTask })
      .catch((err) => this.core.warn('history', `history: retention cleanup failed: ${errorText(err)}`));
  }

  /** Sets the one timer for the earliest due item (outside a tick; a tick re-arms when it ends). */
  rearm(): void {
    const { core } = this;
    if (this.ticking) return;
    if (!core.started || core.stopping) { this.timer.cancel(); return; }
    let min: number | undefined;
    const consider = (t: number | undefined) => { if (t !== undefined && (min === undefined || t < min)) min = t; };
    for (const rt of core.tasks.values()) if (rt.armed) consider(rt.nextSlot);
    const automatic = core.settings.automatic !== false;
    for (const job of automatic ? core.pending.values() : []) {
      const rt = core.tasks.get(job.taskId);
      if (rt && !core.jobsQueued.has(job.id) && core.runnable(rt)) consider(job.dueAt);
    }
    consider(this.runs.earliestDeadline());
    if (automatic && (core.settings.retentionDays || core.settings.maxRunsPerTask)) consider(this.nextCleanupAt);
    this.timer.arm(min);
  }
}
