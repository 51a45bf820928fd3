// Finding dead members and taking over what they left (README.md "Members, death and takeover"). Runs
// after each heartbeat of an active member; one reaper at a time per cluster (an advisory transaction
// lock), and every step is safe to repeat if a reaper dies midway.
import type { PendingJob, RunRecord } from '../ports';
import type { Db } from './db';
import type { Fence } from './fence';
import { PUT_PENDING, RUN_COLUMNS, runFromRow, type RunRow } from './rows';
import { SCHEMA } from './schema';
import type { ClusterTimings } from './timings';

/**
 * How long a reaper waits for the reaper lock. Its holder does the same work and is done in moments; one
 * holding it longer is stuck — frozen or cut off in the middle — and keeps it until its session ends. So
 * the others give up for this beat and go on looking for dead members: that is how they find the stuck
 * one and end its sessions (which releases the lock).
 */
export const REAPER_LOCK_WAIT_MS = 2_000;
/** The reaper lock was not granted within REAPER_LOCK_WAIT_MS (lock_not_available). */
const lockBusy = (e: unknown): boolean => (e as { code?: string })?.code === '55P03';

export const DEAD_MEMBER = 'the member running it died (process killed, machine down, or frozen past its lease)';
export const LOST_CLAIM = 'its claim was committed but the answer was lost on the way back (connection dropped)';

export interface ReaperOptions {
  db: Db;
  cluster: string;
  member: string;
  fence: Fence;
  timings: ClusterTimings;
  /** The engine's `recover`: retry policy for the runs; returns the retries it scheduled. */
  recover: (runs: RunRecord[], reason: string) => PendingJob[];
  log: (level: 'info' | 'warn', message: string) => void;
}

export class Reaper {
  constructor(private readonly o: ReaperOptions) {}

  /** Declares dead the members whose lock is free or whose heartbeat lapsed; recovers their runs. */
  async sweep(): Promise<string[]> {
    const { db, cluster, member, timings } = this.o;
    // Lock free (its session closed) with a heartbeat older than ~2 beats, or no heartbeat for the TTL;
    // never in the first TTL after the server (re)started, when every member is still reconnecting.
    const dead = await db.query<{ id: string; label: string }>(`SELECT id, label FROM ${SCHEMA}.members
       WHERE cluster = $1 AND id <> $2 AND pg_postmaster_start_time() < now() - make_interval(secs => $4 / 1000.0)
         AND (heartbeat_at < now() - make_interval(secs => $4 / 1000.0)
              OR (heartbeat_at < now() - make_interval(secs => $3 / 1000.0) AND pg_try_advisory_xact_lock($5, lock_key)))`,
    [cluster, member, timings.heartbeatMs * 2, timings.ttlMs, db.lockClass]);
    // Their sessions go first, all of them: once one wakes it can no longer write on a connection it
    // already had, and one stuck with the reaper lock releases it.
    if (dead.length) {
      await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ANY($1)`, [dead.map((d) => applicationName(d.id))]).catch(() => undefined);
    }
    for (const d of dead) await this.recoverMember(d.id, d.label);
    await this.orphans();
    // Places kept by runs whose member stopped asking (claims.ts): already ignored, now gone.
    await db.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND expires_at < now()`, [cluster]);
    return dead.map((d) => d.id);
  }

  private async recoverMember(id: string, label: string): Promise<void> {
    const { db, cluster } = this.o;
    let n: number;
    try {
      n = await this.interrupt(`member = $2`, [id], DEAD_MEMBER, async (c) => {
        await c.query(`DELETE FROM ${SCHEMA}.members WHERE cluster = $1 AND id = $2`, [cluster, id]);
        await c.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND member = $2`, [cluster, id]);
      });
    } catch (e) {
      if (lockBusy(e)) return; // another reaper is at it (or stuck: then it is found dead in turn); the next beat looks again
      throw e;
    }
    this.o.log('warn', `member ${label} is dead (its connection closed or its heartbeat lapsed)${n ? `: ${n} run(s) of it interrupted and retried by their policy` : ''}`);
    db.notify('members');
  }

  /**
   * Rows `running` under this member's name whose claim answer was lost: this member never ran them. Not
   * one whose answer is still on the way (committed a moment ago): that one runs here, and locking its row
   * while waiting for this member's writes — its own among them — would hold both up.
   */
  private async orphans(): Promise<void> {
    const held = this.o.fence;
    const mine = await this.o.db.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.runs WHERE cluster = $1 AND member = $2 AND status = 'running'`, [this.o.cluster, this.o.member]);
    const lost = mine.map((r) => r.id).filter((id) => !held.mine(id));
    if (lost.length) await this.interrupt(`member = $2 AND id = ANY($3)`, [this.o.member, lost], LOST_CLAIM).catch((e) => { if (!lockBusy(e)) throw e; });
  }

  /** Under the reaper lock: the matching running rows get their retry (engine) and then `interrupted` with a new token. */
  private async interrupt(where: string, params: unknown[], reason: string, also?: (c: import('pg').ClientBase) => Promise<void>): Promise<number> {
    const { db, cluster } = this.o;
    return db.tx(async (c) => {
      await c.query("SELECT set_config('lock_timeout', $1, true)", [String(REAPER_LOCK_WAIT_MS)]);
      await c.query('SELECT pg_advisory_xact_lock($1, 0)', [db.lockClass]);
      const rows = (await c.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${SCHEMA}.runs WHERE cluster = $1 AND ${where} AND status = 'running' FOR UPDATE SKIP LOCKED`,
        [cluster, ...params])).rows;
      const runs = rows.map(runFromRow);
      const now = Date.now();
      if (runs.length) {
        // The retries are stored here, in this transaction, with the runs' end: not through the engine's
        // write chain, which on a busy member is seconds behind. Their ids derive from the runs, so a reaper
        // that dies before the commit is repeated by the next one, which stores the same retries.
        for (const job of this.o.recover(runs, reason)) await c.query(PUT_PENDING, [cluster, job.id, job.taskId, job.dueAt, JSON.stringify(job)]);
        await c.query(`UPDATE ${SCHEMA}.runs SET status = 'interrupted', ended_at = $3, error = $4, token = nextval('${SCHEMA}.fence')
          WHERE cluster = $1 AND id = ANY($2) AND status = 'running'`, [cluster, runs.map((r) => r.id), now, reason]);
      }
      await also?.(c);
      return runs.length;
    }).then((n) => {
      if (n) { db.notify('ended'); db.notify('pending'); }
      return n;
    });
  }
}

/** How a member's sessions are named in pg_stat_activity (at most 63 bytes). */
export function applicationName(memberId: string): string {
  return `task-scheduler ${memberId}`.slice(0, 63);
}
