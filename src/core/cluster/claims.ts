// The claim (README.md "The claim"): one transaction per start, serialized per cluster by its row lock.
// Exactly once comes from the unique occurrence; overlap and the cluster-wide concurrency are checked
// against every member's committed `running` rows; the token comes from the one fence sequence.
import { escapeLiteral } from 'pg';
import type { ClaimDecision, ClaimRequest, Claims } from '../ports';
import type { Db } from './db';
import { isUnavailable } from './errors';
import type { Fence } from './fence';
import { RUN_COLUMNS, runValues } from './rows';
import { SCHEMA } from './schema';

/**
 * How much later each next-preferred member asks for a shared occurrence: a transaction takes a few
 * ms, so the preferred member has committed long before; a member that is gone costs this much per rank.
 */
export const DEFER_STEP_MS = 60;
/**
 * Claim transactions of one member at once: they queue for the cluster's one claim lock anyway, and each
 * holds a pooled connection while it waits; the rest of the pool stays free for the heartbeat and writes.
 */
export const CLAIMS_IN_FLIGHT = 2;

export interface ClusterClaimsOptions {
  /** This member's place (0 = first) among the live members for `key` (rendezvous hashing). */
  rank: (key: string) => number;
  db: Db;
  cluster: string;
  member: string;
  fence: Fence;
  /** The folder's `concurrency`: most runs at once across the cluster. */
  concurrency: () => number;
  /** This member may start runs now (joined, same definitions, connected). */
  active: () => boolean;
  /** Overlap `replace`: ask the member running the task to cancel it. */
  cancelElsewhere: (member: string, runId: string) => void;
  log: (level: 'debug' | 'warn', message: string) => void;
}

export class ClusterClaims implements Claims {
  private readonly listeners = new Set<() => void>();
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly o: ClusterClaimsOptions) {}

  onWake(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Something changed in the cluster: parked runs are asked again. */
  wake(): void {
    for (const l of [...this.listeners]) l();
  }

  claim(req: ClaimRequest): ClaimDecision | Promise<ClaimDecision> {
    if (!this.o.db.up) return { granted: false, why: 'unavailable', reason: `PostgreSQL at ${this.o.db.where} is unreachable` };
    if (!this.o.active()) return { granted: false, why: 'unavailable', reason: 'this member is not an active member of the cluster' };
    // Work spreads: for an occurrence every member holds (a slot, a job), one member — chosen by a hash
    // of the occurrence — asks at once and the others a little later, so they take over only when it
    // cannot (busy, at its limit, dead).
    const rank = req.run.occurrence?.startsWith('run:') ? 0 : this.o.rank(`${req.run.taskId}|${req.run.occurrence}`);
    const asked = rank > 0 ? new Promise((r) => setTimeout(r, rank * DEFER_STEP_MS)).then(() => this.unlessTaken(req)) : this.limited(req);
    return asked.catch((err): ClaimDecision => {
      if (!isUnavailable(err)) this.o.log('warn', `claim of ${req.run.taskId} (${req.run.occurrence}) failed: ${(err as Error).message}`);
      return { granted: false, why: 'unavailable', reason: (err as Error).message };
    });
  }

  /**
   * A later-ranked member usually finds the occurrence claimed already: a plain read says so without
   * taking the claim lock, which every member's claims would otherwise queue for once per occurrence.
   */
  private async unlessTaken(req: ClaimRequest): Promise<ClaimDecision> {
    const { occurrence, taskId } = req.run;
    if (occurrence !== undefined) {
      const done = await this.o.db.query(`SELECT 1 FROM ${SCHEMA}.runs WHERE cluster = $1 AND task_id = $2 AND occurrence = $3`, [this.o.cluster, taskId, occurrence]);
      if (done.length) return { granted: false, why: 'taken' };
    }
    return this.limited(req);
  }

  /** At most CLAIMS_IN_FLIGHT transactions at once; a finished one hands its place to the next waiting. */
  private async limited(req: ClaimRequest): Promise<ClaimDecision> {
    if (this.inFlight < CLAIMS_IN_FLIGHT) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await this.decide(req);
    } finally {
      const next = this.waiting.shift();
      if (next) next(); else this.inFlight--;
    }
  }

  /**
   * The claim in one round trip: the lock, the checks and the insert run inside the server as one implicit
   * transaction (two statements, each with a fresh snapshot, so the checks see every claim committed
   * before the lock was granted). The lock is held for the server's few microseconds only — not across
   * round trips to a member that may be slow, frozen or cut off while the others queue behind it.
   */
  private async decide(req: ClaimRequest): Promise<ClaimDecision> {
    const { db, cluster, member, fence } = this.o;
    const run = req.run;
    const c = literal(cluster);
    const task = literal(run.taskId);
    const job = req.jobId === undefined ? 'NULL' : literal(req.jobId);
    const values = runValues({ ...run, status: 'running', startedAt: Date.now() }, member).map((v, i) => `${literal(v)}::${RUN_TYPES[i]}`);
    const script = `SELECT 1 FROM ${SCHEMA}.clusters WHERE name = ${c} FOR UPDATE;
      WITH job AS (SELECT 1 FROM ${SCHEMA}.pending WHERE cluster = ${c} AND id = ${job} FOR UPDATE SKIP LOCKED),
        done AS (SELECT 1 FROM ${SCHEMA}.runs WHERE cluster = ${c} AND task_id = ${task} AND occurrence = ${run.occurrence === undefined ? 'NULL' : literal(run.occurrence)}),
        busy AS (SELECT r.id, r.member, m.label FROM ${SCHEMA}.runs r LEFT JOIN ${SCHEMA}.members m ON m.cluster = r.cluster AND m.id = r.member
          WHERE ${req.exclusive ? 'TRUE' : 'FALSE'} AND r.cluster = ${c} AND r.task_id = ${task} AND r.status = 'running' LIMIT 1),
        verdict AS (SELECT CASE
          WHEN ${req.jobId === undefined ? 'FALSE' : 'NOT EXISTS (SELECT 1 FROM job)'} OR EXISTS (SELECT 1 FROM done) THEN 'taken'
          WHEN EXISTS (SELECT 1 FROM busy) THEN 'busy'
          WHEN (SELECT count(*) FROM ${SCHEMA}.runs WHERE cluster = ${c} AND status = 'running') >= ${Math.max(1, Math.floor(this.o.concurrency()))} THEN 'full'
          ELSE 'granted' END AS v),
        ins AS (INSERT INTO ${SCHEMA}.runs (cluster, ${RUN_COLUMNS}, token) SELECT ${c}, ${values.join(', ')}, nextval('${SCHEMA}.fence')
          FROM verdict WHERE v = 'granted' ON CONFLICT DO NOTHING RETURNING token),
        gone AS (DELETE FROM ${SCHEMA}.pending WHERE cluster = ${c} AND id = ${job} AND EXISTS (SELECT 1 FROM ins) RETURNING 1)
      SELECT (SELECT v FROM verdict) AS verdict, (SELECT token FROM ins) AS token, (SELECT count(*) FROM gone) AS gone,
        busy.id AS busy_id, busy.member AS busy_member, busy.label AS busy_label FROM (SELECT 1) one LEFT JOIN busy ON TRUE`;
    let row: { verdict: string; token: number | null; busy_id: string | null; busy_member: string | null; busy_label: string | null };
    fence.asking(run.id);
    try {
      [row] = await db.script(script);
    } catch (err) {
      // The claim may have committed before the answer was lost: the token is not held, so the run's row
      // stays `running` until this member is declared dead or finds it (reaper.ts) and recovers it.
      fence.release(run.id);
      fence.answered(run.id);
      throw err;
    }
    fence.answered(run.id);
    if (row.verdict === 'busy') {
      if (req.overlap === 'replace' && row.busy_member !== member) this.o.cancelElsewhere(row.busy_member!, row.busy_id!);
      return { granted: false, why: 'busy', holder: row.busy_label ?? row.busy_member ?? undefined };
    }
    if (row.verdict === 'full') return { granted: false, why: 'full' };
    if (row.token === null) return { granted: false, why: 'taken' };
    fence.hold(run.id, row.token);
    if (req.jobId !== undefined) db.notify('pending');
    return { granted: true };
  }
}

/** The SQL types of RUN_COLUMNS, in order: the claim writes its values as literals. */
const RUN_TYPES = ['text', 'text', 'text', 'text', 'integer', 'bigint', 'bigint', 'bigint', 'bigint', 'integer', 'text', 'text', 'boolean',
  'jsonb', 'jsonb', 'text', 'text', 'text'];
if (RUN_TYPES.length !== RUN_COLUMNS.split(',').length) throw new Error('claims.ts RUN_TYPES does not match RUN_COLUMNS');

/** A value as an SQL literal (escaped by pg): the one-round-trip claim cannot carry parameters. */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return escapeLiteral(String(v));
}
