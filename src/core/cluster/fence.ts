// The fencing tokens this member holds: one per run it claimed, from the database's one sequence (so a
// later claim always carries a larger token). Every write for a run names its token; a write that
// matches no row was superseded (the run was declared interrupted while this member was frozen or cut
// off) and is refused: counted here, and said once per run.
export class Fence {
  private readonly tokens = new Map<string, number>();
  private refusedCount = 0;

  constructor(private readonly log: (message: string) => void) {}

  hold(runId: string, token: number): void { this.tokens.set(runId, token); }
  token(runId: string): number | undefined { return this.tokens.get(runId); }
  release(runId: string): void { this.tokens.delete(runId); }
  get held(): number { return this.tokens.size; }
  get refused(): number { return this.refusedCount; }

  /** A write for `runId` with `token` matched nothing: the run is no longer this member's. */
  refuse(runId: string, taskId: string, token: number, what: string): void {
    this.refusedCount++;
    this.tokens.delete(runId);
    this.log(`stale write refused (${this.refusedCount} so far): ${what} of run ${runId} of ${taskId} carried token ${token}, which is no longer current — another member declared this one dead (frozen or cut off) and interrupted the run`);
  }
}
