// The engine's one timer. It is set for the earliest due item, but never further than MAX_WAIT_MS
// ahead, and each wake compares the wall clock with what the timer expected: that is how sleep and
// clock changes are noticed.
import type { Clock, TimerHandle } from '../clock';

/**
 * Timers run on monotonic time, which stops while a laptop sleeps and ignores clock changes; re-reading
 * the wall clock at least every 30 s notices both (croner waits no longer than 30 s for the same reason).
 */
export const MAX_WAIT_MS = 30_000;

export interface WakeReport {
  now: number;
  /** How much later than expected the wall clock says it is (sleep, clock set forward); timer wakes only. */
  aheadBy: number;
  /** How far the wall clock went back since the last wake (clock set back); 0 if it did not. */
  backBy: number;
}

export class EngineTimer {
  private handle?: TimerHandle;
  private expected?: number;
  private lastSeen?: number;

  constructor(private readonly clock: Clock, private readonly onWake: () => void) {}

  /** (Re)sets the one timer for `dueAt` (capped at MAX_WAIT_MS from now). */
  arm(dueAt: number | undefined): void {
    this.handle?.cancel();
    const now = this.clock.now();
    const delay = dueAt === undefined ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, Math.max(0, dueAt - now));
    this.expected = now + delay;
    const handle = this.clock.setTimer(() => {
      if (this.handle === handle) this.handle = undefined;
      this.onWake();
    }, delay);
    this.handle = handle;
  }

  /**
   * Reads the clock and reports how it moved. On a timer wake the wall clock should read what the
   * arm expected, so the difference is the jump; otherwise only going back past the last reading shows.
   */
  observe(fromTimer = false): WakeReport {
    const now = this.clock.now();
    const expected = fromTimer ? this.expected : undefined;
    const aheadBy = expected === undefined ? 0 : Math.max(0, now - expected);
    const sinceSeen = this.lastSeen === undefined ? 0 : Math.max(0, this.lastSeen - now);
    const backBy = Math.max(sinceSeen, expected === undefined ? 0 : expected - now);
    this.lastSeen = now;
    return { now, aheadBy, backBy };
  }

  cancel(): void {
    this.handle?.cancel();
    this.handle = undefined;
  }
}
