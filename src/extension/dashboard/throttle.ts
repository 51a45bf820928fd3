// Coalesces bursts of "something changed" into refreshes at a bounded rate: a run that prints a line a
// millisecond, or fifty tasks firing on the same minute, still costs at most one refresh per interval,
// and the last change is never lost (a request during a refresh leads to one more afterwards).

export interface ThrottleTimers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: ThrottleTimers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Throttle {
  private pending = false;
  private running = false;
  private disposed = false;
  private timer: unknown;
  private lastStart = -Infinity;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly timers: ThrottleTimers = realTimers,
  ) {}

  request(): void {
    this.pending = true;
    this.arm();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.disposed || this.running || this.timer !== undefined || !this.pending) return;
    const wait = Math.max(0, this.lastStart + this.intervalMs - this.timers.now());
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      this.run();
    }, wait);
  }

  private run(): void {
    if (this.disposed) return;
    this.pending = false;
    this.running = true;
    this.lastStart = this.timers.now();
    this.work().catch(() => undefined).finally(() => {
      // Restored whatever the work did, so a failed refresh never stops the next one.
      this.running = false;
      this.arm();
    });
  }
}
