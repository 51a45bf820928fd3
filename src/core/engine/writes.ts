// History writes in order, off the engine's decision path. The engine decides synchronously (so a
// due slot starts without waiting for SQLite) and appends each write to one chain: a run's queued →
// running → final records reach the store in that order, and a failing write is reported, not thrown
// into the scheduler.
export class HistoryWriter {
  private chain: Promise<void> = Promise.resolve();
  private pendingCount = 0;

  constructor(private readonly onError: (what: string, error: unknown) => void) {}

  /** Appends `op`; the returned promise resolves when it is done (or failed and was reported). */
  write(what: string, op: () => Promise<void>): Promise<void> {
    this.pendingCount++;
    const next = this.chain.then(op).catch((err) => this.onError(what, err)).finally(() => { this.pendingCount--; });
    this.chain = next;
    return next;
  }

  /** Runs `op` after every write appended so far; its failure is the caller's. */
  read<T>(op: () => Promise<T>): Promise<T> {
    const result = this.chain.then(op);
    this.chain = result.then(() => undefined, () => undefined);
    return result;
  }

  /** Resolves when every write appended so far is done. */
  async idle(): Promise<void> {
    while (this.pendingCount > 0) await this.chain;
  }
}
