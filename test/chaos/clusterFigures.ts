// The figures of the cluster chaos check, from the whole history read back from PostgreSQL, what each
// member process printed, and the ledger the TypeScript tasks wrote (clusterWorkspace.ts).
import { DEAD_MEMBER } from '../../src/core/cluster/reaper';
import { rendezvousRank } from '../../src/core/cluster/service';
import { median } from './procs';
import { MUST_RETRY, TICKS, type LedgerLine } from './clusterWorkspace';

/** The issue's promises: a dead member's planned work taken over within 5 s, its runs retried within 10 s. */
export const TAKEOVER_BAR_MS = 5_000;
export const RETRY_BAR_MS = 10_000;

export type EventKind = 'kill' | 'freeze' | 'cut' | 'cut-kill' | 'pg-restart';

export interface ClusterEvent {
  kind: EventKind;
  /** When the member was killed, frozen or cut (or Postgres restarted). */
  at: number;
  victimPid?: number;
  /** The victim's member id, and the active members' ids just before (the claims' ranking). */
  victimId?: string;
  members?: string[];
}

/** A row of task_scheduler.runs, numbers as numbers. */
export interface Row {
  id: string; task: string; status: string; attempt: number; trigger: string; occurrence: string | null; member: string | null;
  scheduledFor: number | null; startedAt: number | null; endedAt: number | null; error: string | null;
}

export interface MemberOutput { pid: number; out: string }

export interface Figures {
  slotsRun: number;
  duplicatesDb: number;
  duplicatesLedger: number;
  reportedFinished: number;
  lost: number;
  stuck: number;
  slotsWithoutRecord: number;
  staleWrites: number;
  takeovers: number[];
  retries: number[];
  problems: string[];
}

export const pidOf = (member: string | null | undefined): number => Number(member?.split(':')[1]);

const RAN_TRIGGERS = new Set(['schedule', 'catch-up']);
/**
 * `2026-01-01 10:00:00Z ✓ tick succeeded in 12ms` (cli/service.ts describeEvent): a run the member claimed
 * and finished. Without ` in <duration>` it never started: a queued copy dropped when the engine stopped.
 */
const FINISHED = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ) [✓✗] (\S+) (succeeded|failed|timed-out|cancelled) in /gm;
/** fence.ts: `stale write refused (N so far): its <status> record of run <id> of <task> carried token …`. */
const REFUSED = /stale write refused \((\d+) so far\): its (\S+) record of run (\S+) of (\S+) carried/g;

function count<K>(m: Map<K, number>, k: K, by = 1): void { m.set(k, (m.get(k) ?? 0) + by); }

export function analyze(rows: Row[], outputs: MemberOutput[], ledger: LedgerLine[], events: ClusterEvent[],
  window: { from: number; to: number }): Figures {
  const problems: string[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byOccurrence = new Map(rows.filter((r) => r.occurrence).map((r) => [`${r.task}|${r.occurrence}`, r]));

  // Slots run, and runs of one slot (database: two rows for a slot; ledger: a slot's first attempt executed twice).
  const slots = new Map<string, Row[]>();
  for (const r of rows) {
    if (!RAN_TRIGGERS.has(r.trigger) || r.scheduledFor === null || r.startedAt === null) continue;
    const k = `${r.task}@${r.scheduledFor}`;
    slots.set(k, [...(slots.get(k) ?? []), r]);
  }
  const dupRows = [...slots.values()].filter((rs) => rs.length > 1);
  for (const rs of dupRows.slice(0, 5)) problems.push(`slot run twice (database): ${rs.map((r) => `${r.id} ${r.status} by ${pidOf(r.member)}`).join(' / ')}`);
  const executions = new Map<string, LedgerLine[]>();
  for (const l of ledger) {
    if (!RAN_TRIGGERS.has(l.trigger) || l.slot === null || l.attempt !== 1) continue;
    const k = `${l.task}@${l.slot}`;
    executions.set(k, [...(executions.get(k) ?? []), l]);
  }
  const dupLedger = [...executions.entries()].filter(([, ls]) => ls.length > 1);
  for (const [k, ls] of dupLedger.slice(0, 5)) problems.push(`slot executed twice (ledger): ${k} by runner pids ${ls.map((l) => l.pid).join(', ')}`);

  // Lost finished runs: each run a member printed as finished is stored with that status (by member, task,
  // status and the second it ended), unless its record was refused as stale (the run was taken from it).
  const printed = new Map<string, number>();
  let reportedFinished = 0;
  const refusedFinals = new Map<string, number>();
  let staleWrites = 0;
  for (const o of outputs) {
    for (const m of o.out.matchAll(FINISHED)) {
      reportedFinished++;
      count(printed, `${o.pid}|${m[2]}|${m[3]}|${Date.parse(m[1].replace(' ', 'T')) / 1000}`);
    }
    let most = 0;
    for (const m of o.out.matchAll(REFUSED)) {
      most = Math.max(most, Number(m[1]));
      // A refusal is charged to the process that ran the run (a restarted member may replay its predecessor's journal).
      const run = byId.get(m[3]);
      if (['succeeded', 'failed', 'timed-out', 'cancelled'].includes(m[2])) count(refusedFinals, `${run ? pidOf(run.member) : o.pid}|${m[4]}`);
    }
    staleWrites += most;
  }
  const stored = new Map<string, number>();
  for (const r of rows) if (r.endedAt !== null) count(stored, `${pidOf(r.member)}|${r.task}|${r.status}|${Math.floor(r.endedAt / 1000)}`);
  const missing = new Map<string, number>();
  for (const [k, n] of printed) {
    const short = n - (stored.get(k) ?? 0);
    if (short > 0) count(missing, k.split('|').slice(0, 2).join('|'), short);
  }
  let lost = 0;
  for (const [k, n] of missing) {
    const unexplained = n - (refusedFinals.get(k) ?? 0);
    if (unexplained > 0) {
      lost += unexplained;
      if (problems.length < 40) problems.push(`finished run(s) not stored: ${unexplained} of pid|task ${k}`);
    }
  }

  const stuck = rows.filter((r) => r.status === 'running' || r.status === 'queued');
  for (const r of stuck.slice(0, 5)) problems.push(`run ${r.id} of ${r.task} left ${r.status} (member ${r.member})`);

  // Every second of every tick task in the window has its record (run, or recorded skipped/missed).
  let slotsWithoutRecord = 0;
  const first = Math.ceil(window.from / 1000) * 1000;
  for (const t of TICKS) {
    for (let s = first; s <= window.to; s += 1000) {
      if (byOccurrence.has(`${t}|slot:${s}`)) continue;
      slotsWithoutRecord++;
      if (slotsWithoutRecord <= 5) problems.push(`${t}: no record of the slot ${new Date(s).toISOString()}`);
    }
  }

  // Failover: from the death (freeze, cut) to the start, by another member, of the first slot the victim
  // would have claimed first (the claims' ranking among the members active then).
  const takeovers: number[] = [];
  const retries: number[] = [];
  const slowRetries: string[] = [];
  for (const e of events) {
    if (!e.victimId || !e.members) continue;
    const next = nextSlotOf(e, byOccurrence);
    if (next === undefined) problems.push(`${e.kind} at ${new Date(e.at).toISOString()}: no slot of the victim's was run by another member`);
    else takeovers.push(next - e.at);
    // Retry after death: the victim's runs the reaper interrupted, to their retry's start.
    const interrupted = rows.filter((r) => r.member === e.victimId && r.status === 'interrupted' && r.error === DEAD_MEMBER
      && (r.startedAt ?? Infinity) <= e.at && (r.endedAt ?? 0) >= e.at);
    for (const r of interrupted) {
      const retry = byOccurrence.get(`${r.task}|job:retry-of-${r.id}`);
      if (retry?.startedAt) {
        retries.push(retry.startedAt - e.at);
        // Where a slow one spent its time: until the reaper ended the run, until the retry was due, then the claim.
        if (retry.startedAt - e.at > RETRY_BAR_MS) {
          slowRetries.push(`${secs(retry.startedAt - e.at)} (${r.task} after the ${e.kind}: interrupted at +${secs((r.endedAt ?? e.at) - e.at)}, due at +${secs((retry.scheduledFor ?? e.at) - e.at)})`);
        }
      }
      else if (MUST_RETRY.has(r.task)) problems.push(`${r.task}: run ${r.id}, interrupted by the ${e.kind}, was not retried`);
    }
  }
  const slowTakeovers = takeovers.filter((t) => t > TAKEOVER_BAR_MS);
  if (slowTakeovers.length) problems.push(`takeovers slower than ${TAKEOVER_BAR_MS / 1000} s: ${slowTakeovers.map((t) => (t / 1000).toFixed(1)).join(', ')} s`);
  if (slowRetries.length) problems.push(`retries later than ${RETRY_BAR_MS / 1000} s after the death: ${slowRetries.join('; ')}`);

  return {
    slotsRun: slots.size, duplicatesDb: dupRows.length, duplicatesLedger: dupLedger.length, reportedFinished, lost, stuck: stuck.length,
    slotsWithoutRecord, staleWrites, takeovers, retries, problems,
  };
}

/** When the first tick slot after the event that the victim ranked first for was started by another member. */
function nextSlotOf(e: ClusterEvent, byOccurrence: Map<string, Row>): number | undefined {
  const from = Math.floor(e.at / 1000) * 1000 + 1000;
  for (let s = from; s < from + 30_000; s += 1000) {
    const starts = TICKS.filter((t) => rendezvousRank(`${t}|slot:${s}`, e.victimId!, e.members!) === 0)
      .map((t) => byOccurrence.get(`${t}|slot:${s}`))
      .filter((r): r is Row => !!r?.startedAt && r.member !== e.victimId)
      .map((r) => r.startedAt!);
    if (starts.length) return Math.min(...starts);
  }
  return undefined;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function spread(xs: number[]): string {
  return xs.length ? `max ${secs(Math.max(...xs))} / median ${secs(median(xs))} (n=${xs.length})` : 'no samples';
}
