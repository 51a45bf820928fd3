// What the engine reads back from the history for its views: each task's newest finished run, and —
// before start, or in a viewer's engine that never starts — the stored task states, pending jobs and
// what another executor has queued or running.
import type { RunStatus } from '../model';
import type { TaskStateRecord } from '../ports';
import { errorText, type Core } from './core';
import { summarize, type TaskRuntime } from './taskState';

/** Queued and running runs read for a view before start: far more than a concurrency limit allows. */
const OBSERVED_RUNS = 1_000;
const FINAL_STATUSES: RunStatus[] = ['succeeded', 'failed', 'timed-out', 'cancelled', 'interrupted', 'skipped'];

/**
 * The newest finished run from history, for the views. Without `replace` it only fills a task that has
 * none; with it, it replaces what is shown. Either way a run that finished while history was read wins.
 */
export async function loadLastRun(core: Core, rt: TaskRuntime, replace = false): Promise<void> {
  const history = core.deps.history;
  const shown = rt.lastRun;
  const [last] = await core.writer.read(() => history.runs({ taskId: rt.spec.id, limit: 1, statuses: FINAL_STATUSES }));
  if (rt.lastRun !== shown) return;
  if (replace) {
    if (rt.lastRun?.id === last?.id) return;
    rt.lastRun = last && summarize(last);
  } else if (last && !rt.lastRun) rt.lastRun = summarize(last);
  else return;
  core.changed(rt);
}

/**
 * Deletes finished runs (Clear History, retention) in order with the engine's other writes, then reads
 * each task's last run again, so no view keeps pointing at a run that is gone.
 */
export async function cleanupHistory(core: Core, options: { olderThanMs?: number; maxRunsPerTask?: number }): Promise<{ deleted: number }> {
  const history = core.deps.history;
  const now = core.now();
  const result = await core.writer.read(() => history.cleanup({ now, ...options }));
  if (result.deleted) await Promise.all([...core.tasks.values()].map((rt) => loadLastRun(core, rt, true)));
  return result;
}

/**
 * Before start, history is the truth (and a viewer's engine, which never starts, is a view of
 * another executor's history): task states, pending jobs, last runs, and what is running.
 */
export async function refreshFromHistory(core: Core, stored: Map<string, TaskStateRecord>): Promise<void> {
  const history = core.deps.history;
  for (const rt of core.tasks.values()) {
    const s = stored.get(rt.spec.id);
    if (s) rt.state = { ...s, name: rt.spec.name, file: rt.spec.file, kind: rt.spec.kind, removed: false };
  }
  try {
    const [pending, active] = await Promise.all([
      core.writer.read(() => history.pending()),
      core.writer.read(() => history.runs({ statuses: ['queued', 'running'], limit: OBSERVED_RUNS })),
    ]);
    core.pending.clear();
    for (const job of pending) core.pending.set(job.id, job);
    core.observed = new Map();
    for (const run of active) {
      const seen = core.observed.get(run.taskId) ?? { running: [], queued: 0 };
      if (run.status === 'running') seen.running.push(run.id); else seen.queued++;
      core.observed.set(run.taskId, seen);
    }
    await Promise.all([...core.tasks.values()].map((rt) => loadLastRun(core, rt, true)));
  } catch (err) {
    core.warn('history', `history: reading the task list's state failed: ${errorText(err)}`);
  }
}
