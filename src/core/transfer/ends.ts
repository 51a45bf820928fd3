// One end of a history move (`task-scheduler history export` / `import`): the embedded sql.js history of a
// folder (embedded.ts) or a cluster's tables (../cluster/transferEnd.ts). move.ts reads one and writes the other.
import type { PendingJob, RunRecord, TaskStateRecord } from '../ports';

export interface HistoryEnd {
  /** For people: "the embedded history in /…/data" / "cluster "chores" at postgres@db:5432/x". */
  readonly label: string;
  /** Every run, oldest first, a page at a time. */
  runs(): AsyncIterable<RunRecord[]>;
  /** Which of `ids` this end holds already. */
  knownRuns(ids: string[]): Promise<Set<string>>;
  /** Adds runs it does not hold (by id); returns how many were added. */
  addRuns(runs: RunRecord[]): Promise<number>;
  taskStates(): Promise<TaskStateRecord[]>;
  /** Writes these states as they are (merged by the caller). */
  putTaskStates(states: TaskStateRecord[]): Promise<void>;
  pending(): Promise<PendingJob[]>;
  /** Adds jobs it does not hold (by id), and none that already ran here; returns how many were added. */
  addPending(jobs: PendingJob[]): Promise<number>;
  deletePending(ids: string[]): Promise<void>;
  /** Why its pending jobs may not leave it now (something executes them), else undefined. */
  executing(): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface MoveReport {
  from: string;
  to: string;
  dryRun: boolean;
  runs: { copied: number; alreadyThere: number; leftOut: number };
  taskStates: { added: number; updated: number; kept: number };
  pending: { moved: number; alreadyThere: number; stayed: number; why?: string };
}
