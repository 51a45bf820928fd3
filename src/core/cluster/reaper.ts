// Finding dead members and taking over what they left (README.md "Members, death and takeover"). Runs
// after each heartbeat of an active member; one reaper at a time per cluster (an advisory transaction
// lock), and every step is safe to repeat if a reaper dies midway.
import type { RunRecord } from '../ports';
import type { Db } from './db';
import type { Fence } from './fence';
import { RUN_COLUMNS, runFromRow, type RunRow } from './rows';
import { SCHEMA } from './schema';
import type { ClusterTimings } from './timings';

export const DEAD_MEMBER = 'the member running it died (process killed, machine down, or frozen past its lease)';
export const LOST_CLAIM = 'its claim was committed but the answer was lost on the way back (connection dropped)';

export interface ReaperOptions {
  db: Db;
  cluster: string;
  member: string;
  fence: Fence;
  timings: ClusterTimings;
  /** The engine's `recover`: retry policy for the runs; returns their final records. */
  recover: (runs: RunRecord[], reason: string) => RunRecord[];
  /** Resolves when the engine's writes so far (the retries) are stored. */
  idle: () => Promise<void>;
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
    for (const d of dead) await this.recoverMember(d.id, d.label);
    await this.orphans();
    // Places kept by runs whose member stopped asking (claims.ts): already ignored, now gone.
    await db.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND expires_at < now()`, [cluster]);
    return dead.map((d) => d.id);
  }

  private async recoverMember(id: string, label: string): Promise<void> {
    const { db, cluster } = this.o;
    // Its sessions go first: once it wakes it can no longer write on a connection it already had.
    await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [applicationName(id)]).catch(() => undefined);
    const n = await this.interrupt(`member = $2`, [id], DEAD_MEMBER, async (c) => {
      await c.query(`DELETE FROM ${SCHEMA}.members WHERE cluster = $1 AND id = $2`, [cluster, id]);
      await c.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND member = $2`, [cluster, id]);
    });
    this.o.log('warn', `member ${label} is dead (its connection closed or its heartbeat lapsed)${n ? `: ${n} run(s) of it interrupted and retried by their policy` : ''}`);
    db.notify('members');
  }

  /** Rows `running` under this member's name whose claim answer was lost: this member never ran them. */
  private async orphans(): Promise<void> {
    const held = this.o.fence;
    const mine = await this.o.db.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.runs WHERE cluster = $1 AND member = $2 AND status = 'running'`, [this.o.cluster, this.o.member]);
    const lost = mine.map((r) => r.id).filter((id) => held.token(id) === undefined);
    if (lost.length) await this.interrupt(`member = $2 AND id = ANY($3)`, [this.o.member, lost], LOST_CLAIM);
  }

  /** Under the reaper lock: the matching running rows get their retry (engine) and then `interrupted` with a new token. */
  private async interrupt(where: string, params: unknown[], reason: string, also?: (c: import('pg').ClientBase) => Promise<void>): Promise<number> {
    const { db, cluster } = this.o;
    return db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, 0)', [db.lockClass]);
      const rows = (await c.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${SCHEMA}.runs WHERE cluster = $1 AND ${where} AND status = 'running' FOR UPDATE SKIP LOCKED`,
        [cluster, ...params])).rows;
      const runs = rows.map(runFromRow);
      const now = Date.now();
      if (runs.length) {
        // Retries first (their ids derive from the runs): a reaper that dies before the commit below is
        // repeated by the next one, which stores the same retries again rather than losing them.
        this.o.recover(runs, reason);
        await this.o.idle();
        await c.query(`UPDATE ${SCHEMA}.runs SET status = 'interrupted', ended_at = $3, error = $4, token = nextval('${SCHEMA}.fence')
          WHERE cluster = $1 AND id = ANY($2) AND status = 'running'`, [cluster, runs.map((r) => r.id), now, reason]);
      }
      await also?.(c);
      return runs.length;
    }).then((n) => { if (n) db.notify('ended'); return n; });
  }
}

/** How a member's sessions are named in pg_stat_activity (at most 63 bytes). */
export function applicationName(memberId: string): string {
  return `task-scheduler ${memberId}`.slice(0, 63);
}
