// The claim (README.md "The claim"): one transaction per start, serialized per cluster by its row lock.
// Exactly once comes from the unique occurrence; overlap and the cluster-wide concurrency are checked
// against every member's committed `running` rows; the token comes from the one fence sequence.
// Priorities across members (README.md "Priorities across members"): runs held back by the limit are
// rows of `waiting`, and each better one keeps a place free from worse runs of any member.
import { escapeLiteral } from 'pg';
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
 * Claim round trips of one member at once: each holds a pooled connection while it waits for the claim
 * lock; the rest of the pool stays free for the heartbeat and writes.
 */
export const CLAIMS_IN_FLIGHT = 2;
/**
 * The most claims one round trip carries. The runs a member asks for together (every task due in the same
 * second) go in one script under one lock: asked one by one, each waited for the answer to the one before.
 */
export const CLAIM_BATCH_MAX = 50;
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
  private inFlight = 0;
  private readonly inLine: Array<{ req: ClaimRequest; resolve: (d: ClaimDecision) => void; reject: (e: unknown) => void }> = [];
  private pumping = false;
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
    const asked = rank > 0 ? new Promise((r) => setTimeout(r, rank * DEFER_STEP_MS)).then(() => this.unlessTaken(req)) : this.limited(req);
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

  /**
   * At most CLAIMS_IN_FLIGHT round trips at once, each with the requests in line (up to CLAIM_BATCH_MAX);
   * the line is read after the current turn, so the runs of one wake travel together.
   */
  private limited(req: ClaimRequest): Promise<ClaimDecision> {
    return new Promise((resolve, reject) => {
      this.inLine.push({ req, resolve, reject });
      if (!this.pumping) { this.pumping = true; setImmediate(() => { this.pumping = false; this.pump(); }); }
    });
  }

  private pump(): void {
    while (this.inFlight < CLAIMS_IN_FLIGHT && this.inLine.length) {
      const batch = this.inLine.splice(0, CLAIM_BATCH_MAX);
      this.inFlight++;
      this.decide(batch.map((b) => b.req)).then(
        (ds) => batch.forEach((b, i) => b.resolve(ds[i])),
        (err) => batch.forEach((b) => b.reject(err)),
      ).finally(() => { this.inFlight--; this.pump(); });
    }
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

  /**
   * The claims in one round trip: the lock, the checks and the writes run inside the server as one implicit
   * transaction (the lock, then a statement per claim, each with a fresh snapshot that sees every claim
   * committed before the lock was granted and the earlier ones of this script). The lock is held for the
   * server's few milliseconds only — not across round trips to a member that may be slow, frozen or cut
   * off while the others queue behind it. Each better run waiting anywhere (or being asked for by this
   * member) keeps one place; a run held back by them becomes a `waiting` row itself; a started one takes
   * its occurrence out of `waiting`.
   */
  private async decide(reqs: ClaimRequest[]): Promise<ClaimDecision[]> {
    const { db, cluster, fence } = this.o;
    const limit = Math.max(1, Math.floor(this.o.concurrency()));
    const now = Date.now();
    const script = [`SELECT 1 FROM ${SCHEMA}.clusters WHERE name = ${literal(cluster)} FOR UPDATE`,
      // At its own limit after these starts, this member starts nothing more for now (counted as if the
      // earlier ones of the script were granted: its waiting rows are written again on the next wake).
      ...reqs.map((req, i) => this.claimStatement(req, limit, fence.held + i + 1 >= Math.max(1, this.o.memberLimit()), now))].join(';\n');
    for (const req of reqs) fence.asking(req.run.id);
    let results: ClaimRow[][];
    try {
      results = await db.script<ClaimRow>(script);
    } catch (err) {
      // A claim may have committed before the answer was lost: the token is not held, so the run's row
      // stays `running` until this member is declared dead or finds it (reaper.ts) and recovers it.
      for (const req of reqs) { fence.release(req.run.id); fence.answered(req.run.id); }
      throw err;
    }
    return reqs.map((req, i) => {
      fence.answered(req.run.id);
      return this.decision(req, results[i + 1][0], limit);
    });
  }

  private claimStatement(req: ClaimRequest, limit: number, memberFull: boolean, now: number): string {
    const { db, cluster, member } = this.o;
    const run = req.run;
    const me = wishOf(req);
    // This member's own better requests being decided beside this one (their rows may not exist yet).
    const mineBetter = new Map<string, Wish>();
    for (const [id, w] of this.asking) if (id !== run.id && w.key !== me.key && better(w, me)) mineBetter.set(w.key, w);
    const c = literal(cluster);
    const task = literal(run.taskId);
    const occ = literal(me.occurrence);
    const m = literal(member);
    const job = req.jobId === undefined ? 'NULL' : literal(req.jobId);
    const textArray = (xs: string[]) => `ARRAY[${xs.map(literal).join(', ')}]::text[]`;
    const local = [...mineBetter.values()];
    const values = runValues({ ...run, status: 'running', startedAt: now }, member).map((v, i) => `${literal(v)}::${RUN_TYPES[i]}`);
    return `WITH job AS (SELECT 1 FROM ${SCHEMA}.pending WHERE cluster = ${c} AND id = ${job} FOR UPDATE SKIP LOCKED),
        done AS (SELECT 1 FROM ${SCHEMA}.runs WHERE cluster = ${c} AND task_id = ${task} AND occurrence = ${run.occurrence === undefined ? 'NULL' : literal(run.occurrence)}),
        busy AS (SELECT r.id, r.member, m.label FROM ${SCHEMA}.runs r LEFT JOIN ${SCHEMA}.members m ON m.cluster = r.cluster AND m.id = r.member
          WHERE ${req.exclusive ? 'TRUE' : 'FALSE'} AND r.cluster = ${c} AND r.task_id = ${task} AND r.status = 'running' LIMIT 1),
        running AS (SELECT count(*) AS n FROM ${SCHEMA}.runs WHERE cluster = ${c} AND status = 'running'),
        ahead AS (SELECT DISTINCT task_id, occurrence FROM ${SCHEMA}.waiting
          WHERE cluster = ${c} AND expires_at > now() AND (rank < ${me.rank} OR (rank = ${me.rank} AND due_at < ${me.due})) AND NOT (task_id = ${task} AND occurrence = ${occ})),
        mine AS (SELECT count(*) AS n FROM (SELECT * FROM unnest(${textArray(local.map((w) => w.taskId))}, ${textArray(local.map((w) => w.occurrence))}) AS l(task_id, occurrence)
          EXCEPT SELECT task_id, occurrence FROM ahead) x),
        verdict AS (SELECT CASE
          WHEN ${req.jobId === undefined ? 'FALSE' : 'NOT EXISTS (SELECT 1 FROM job)'} OR EXISTS (SELECT 1 FROM done) THEN 'taken'
          WHEN EXISTS (SELECT 1 FROM busy) THEN 'busy'
          WHEN (SELECT n FROM running) + (SELECT count(*) FROM ahead) + (SELECT n FROM mine) >= ${limit} THEN 'full'
          ELSE 'granted' END AS v),
        ins AS (INSERT INTO ${SCHEMA}.runs (cluster, ${RUN_COLUMNS}, token) SELECT ${c}, ${values.join(', ')}, nextval('${SCHEMA}.fence')
          FROM verdict WHERE v = 'granted' ON CONFLICT DO NOTHING RETURNING token),
        gone AS (DELETE FROM ${SCHEMA}.pending WHERE cluster = ${c} AND id = ${job} AND EXISTS (SELECT 1 FROM ins) RETURNING 1),
        -- Waiting for its task (busy), not for a place: it keeps none. Started: its occurrence waits no more.
        unwait AS (DELETE FROM ${SCHEMA}.waiting WHERE cluster = ${c} AND (
            ((SELECT v FROM verdict) = 'busy' AND task_id = ${task} AND occurrence = ${occ} AND member = ${m})
            OR (EXISTS (SELECT 1 FROM ins) AND ((task_id = ${task} AND occurrence = ${occ}) OR (${memberFull ? 'TRUE' : 'FALSE'} AND member = ${m}))))
          RETURNING 1),
        wait AS (INSERT INTO ${SCHEMA}.waiting (cluster, task_id, occurrence, member, rank, due_at, expires_at)
          SELECT ${c}, ${task}, ${occ}, ${m}, ${me.rank}, ${me.due}, now() + make_interval(secs => ${this.ttlMs()} / 1000.0) FROM verdict WHERE v = 'full'
          ON CONFLICT (cluster, task_id, occurrence, member) DO UPDATE SET rank = excluded.rank, due_at = excluded.due_at, expires_at = excluded.expires_at
          RETURNING 1)
      SELECT (SELECT v FROM verdict) AS verdict, (SELECT token FROM ins) AS token, (SELECT count(*) FROM gone) AS gone,
        (SELECT count(*) FROM unwait) AS unwaited, (SELECT count(*) FROM wait) AS waited,
        (SELECT n FROM running)::int AS running, (SELECT count(*) FROM ahead)::int AS ahead, (SELECT n FROM mine)::int AS mine,
        busy.id AS busy_id, busy.member AS busy_member, busy.label AS busy_label,
        -- Windows watching the cluster show the run as running at once (sent at commit, in this round trip).
        (SELECT count(pg_notify(${literal(db.channel)}, 'started')) FROM ins) AS told
        FROM (SELECT 1) one LEFT JOIN busy ON TRUE`;
  }

  private decision(req: ClaimRequest, row: ClaimRow, limit: number): ClaimDecision {
    const { db, member, fence } = this.o;
    if (row.verdict === 'busy') {
      if (req.overlap === 'replace' && row.busy_member !== member) this.o.cancelElsewhere(row.busy_member!, row.busy_id!);
      return { granted: false, why: 'busy', holder: row.busy_label ?? row.busy_member ?? undefined };
    }
    if (row.verdict === 'full') {
      // Held back only by this member's own better requests: if one of them does not start, ask again.
      if (row.mine && row.running + row.ahead < limit) this.heldForMine = true;
      return { granted: false, why: 'full' };
    }
    if (row.token === null) return { granted: false, why: 'taken' };
    fence.hold(req.run.id, Number(row.token));
    if (req.jobId !== undefined) db.notify('pending');
    return { granted: true };
  }
}

/** What a claim's statement answers. */
interface ClaimRow {
  verdict: string; token: number | null; running: number; ahead: number; mine: number;
  busy_id: string | null; busy_member: string | null; busy_label: string | null;
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
