// Time as a dependency: the engine never calls Date.now() or setTimeout directly, so tests and the
// chaos battery can jump the clock (sleep, clock set back, DST) without waiting.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Wall-clock time, epoch ms. */
  now(): number;
  /** Run `fn` after `ms` of monotonic time (a real timer may wake a little early or late). */
  setTimer(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

interface PendingTimer { at: number; seq: number; fn: () => void; cancelled: boolean }

/**
 * A clock that only moves when told. `advance(ms)` fires due timers in order; `jump(ms)` moves the
 * wall clock without firing anything (a laptop waking from sleep, or the clock being set), after
 * which the engine's own re-check timer must notice.
 */
export class ManualClock implements Clock {
  private wall: number;
  private mono = 0;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(start: number | string | Date) {
    this.wall = new Date(start).getTime();
  }

  now(): number {
    return this.wall;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer: PendingTimer = { at: this.mono + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  /** Let `ms` pass: wall and monotonic time move together, timers fire in due order. */
  async advance(ms: number): Promise<void> {
    const end = this.mono + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.wall += next.at - this.mono;
      this.mono = next.at;
      next.cancelled = true;
      next.fn();
      await flushMicrotasks();
    }
    this.wall += end - this.mono;
    this.mono = end;
    await flushMicrotasks();
  }

  /** Move the wall clock only (sleep/resume is `jump` then `advance`; a clock set back is a negative jump). */
  jump(ms: number): void {
    this.wall += ms;
  }

  /** Timers still waiting, for tests that check nothing is left behind. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

/** Let promise callbacks chained on a fired timer run before the next timer fires. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}
