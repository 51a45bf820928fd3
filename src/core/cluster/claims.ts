// The claim (README.md "The claim"): one transaction per start, serialized per cluster by its row lock.
// Exactly once comes from the unique occurrence; overlap and the cluster-wide concurrency are checked
// against every member's committed `running` rows; the token comes from the one fence sequence.
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
    const asked = rank > 0 ? new Promise((r) => setTimeout(r, rank * DEFER_STEP_MS)).then(() => this.decide(req)) : this.decide(req);
    return asked.catch((err): ClaimDecision => {
      if (!isUnavailable(err)) this.o.log('warn', `claim of ${req.run.taskId} (${req.run.occurrence}) failed: ${(err as Error).message}`);
      return { granted: false, why: 'unavailable', reason: (err as Error).message };
    });
  }

  private decide(req: ClaimRequest): Promise<ClaimDecision> {
    const { db, cluster, member, fence } = this.o;
    const run = req.run;
    return db.tx(async (c): Promise<ClaimDecision> => {
      await c.query(`SELECT 1 FROM ${SCHEMA}.clusters WHERE name = $1 FOR UPDATE`, [cluster]);
      if (req.jobId !== undefined) {
        const job = await c.query(`SELECT 1 FROM ${SCHEMA}.pending WHERE cluster = $1 AND id = $2 FOR UPDATE SKIP LOCKED`, [cluster, req.jobId]);
        if (!job.rowCount) return { granted: false, why: 'taken' };
      }
      if (run.occurrence !== undefined) {
        const done = await c.query(`SELECT 1 FROM ${SCHEMA}.runs WHERE cluster = $1 AND task_id = $2 AND occurrence = $3`, [cluster, run.taskId, run.occurrence]);
        if (done.rowCount) return { granted: false, why: 'taken' };
      }
      if (req.exclusive) {
        const busy = await c.query<{ id: string; member: string; label: string | null }>(
          `SELECT r.id, r.member, m.label FROM ${SCHEMA}.runs r LEFT JOIN ${SCHEMA}.members m ON m.cluster = r.cluster AND m.id = r.member
            WHERE r.cluster = $1 AND r.task_id = $2 AND r.status = 'running' LIMIT 1`, [cluster, run.taskId]);
        const other = busy.rows[0];
        if (other) {
          if (req.overlap === 'replace' && other.member !== member) this.o.cancelElsewhere(other.member, other.id);
          return { granted: false, why: 'busy', holder: other.label ?? other.member };
        }
      }
      const [{ n }] = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SCHEMA}.runs WHERE cluster = $1 AND status = 'running'`, [cluster])).rows;
      if (n >= Math.max(1, this.o.concurrency())) return { granted: false, why: 'full' };
      const now = Date.now();
      const values = runValues({ ...run, status: 'running', startedAt: now }, member);
      const inserted = await c.query<{ token: number }>(
        `INSERT INTO ${SCHEMA}.runs (cluster, ${RUN_COLUMNS}, token) VALUES ($1, ${values.map((_, i) => `$${i + 2}`).join(', ')}, nextval('${SCHEMA}.fence'))
         ON CONFLICT DO NOTHING RETURNING token`, [cluster, ...values]);
      if (!inserted.rowCount) return { granted: false, why: 'taken' };
      if (req.jobId !== undefined) await c.query(`DELETE FROM ${SCHEMA}.pending WHERE cluster = $1 AND id = $2`, [cluster, req.jobId]);
      fence.hold(run.id, inserted.rows[0].token);
      return { granted: true };
    }).then((d) => {
      if (d.granted && req.jobId !== undefined) this.o.db.notify('pending');
      // Windows watching the cluster show the run as running at once.
      if (d.granted) this.o.db.notify('started');
      return d;
    }, (err) => {
      // The transaction may have committed before the answer was lost: the token is not held, so the
      // run's row stays `running` until this member is declared dead and the reaper recovers it.
      fence.release(run.id);
      throw err;
    });
  }
}
