// Moving a history between the embedded store and a cluster, idempotently (README "Run it on servers",
// "Moving history"): what moves and how it merges is decided here, once, for both directions.
//
// - Finished runs are copied with their ids; the destination keeps what it has (a second move adds
//   nothing). Runs still queued or running are left out: they belong to whoever executes them.
// - Task states merge per task: the newer record (updatedAt) gives pause, retry counts and removal;
//   `lastSlot` is the later of both, so no slot that ran on one side runs again on the other.
// - Pending jobs (retries, one-time and enqueued runs) move — added there, then deleted here — so each
//   runs once; only while nothing executes the source, else they stay and the report says why.
import type { RunRecord, TaskStateRecord } from '../ports';
import type { HistoryEnd, MoveReport } from './ends';

const FINAL = new Set(['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'interrupted', 'missed']);

export async function moveHistory(from: HistoryEnd, to: HistoryEnd, options: { dryRun?: boolean } = {}): Promise<MoveReport> {
  const dryRun = !!options.dryRun;
  const report: MoveReport = {
    from: from.label, to: to.label, dryRun,
    runs: { copied: 0, alreadyThere: 0, leftOut: 0 },
    taskStates: { added: 0, updated: 0, kept: 0 },
    pending: { moved: 0, alreadyThere: 0, stayed: 0 },
  };
  for await (const page of from.runs()) {
    const finished = page.filter((r) => FINAL.has(r.status));
    report.runs.leftOut += page.length - finished.length;
    const known = await to.knownRuns(finished.map((r) => r.id));
    const fresh: RunRecord[] = finished.filter((r) => !known.has(r.id));
    report.runs.alreadyThere += known.size;
    report.runs.copied += dryRun ? fresh.length : await to.addRuns(fresh);
  }

  const theirs = new Map((await to.taskStates()).map((s) => [s.taskId, s]));
  const writes: TaskStateRecord[] = [];
  for (const mine of await from.taskStates()) {
    const there = theirs.get(mine.taskId);
    const merged = mergeState(mine, there);
    if (!there) report.taskStates.added++;
    else if (merged === there) report.taskStates.kept++;
    else report.taskStates.updated++;
    if (merged !== there) writes.push(merged);
  }
  if (!dryRun && writes.length) await to.putTaskStates(writes);

  const jobs = await from.pending();
  const why = jobs.length ? await from.executing() : undefined;
  if (why) {
    report.pending.stayed = jobs.length;
    report.pending.why = why;
  } else if (jobs.length) {
    const theirJobs = new Set((await to.pending()).map((j) => j.id));
    const fresh = jobs.filter((j) => !theirJobs.has(j.id));
    report.pending.moved = dryRun ? fresh.length : await to.addPending(fresh);
    report.pending.alreadyThere = jobs.length - report.pending.moved;
    // Added there (or there already): gone here, so each job runs on one side only.
    if (!dryRun) await from.deletePending(jobs.map((j) => j.id));
  }
  return report;
}

/** The destination's record when it needs no change, else the merged one. */
export function mergeState(mine: TaskStateRecord, there: TaskStateRecord | undefined): TaskStateRecord {
  if (!there) return { ...mine };
  const newer = mine.updatedAt > there.updatedAt ? mine : there;
  const lastSlot = Math.max(mine.lastSlot ?? -Infinity, there.lastSlot ?? -Infinity);
  const merged: TaskStateRecord = { ...newer, name: there.name, file: there.file, kind: there.kind };
  if (Number.isFinite(lastSlot)) merged.lastSlot = lastSlot;
  const same = (['paused', 'pausedReason', 'lastSlot', 'retryCount', 'consecutiveFailures', 'removed', 'updatedAt'] as const)
    .every((k) => merged[k] === there[k]);
  return same ? there : merged;
}
