// The claim (README.md "The claim"): one transaction per start, serialized per cluster by its row lock.
// Exactly once comes from the unique occurrence; overlap and the cluster-wide concurrency are checked
// against every member's committed `running` rows; the token comes from the one fence sequence.
// Priorities across members (README.md "Priorities across members"): runs held back by the limit are
// rows of `waiting`, and each better one keeps a place free from worse runs of any member.
import { PRIORITIES } from '../model';
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
 * A waiting row lives this many polls unless its member asks again (it does on every wake and poll):
 * a member that stopped asking (frozen, cut off) holds no place for long, even before it is declared dead.
 */
const WAITING_TTL_POLLS = 3;

export interface ClusterClaimsOptions {
  /** This member's place (0 = first) among the live members for `key` (rendezvous hashing). */
  rank: (key: string) => number;
  db: Db;
  cluster: string;
  member: string;
  fence: Fence;
  /** The folder's `concurrency`: most runs at once across the cluster. */
  concurrency: () => number;
  /** Most runs at once on this member (its engine's limit). */
  memberLimit: () => number;
  /** The fallback poll: a member asks again at least this often while it waits. */
  pollMs: number;
  /** This member may start runs now (joined, same definitions, connected). */
  active: () => boolean;
  /** Overlap `replace`: ask the member running the task to cancel it. */
  cancelElsewhere: (member: string, runId: string) => void;
  log: (level: 'debug' | 'warn', message: string) => void;
}

interface Wish { key: string; taskId: string; occurrence: string; rank: number; due: number }

const keyOf = (taskId: string, occurrence: string) => JSON.stringify([taskId, occurrence]);
const wishOf = (req: ClaimRequest): Wish => {
  const occurrence = req.run.occurrence ?? `run:${req.run.id}`;
  return { key: keyOf(req.run.taskId, occurrence), taskId: req.run.taskId, occurrence, rank: PRIORITIES.indexOf(req.priority), due: req.run.scheduledFor ?? req.run.queuedAt };
};
const better = (a: Wish, b: Wish) => a.rank < b.rank || (a.rank === b.rank && a.due < b.due);

export class ClusterClaims implements Claims {
  private readonly listeners = new Set<() => void>();
  /** Requests of this member being decided: a better one keeps its place from a worse one asked beside it. */
  private readonly asking = new Map<string, Wish>();
  /** A `full` answer counted one of `asking`: if that one does not start after all, ask again. */
  private heldForMine = false;
  private wished: ClaimRequest[] = [];
  private writing?: Promise<void>;
  private rewrite = false;
  private published = new Set<string>();

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
    this.asking.set(req.run.id, wishOf(req));
    const asked = rank > 0 ? new Promise((r) => setTimeout(r, rank * DEFER_STEP_MS)).then(() => this.decide(req)) : this.decide(req);
    return asked.catch((err): ClaimDecision => {
      if (!isUnavailable(err)) this.o.log('warn', `claim of ${req.run.taskId} (${req.run.occurrence}) failed: ${(err as Error).message}`);
      return { granted: false, why: 'unavailable', reason: (err as Error).message };
    }).then((d) => {
      this.asking.delete(req.run.id);
      if (!d.granted && d.why !== 'full' && this.heldForMine) {
        // A run of this member kept a place that it did not take: those it held back ask again.
        this.heldForMine = false;
        setImmediate(() => this.wake());
      }
      return d;
    });
  }

  /** The engine's runs held back by the limit (best first): written as this member's `waiting` rows. */
  waiting(requests: ClaimRequest[]): void {
    this.wished = requests;
    if (this.writing) { this.rewrite = true; return; }
    this.writing = (async () => {
      do {
        this.rewrite = false;
        await this.publish(this.wished).catch((e) => { if (!isUnavailable(e)) this.o.log('warn', `recording waiting runs failed: ${(e as Error).message}`); });
      } while (this.rewrite);
    })().finally(() => { this.writing = undefined; });
  }

  private async publish(requests: ClaimRequest[]): Promise<void> {
    const { db, cluster, member } = this.o;
    if (!db.up) return;
    const wishes = requests.map(wishOf);
    const keys = new Set(wishes.map((w) => w.key));
    const gone = [...this.published].some((k) => !keys.has(k));
    this.published = keys;
    const tasks = wishes.map((w) => w.taskId);
    const occurrences = wishes.map((w) => w.occurrence);
    await db.tx(async (c) => {
      await c.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND member = $2`, [cluster, member]);
      if (!requests.length) return;
      // An occurrence that started meanwhile (its run row exists) is not waiting any more.
      await c.query(`INSERT INTO ${SCHEMA}.waiting (cluster, task_id, occurrence, member, rank, due_at, expires_at)
        SELECT $1, w.task_id, w.occurrence, $2, w.rank, w.due_at, now() + make_interval(secs => $7 / 1000.0)
          FROM unnest($3::text[], $4::text[], $5::int[], $6::bigint[]) AS w(task_id, occurrence, rank, due_at)
         WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.runs r WHERE r.cluster = $1 AND r.task_id = w.task_id AND r.occurrence = w.occurrence)
        ON CONFLICT DO NOTHING`,
      [cluster, member, tasks, occurrences, wishes.map((w) => w.rank), wishes.map((w) => w.due), this.ttlMs()]);
    });
    // Runs of this member that no longer wait (cancelled, paused) leave their places: the others may ask.
    if (gone) db.notify('ended');
  }

  private ttlMs(): number {
    return WAITING_TTL_POLLS * this.o.pollMs;
  }

  private decide(req: ClaimRequest): Promise<ClaimDecision> {
    const { db, cluster, member, fence } = this.o;
    const run = req.run;
    const me = wishOf(req);
    const occurrence = me.occurrence;
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
          // Waiting for its task, not for a place: it keeps none.
          await c.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND task_id = $2 AND occurrence = $3 AND member = $4`, [cluster, run.taskId, occurrence, member]);
          return { granted: false, why: 'busy', holder: other.label ?? other.member };
        }
      }
      const [{ n }] = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SCHEMA}.runs WHERE cluster = $1 AND status = 'running'`, [cluster])).rows;
      // Each better run waiting anywhere (or being asked for here) keeps one place.
      const ahead = new Set((await c.query<{ task_id: string; occurrence: string }>(`SELECT DISTINCT task_id, occurrence FROM ${SCHEMA}.waiting
          WHERE cluster = $1 AND expires_at > now() AND (rank < $2 OR (rank = $2 AND due_at < $3)) AND NOT (task_id = $4 AND occurrence = $5)`,
      [cluster, me.rank, me.due, run.taskId, occurrence])).rows.map((r) => keyOf(r.task_id, r.occurrence)));
      let mine = 0;
      for (const [id, w] of this.asking) if (id !== run.id && w.key !== me.key && better(w, me) && !ahead.has(w.key)) { ahead.add(w.key); mine++; }
      if (n + ahead.size >= Math.max(1, this.o.concurrency())) {
        if (mine && n + ahead.size - mine < Math.max(1, this.o.concurrency())) this.heldForMine = true;
        await c.query(`INSERT INTO ${SCHEMA}.waiting (cluster, task_id, occurrence, member, rank, due_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7 / 1000.0))
          ON CONFLICT (cluster, task_id, occurrence, member) DO UPDATE SET rank = excluded.rank, due_at = excluded.due_at, expires_at = excluded.expires_at`,
        [cluster, run.taskId, occurrence, member, me.rank, me.due, this.ttlMs()]);
        return { granted: false, why: 'full' };
      }
      const now = Date.now();
      const values = runValues({ ...run, status: 'running', startedAt: now }, member);
      const inserted = await c.query<{ token: number }>(
        `INSERT INTO ${SCHEMA}.runs (cluster, ${RUN_COLUMNS}, token) VALUES ($1, ${values.map((_, i) => `$${i + 2}`).join(', ')}, nextval('${SCHEMA}.fence'))
         ON CONFLICT DO NOTHING RETURNING token`, [cluster, ...values]);
      if (!inserted.rowCount) return { granted: false, why: 'taken' };
      if (req.jobId !== undefined) await c.query(`DELETE FROM ${SCHEMA}.pending WHERE cluster = $1 AND id = $2`, [cluster, req.jobId]);
      await c.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND task_id = $2 AND occurrence = $3`, [cluster, run.taskId, occurrence]);
      // At its own limit this member starts nothing more for now: its other waiting runs keep no place.
      if (fence.held + 1 >= Math.max(1, this.o.memberLimit())) await c.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND member = $2`, [cluster, member]);
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
