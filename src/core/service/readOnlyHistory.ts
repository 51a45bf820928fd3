// A History over a read-only reader, for viewers: queries answer from the executor's file, writes are
// dropped. It lets a viewer build its task views with the same engine code as the executor, without a
// way to change anything.
import type { History } from '../ports';
import type { HistoryReader } from '../store';

export function readOnlyHistory(reader: HistoryReader): History {
  const ignore = async (): Promise<void> => undefined;
  return {
    open: async () => reader.report,
    taskStates: () => reader.taskStates(),
    getRun: (id) => reader.getRun(id),
    runs: (query) => reader.runs(query),
    lastErrors: (taskId, limit) => reader.lastErrors(taskId, limit),
    health: (windowMs, now) => reader.health(windowMs, now),
    pending: () => reader.pending(),
    syncTasks: ignore,
    saveTaskState: ignore,
    putRun: ignore,
    abandoned: async () => [],
    markInterrupted: async () => [],
    putPending: ignore,
    deletePending: ignore,
    cleanup: async () => ({ deleted: 0 }),
    flush: ignore,
    close: ignore,
  };
}
