// The fencing tokens this member holds: one per run it claimed, from the database's one sequence (so a
// later claim always carries a larger token). Every write for a run names its token; a write that
// matches no row was superseded (the run was declared interrupted while this member was frozen or cut
// off) and is refused: counted here, and said once per run.
export class Fence {
  private readonly tokens = new Map<string, number>();
  /** Runs whose claim is out: committed or not, this member does not know yet (the reaper must not take them for lost). */
  private readonly claiming = new Set<string>();
  private refusedCount = 0;

  constructor(private readonly log: (message: string) => void) {}

  hold(runId: string, token: number): void { this.tokens.set(runId, token); }
  /** A claim of the run is sent (until `answered`): its row may be committed before the answer arrives. */
  asking(runId: string): void { this.claiming.add(runId); }
  answered(runId: string): void { this.claiming.delete(runId); }
  /** The run's row is this member's, or may be (its claim's answer is on the way). */
  mine(runId: string): boolean { return this.tokens.has(runId) || this.claiming.has(runId); }
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
