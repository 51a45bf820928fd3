// What the executor keeps per run in flight, and small helpers both kinds of run share.
import { isAbsolute, resolve } from 'path';
import type { OutputOptions, TaskSpec } from '../model';
import type { FinalRunStatus, RunHandle, RunOutcome } from '../ports';

/** A RunHandle the executor can also end at once, on dispose. */
export interface ActiveRun extends RunHandle {
  /** Kill now, without a grace period; the run ends `cancelled` (shutdown). */
  shutdown(): void;
}

/** The task's output file as an absolute path (relative ones are relative to its workspace folder). */
export function resolveOutputFile(task: TaskSpec): OutputOptions | undefined {
  if (!task.output?.file) return undefined;
  const file = isAbsolute(task.output.file) ? task.output.file : resolve(task.workspaceFolder, task.output.file);
  return { file, mode: task.output.mode === 'overwrite' ? 'overwrite' : 'append' };
}

/** A run that ends before any process is started (unsupported kind, missing file, disposed executor). */
export function endedRun(at: number, status: FinalRunStatus, error: string): ActiveRun {
  const outcome: RunOutcome = { status, startedAt: at, endedAt: at, error, output: '', outputTruncated: false };
  return { done: Promise.resolve(outcome), cancel: () => undefined, shutdown: () => undefined };
}
