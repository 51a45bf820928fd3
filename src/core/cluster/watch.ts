// A window's live view of one cluster: the snapshot (snapshot.ts) read again when a NOTIFY says something
// changed, or when the connection is back; never on a timer. The only timer is the Members panel's: while
// someone looks at it, the members' heartbeats are read every MEMBERS_POLL_MS (a heartbeat is not worth a
// NOTIFY per member per second). Members that leave or die stay listed as gone for a while.
import type { Db, Notice } from './db';
import type { MemberRow } from './membership';
import { readMembers, readSnapshot, type ClusterSnapshot } from './snapshot';
import { redact } from './redact';

/** The Members panel's heartbeats: fresh enough to see a member stop, no faster than the issue allows (5 s). */
export const MEMBERS_POLL_MS = 5_000;
/** A burst of notices (ten runs ending on one second) becomes one read. */
const DEBOUNCE_MS = 25;
/** At most 20 reads a second however busy the cluster (a read of 200 tasks takes a few ms). */
const MIN_GAP_MS = 50;
/** A member that left or died stays listed, as gone, this long. */
export const GONE_KEPT_MS = 10 * 60_000;

export type MemberState = 'active' | 'standing-by' | 'late' | 'gone';

export interface MemberView {
  id: string;
  label: string;
  host: string;
  pid: number;
  version: string;
  /** On this machine's clock (the database's moved by the difference measured at each read). */
  since: number;
  heartbeatAt: number;
  running: number;
  definitions: string;
  /** Its definitions are the cluster's (those of its oldest member). */
  definitionsMatch: boolean;
  standby?: string;
  state: MemberState;
  /** When this window saw it gone. */
  goneAt?: number;
}

export interface ClusterWatchOptions {
  db: Db;
  cluster: string;
  /** A heartbeat older than this is late (the member is frozen, cut off, or dead and nobody reaped it yet). */
  lateMs: number;
  /**
   * Read on a timer this often instead of on NOTIFY: for a database reached through a pooler that drops
   * LISTEN, and as the benchmark's peer (test/bench/cluster-window.bench.ts). Default: NOTIFY only.
   */
  pollMs?: number;
  log: (level: 'debug' | 'info' | 'warn', message: string) => void;
}

export class ClusterWatch {
  private current?: ClusterSnapshot;
  private gone = new Map<string, MemberView>();
  private memberViews: MemberView[] = [];
  private timer?: NodeJS.Timeout;
  private membersTimer?: NodeJS.Timeout;
  private reading?: Promise<void>;
  private again = false;
  private lastRead = 0;
  private watchers = 0;
  private stopped = false;
  private readonly listeners = new Set<(what: 'snapshot' | 'members') => void>();
  private readonly off: Array<() => void>;

  private pollTimer?: NodeJS.Timeout;

  constructor(private readonly o: ClusterWatchOptions) {
    this.off = [o.db.onUp(() => this.soon())];
    if (o.pollMs) this.poll(o.pollMs);
    else this.off.push(o.db.onNotice((n) => this.onNotice(n)));
  }

  private poll(ms: number): void {
    this.pollTimer = setTimeout(() => {
      if (this.stopped) return;
      this.refresh().catch(() => undefined).finally(() => this.poll(ms));
    }, ms);
    this.pollTimer.unref?.();
  }

  get snapshot(): ClusterSnapshot | undefined { return this.current; }
  get members(): MemberView[] { return this.memberViews; }

  onChange(listener: (what: 'snapshot' | 'members') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads now (the first read, after an action, after a reconnect); calls during a read fold into one more. */
  refresh(): Promise<void> {
    if (this.reading) { this.again = true; return this.reading; }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          this.lastRead = Date.now();
          const s = await readSnapshot(this.o.db, this.o.cluster);
          if (this.stopped) return;
          this.current = s;
          this.setMembers(s.members, s.dbNow - s.localNow);
          this.emit('snapshot');
        } while (this.again && !this.stopped);
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  /** Someone shows the members: their heartbeats are read every MEMBERS_POLL_MS until the returned function is called. */
  watchMembers(): () => void {
    if (this.watchers++ === 0) this.pollMembers();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.watchers === 0) { clearTimeout(this.membersTimer); this.membersTimer = undefined; }
    };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.membersTimer);
    clearTimeout(this.pollTimer);
    for (const f of this.off) f();
  }

  private onNotice(n: Notice): void {
    // Actions and their answers change nothing shown; what they cause (a run, a state) has its own notice.
    if (n === 'action' || n === 'done') return;
    this.soon();
  }

  private soon(): void {
    if (this.stopped || this.timer) return;
    const wait = Math.max(DEBOUNCE_MS, this.lastRead + MIN_GAP_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh().catch((e) => this.o.log('debug', `reading the cluster failed: ${redact((e as Error).message)}`));
    }, wait);
    this.timer.unref?.();
  }

  private pollMembers(): void {
    clearTimeout(this.membersTimer);
    this.membersTimer = setTimeout(() => {
      this.membersTimer = undefined;
      if (this.stopped || this.watchers === 0) return;
      readMembers(this.o.db, this.o.cluster)
        .then((m) => { if (!this.stopped) { this.setMembers(m.members, m.dbNow - m.localNow); this.emit('members'); } })
        .catch(() => undefined) // down: the connection says so, and its return reads everything
        .finally(() => { if (this.watchers > 0 && !this.stopped) this.pollMembers(); });
    }, MEMBERS_POLL_MS);
    this.membersTimer.unref?.();
  }

  /** Members as read (times moved to this machine's clock), and those seen before that are gone now. */
  private setMembers(rows: MemberRow[], skewMs: number): void {
    const now = Date.now();
    const defining = rows[0]?.definitions;
    const present = new Set(rows.map((r) => r.id));
    for (const m of this.memberViews) {
      if (!present.has(m.id) && m.state !== 'gone') this.gone.set(m.id, { ...m, state: 'gone', running: 0, goneAt: now });
    }
    for (const [id, m] of this.gone) if (present.has(id) || now - (m.goneAt ?? now) > GONE_KEPT_MS) this.gone.delete(id);
    const live = rows.map((r): MemberView => {
      const heartbeatAt = Math.round(r.heartbeat_at - skewMs);
      const view: MemberView = {
        id: r.id, label: r.label, host: r.host, pid: r.pid, version: r.version, since: Math.round(r.since - skewMs), heartbeatAt,
        running: r.running, definitions: r.definitions, definitionsMatch: r.definitions === defining,
        state: now - heartbeatAt > this.o.lateMs ? 'late' : r.standby ? 'standing-by' : 'active',
      };
      if (r.standby) view.standby = r.standby;
      return view;
    });
    this.memberViews = [...live, ...[...this.gone.values()].sort((a, b) => (b.goneAt ?? 0) - (a.goneAt ?? 0))];
  }

  private emit(what: 'snapshot' | 'members'): void {
    for (const l of [...this.listeners]) {
      try { l(what); } catch { /* a listener's bug must not stop the watch */ }
    }
  }
}
