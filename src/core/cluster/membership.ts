// This process as a member of the cluster, behind the engine's `Lease` seam: `leader` means "an active
// member" — joined, connected when it last knew, and running the definitions the cluster runs (those of
// its oldest member). Many members lead at once; the claims decide who starts what.
//
// Death notices: a session advisory lock per member (released the moment its connection closes) and a
// heartbeat on the database clock (for a member frozen with its connection open). A member that finds
// its own row gone was declared dead: it stops leading and joins again as a new member.
import type { Lease, LeaseOwner, LeaseState } from '../ports';
import type { Db } from './db';
import { differingTasks, type Definitions } from './definitions';
import { isUnavailable } from './errors';
import { SCHEMA } from './schema';
import type { ClusterTimings } from './timings';

/** `standby` of a member that is stopping: the others stop counting on it at once (a rolling deploy hands over without a gap). */
export const LEAVING = 'leaving: it is stopping';

export interface MemberRow {
  id: string; label: string; host: string; pid: number; version: string; since: number; heartbeat_at: number;
  definitions: string; task_hashes: Record<string, string>; standby: string | null; running: number; stale_writes: number; lock_key: number;
}

export const MEMBER_COLUMNS = `id, label, host, pid, version, (extract(epoch from since) * 1000)::float8 AS since,
  (extract(epoch from heartbeat_at) * 1000)::float8 AS heartbeat_at, definitions, task_hashes, standby, running, stale_writes, lock_key`;

export interface MembershipOptions {
  db: Db;
  cluster: string;
  owner: LeaseOwner;
  version: string;
  timings: ClusterTimings;
  log: (level: 'debug' | 'info' | 'warn', message: string) => void;
  /** Figures published with each heartbeat. */
  figures: () => { running: number; staleWrites: number };
  /** After each heartbeat, with the members as read (the reaper runs here while active); beside the heartbeat, one at a time. */
  afterBeat: (members: MemberRow[], active: boolean) => Promise<void>;
}

export class Membership implements Lease {
  private definitions: Definitions = { hash: '', tasks: {} };
  private joined = false;
  private active = false;
  private lockKey?: number;
  private lockHeld = false;
  private standbyReason?: string;
  private list: MemberRow[] = [];
  private lastBeat?: number;
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private afterBeating?: Promise<void>;
  private stopped = false;
  private leaving = false;
  private readonly listeners = new Set<(s: LeaseState) => void>();

  constructor(private readonly o: MembershipOptions) {}

  get members(): MemberRow[] { return this.list; }
  get standby(): string | undefined { return this.standbyReason; }
  get id(): string { return this.o.owner.id; }

  setDefinitions(d: Definitions): void {
    this.definitions = d;
    if (this.joined) this.kick();
  }

  state(): LeaseState {
    const oldest = definingMember(this.list);
    const holder: LeaseOwner | undefined = oldest && { id: oldest.id, label: oldest.label, pid: oldest.pid, host: oldest.host };
    return { leader: this.active, holder, heartbeatAt: this.lastBeat };
  }

  onChange(listener: (s: LeaseState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Joins (once) and beats; true when this member is active afterwards. */
  async tryAcquire(): Promise<boolean> {
    if (!this.joined) await this.join();
    await this.beat();
    if (!this.timer) this.schedule();
    return this.active;
  }

  /**
   * This member is stopping: said first, so the next oldest member defines the cluster and new members
   * start executing while this one's runs end (the claims keep every slot once meanwhile).
   */
  async leave(): Promise<void> {
    if (!this.joined || this.leaving) return;
    this.leaving = true;
    await this.o.db.query(`UPDATE ${SCHEMA}.members SET standby = $3 WHERE cluster = $1 AND id = $2`, [this.o.cluster, this.id, LEAVING]).catch(() => undefined);
    this.o.db.notify('members');
  }

  /** Leaves the cluster: its row goes, its lock with its session (the service closes the Db). */
  async release(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.beating?.catch(() => undefined);
    await this.afterBeating;
    this.setActive(false);
    if (!this.joined) return;
    this.joined = false;
    await this.o.db.query(`DELETE FROM ${SCHEMA}.members WHERE cluster = $1 AND id = $2`, [this.o.cluster, this.id]).catch(() => undefined);
    await this.o.db.query(`DELETE FROM ${SCHEMA}.waiting WHERE cluster = $1 AND member = $2`, [this.o.cluster, this.id]).catch(() => undefined);
    this.o.db.notify('members');
  }

  /** Beat now (a reload changed the definitions, a member joined or left). */
  kick(): void {
    if (this.stopped || !this.joined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.beat().finally(() => this.schedule());
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.beat().finally(() => this.schedule()); }, this.o.timings.heartbeatMs);
    this.timer.unref?.();
  }

  private async join(): Promise<void> {
    const { db, cluster, owner } = this.o;
    const [{ key }] = await db.query<{ key: number }>(`SELECT nextval('${SCHEMA}.member_locks')::int AS key`);
    this.lockKey = key;
    this.lockHeld = false;
    // The lock before the row: a member row without its lock held looks dead to the others' reapers as
    // soon as its first heartbeat is 2 beats old (a slow connect under load, or a join again after being
    // declared dead, whose session is already open).
    if (db.sessionClient) await this.takeLock(db.sessionClient);
    else await db.holdSession((client) => this.takeLock(client));
    await db.query(`INSERT INTO ${SCHEMA}.members (cluster, id, label, host, pid, version, lock_key, definitions, task_hashes)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [cluster, owner.id, owner.label, owner.host, owner.pid, this.o.version, key, this.definitions.hash, JSON.stringify(this.definitions.tasks)]);
    this.joined = true;
    db.notify('members');
  }

  /** On each new session: the member's lock (try: an old session the server has not noticed closing may still hold it). */
  private async takeLock(client: import('pg').Client): Promise<void> {
    if (this.lockKey === undefined) return;
    const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [this.o.db.lockClass, this.lockKey]);
    this.lockHeld = r.rows[0].ok;
    await client.query(`UPDATE ${SCHEMA}.members SET session_at = now() WHERE cluster = $1 AND id = $2`, [this.o.cluster, this.id]);
  }

  private beat(): Promise<void> {
    this.beating ??= this.beatOnce().finally(() => { this.beating = undefined; });
    return this.beating;
  }

  private async beatOnce(): Promise<void> {
    if (this.stopped || !this.joined) return;
    const { db, cluster } = this.o;
    try {
      const figures = this.o.figures();
      const mine = await db.query<{ at: number }>(`UPDATE ${SCHEMA}.members SET heartbeat_at = now(), running = $3, stale_writes = $4,
          definitions = $5, task_hashes = $6, standby = $7 WHERE cluster = $1 AND id = $2
        RETURNING (extract(epoch from heartbeat_at) * 1000)::float8 AS at`,
      [cluster, this.id, figures.running, figures.staleWrites, this.definitions.hash, JSON.stringify(this.definitions.tasks), this.leaving ? LEAVING : this.standbyReason ?? null]);
      if (!mine.length) {
        this.o.log('warn', 'this member was declared dead by the cluster (its heartbeat lapsed: the process was frozen or cut off from PostgreSQL); its runs were interrupted and retried elsewhere. Joining again');
        this.setActive(false);
        this.joined = false;
        await this.join();
        return this.beatOnce();
      }
      this.lastBeat = mine[0].at;
      if (!this.lockHeld && db.sessionClient) await this.takeLock(db.sessionClient).catch(() => undefined);
      this.list = await db.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM ${SCHEMA}.members WHERE cluster = $1 ORDER BY since, id`, [cluster]);
      this.decide();
      // Beside the heartbeat, never in its way: a long recovery of dead members must not make this one look dead.
      this.afterBeating ??= this.o.afterBeat(this.list, this.active).catch(() => undefined).finally(() => { this.afterBeating = undefined; });
    } catch (e) {
      // Unreachable: Db says so once. Keep leading: running runs go on; claims refuse until it is back.
      if (!isUnavailable(e)) this.o.log('warn', `heartbeat failed: ${(e as Error).message}`);
    }
  }

  /** The cluster runs its oldest member's definitions; a member with others stands by and says which tasks differ. */
  private decide(): void {
    // A stopping member's service is leaving its role by itself.
    if (this.leaving) return;
    const oldest = definingMember(this.list);
    const same = !oldest || oldest.definitions === this.definitions.hash;
    const reason = same ? undefined
      : `its task definitions differ from those the cluster runs (${oldest.label}'s): ${differingTasks(this.definitions.tasks, oldest.task_hashes).join(', ') || 'settings'}`;
    if (reason !== this.standbyReason) {
      this.standbyReason = reason;
      if (reason) this.o.log('warn', `standing by: ${reason}`);
      else if (this.list.length) this.o.log('info', 'definitions match the cluster\'s: executing');
    }
    this.setActive(same);
  }

  private setActive(active: boolean): void {
    const changed = this.active !== active;
    this.active = active;
    if (!changed) return;
    const s = this.state();
    for (const l of [...this.listeners]) l(s);
  }
}

/** The member whose definitions the cluster runs: the oldest one that is not stopping. */
export function definingMember<M extends Pick<MemberRow, 'standby'>>(members: M[]): M | undefined {
  return members.find((m) => m.standby !== LEAVING) ?? members[0];
}
