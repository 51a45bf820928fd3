// One executor per workspace: whoever holds `<dataDir>/executor.lease` runs the tasks; every other
// process (another VS Code window, the CLI) is a viewer that polls the file, shows who runs it, and
// takes over once the holder is gone. Every change of the file happens inside the lock directory's
// critical section (read, decide, write), so two contenders can never both see "free" and both win.
//
// "Take over" (tryAcquire(true)) writes this process's record over a live leader's, then waits a beat
// before leading: the old leader re-reads the file on that beat and stops, so the two never overlap.
//
// A leader is a leader only while its own record is unexpired *by the same wall clock viewers use to
// judge it expired*, so a paused or hung leader stops counting itself a leader at the very moment
// others may take over — before its heartbeat gets a chance to notice. The engine should ask
// `state().leader` right before starting a run, not only listen for onChange.
import * as crypto from 'crypto';
import * as nodeFs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import type { Lease, LeaseOwner, LeaseState } from '../ports';
import { readLeaseFile, removeLeaseFile, writeLeaseFile, type LeaseFs, type LeaseRecord } from './leaseFile';
import { tryLock, type HeldLock } from './lockDir';
import { currentPidNamespace, isPidAlive } from './liveness';

/** Renew every 5 s: three beats fit in one TTL, so two late or failed beats do not lose the lease. */
export const HEARTBEAT_MS = 5_000;
/** Expire 15 s after the last beat: viewers poll every beat, so a dead leader is replaced ≤ 20 s after its last one (goal: 30 s). */
export const TTL_MS = 15_000;
/** A lock directory older than 5 s was left by a holder that died inside: a section takes milliseconds. */
export const LOCK_STALE_MS = 5_000;
/** Retry a busy section after 20 ms: the holder needs a few file calls, and a stale lock is noticed soon after it goes stale. */
const LOCK_RETRY_MS = 20;
/** A forced takeover waits 1.2 beats before leading: the old leader re-reads the file within one beat and stops; 20% for a late timer. */
const HANDOVER_BEATS = 1.2;
/** A leader that has not looked at the file for 1.5 beats was paused (suspended, debugger, blocked loop): look before saying yes. */
const STALL_BEATS = 1.5;

export const LEASE_FILE = 'executor.lease';

export interface LeaseOptions {
  /** The workspace's data folder (see paths.ts); created if missing. */
  dataDir: string;
  owner: LeaseOwner;
  clock?: Clock;
  /** @default HEARTBEAT_MS */
  heartbeatMs?: number;
  /** @default TTL_MS */
  ttlMs?: number;
  /** @default LOCK_STALE_MS (at most ttlMs − heartbeatMs, so a leader blocked by a dead lock can still renew) */
  lockStaleMs?: number;
  fs?: LeaseFs;
  /** Why leadership changed, and anything unexpected; for the log channel. */
  log?: (message: string) => void;
}

type Role =
  | { kind: 'idle' } // not started, or released
  | { kind: 'viewer' }
  /** Took the file from a live leader by force; leads once it has had a beat to step down. */
  | { kind: 'claiming'; record: LeaseRecord; until: number }
  | { kind: 'leader'; record: LeaseRecord; checkedAt: number };

const BUSY = Symbol('busy');

export function createLease(options: LeaseOptions): Lease {
  return new FileLease(options);
}

/** This process as a lease owner: a fresh id per process instance (a restart with a reused pid is someone else). */
export function leaseOwner(label: string): LeaseOwner {
  return { id: `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`, label, pid: process.pid, host: os.hostname() };
}

/** The host and pid in an owner id (`host:pid:random`, as leaseOwner makes it): who ran a run, for people. */
export function parseOwnerId(id: string): { host: string; pid: number } | undefined {
  const m = /^(.+):(\d+):[0-9a-f]+$/.exec(id);
  return m ? { host: m[1], pid: Number(m[2]) } : undefined;
}

/** A record changes on every renewal; the same key poll after poll means its holder stopped renewing. */
const seenKey = (r: LeaseRecord) => `${r.token}@${r.heartbeatAt}`;

class FileLease implements Lease {
  private readonly fs: LeaseFs;
  private readonly clock: Clock;
  private readonly owner: LeaseOwner;
  private readonly dataDir: string;
  private readonly file: string;
  private readonly lockPath: string;
  private readonly heartbeatMs: number;
  private readonly ttlMs: number;
  private readonly lockStaleMs: number;
  private readonly log: (message: string) => void;
  private readonly pidNamespace = currentPidNamespace();

  private role: Role = { kind: 'idle' };
  /** What a viewer last saw on disk: the live holder, if any. */
  private viewed: { holder?: LeaseOwner; heartbeatAt?: number } = {};
  /** The last record a poll read, and how many polls in a row read exactly it. */
  private seen?: { key: string; polls: number };
  private timer?: TimerHandle;
  private readonly listeners = new Set<(state: LeaseState) => void>();
  private lastEmitted = 'false|';
  private claimWaiters: Array<(leader: boolean) => void> = [];

  constructor(o: LeaseOptions) {
    this.fs = o.fs ?? nodeFs;
    this.clock = o.clock ?? systemClock;
    this.owner = o.owner;
    this.dataDir = o.dataDir;
    this.file = path.join(o.dataDir, LEASE_FILE);
    this.lockPath = `${this.file}.lock`;
    this.heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
    this.ttlMs = o.ttlMs ?? TTL_MS;
    this.lockStaleMs = o.lockStaleMs ?? Math.min(LOCK_STALE_MS, this.ttlMs - this.heartbeatMs);
    this.log = o.log ?? (() => {});
    if (!(this.heartbeatMs > 0 && this.ttlMs >= 2 * this.heartbeatMs)) {
      throw new RangeError(`lease: ttlMs (${this.ttlMs}) must be at least two heartbeats (${this.heartbeatMs})`);
    }
    if (!(this.lockStaleMs > 0 && this.lockStaleMs <= this.ttlMs - this.heartbeatMs)) {
      throw new RangeError(`lease: lockStaleMs (${this.lockStaleMs}) must be in (0, ttlMs − heartbeatMs]`);
    }
  }

  state(): LeaseState {
    const r = this.role;
    if (r.kind === 'leader') return { leader: this.stillLeading(r), holder: this.owner, heartbeatAt: r.record.heartbeatAt };
    if (r.kind === 'claiming') return { leader: false, holder: this.owner, heartbeatAt: r.record.heartbeatAt };
    return { leader: false, ...this.viewed };
  }

  onChange(listener: (state: LeaseState) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  async tryAcquire(force = false): Promise<boolean> {
    if (this.role.kind === 'idle') {
      // From now on this process polls, and takes over when the lease is free, whatever happens below.
      this.role = { kind: 'viewer' };
      this.schedule(this.heartbeatMs);
    }
    const maxTries = Math.ceil(this.lockStaleMs / LOCK_RETRY_MS) + 10; // enough to outlast a stale lock
    for (let tries = 0; ; tries++) {
      const r = this.currentRole(); // (a method call: the role may have changed during the await below)
      if (r.kind === 'idle') return false; // released while we waited
      if (r.kind === 'claiming') return this.claimSettled();
      if (r.kind === 'leader' && this.stillLeading(r)) return true;
      // A viewer, or a leader that lapsed while paused: contend (a lapsed leader re-takes its own record).
      const outcome = this.attempt(force);
      this.emitIfChanged();
      if (outcome !== BUSY) {
        const role = this.role;
        this.schedule(role.kind === 'claiming' ? role.until - this.clock.now() : this.heartbeatMs);
        return role.kind === 'claiming' ? this.claimSettled() : role.kind === 'leader';
      }
      if (tries >= maxTries) return false;
      await new Promise<void>((resolve) => this.clock.setTimer(resolve, LOCK_RETRY_MS));
    }
  }

  async release(): Promise<void> {
    const was = this.role;
    this.timer?.cancel();
    this.timer = undefined;
    this.role = { kind: 'idle' };
    this.viewed = {};
    this.settleClaim(false);
    // Tell the engine first: once the file is gone another process may start executing at once.
    this.emitIfChanged();
    if (was.kind === 'idle') return;
    for (let tries = 0; tries <= Math.ceil(this.lockStaleMs / LOCK_RETRY_MS) + 10; tries++) {
      const done = this.section(() => {
        const onDisk = readLeaseFile(this.fs, this.file);
        // Unless tryAcquire was called again while we waited for the lock: then the record is wanted.
        if (onDisk?.owner.id === this.owner.id && this.role.kind === 'idle') removeLeaseFile(this.fs, this.file);
      });
      if (done !== BUSY) return;
      await new Promise<void>((resolve) => this.clock.setTimer(resolve, LOCK_RETRY_MS));
    }
    this.log('lease: could not remove the lease file on release; it expires by itself');
  }

  // ---------------------------------------------------------------------------------------------

  /** One heartbeat (leader, claimant) or poll (viewer); then the next is scheduled. */
  private tick(): void {
    this.timer = undefined;
    let next = this.heartbeatMs;
    try {
      next = this.role.kind === 'viewer' ? this.poll() : this.role.kind === 'idle' ? next : this.beat();
    } catch (e) {
      // Unexpected (the data folder vanished, permissions): a leader cannot vouch for its lease any more.
      this.log(`lease: ${(e as Error).message}`);
      if (this.role.kind === 'leader' || this.role.kind === 'claiming') this.stepDown(undefined, 'the lease file could not be checked');
    }
    this.emitIfChanged();
    if (this.role.kind !== 'idle') this.schedule(next);
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimer(() => this.tick(), Math.max(0, ms));
  }

  /** A viewer reads the file and takes the lease once it is free. Returns the delay to the next poll. */
  private poll(): number {
    const onDisk = readLeaseFile(this.fs, this.file);
    if (!onDisk) this.seen = undefined;
    else if (this.seen?.key === seenKey(onDisk)) this.seen.polls++;
    else this.seen = { key: seenKey(onDisk), polls: 1 };
    if (!this.isFree(onDisk, this.clock.now())) {
      this.view(onDisk);
      return this.heartbeatMs;
    }
    const outcome = this.attempt(false);
    // Busy while the lease is free: someone is taking it (or died inside); look again soon.
    return outcome === BUSY ? LOCK_RETRY_MS : this.heartbeatMs;
  }

  /** Renew our record if it is still ours; step down if anyone else's is there. Returns the delay to the next beat. */
  private beat(): number {
    const r = this.role;
    if (r.kind !== 'leader' && r.kind !== 'claiming') return this.heartbeatMs;
    let outcome: { lost: LeaseRecord | undefined } | { renewed: LeaseRecord } | typeof BUSY;
    try {
      outcome = this.section((now, lock) => {
        const onDisk = readLeaseFile(this.fs, this.file);
        if (onDisk?.owner.id !== this.owner.id || onDisk.token !== r.record.token) return { lost: onDisk };
        const renewed = { ...r.record, heartbeatAt: now, expiresAt: now + this.ttlMs };
        return this.write(renewed, lock) ? { renewed } : BUSY;
      });
    } catch (e) {
      this.stepDown(undefined, `the heartbeat could not be written (${(e as Error).message})`);
      return this.heartbeatMs;
    }
    const now = this.clock.now();
    if (outcome === BUSY) {
      if (now < r.record.expiresAt) return LOCK_RETRY_MS;
      this.stepDown(undefined, 'the lease expired while the lock was busy');
      return this.heartbeatMs;
    }
    if ('lost' in outcome) {
      this.stepDown(outcome.lost, outcome.lost ? `the lease was taken by ${outcome.lost.owner.label}` : 'the lease file disappeared');
      return this.heartbeatMs;
    }
    if (r.kind === 'claiming' && now < r.until) {
      this.role = { ...r, record: outcome.renewed };
      return Math.min(this.heartbeatMs, r.until - now);
    }
    this.role = { kind: 'leader', record: outcome.renewed, checkedAt: now };
    if (r.kind === 'claiming') {
      this.log('lease: took over by force');
      this.settleClaim(true);
    }
    return this.heartbeatMs;
  }

  /** One check-and-set in the critical section; sets the role from what it found. */
  private attempt(force: boolean): 'done' | typeof BUSY {
    const outcome = this.section((now, lock) => {
      const onDisk = readLeaseFile(this.fs, this.file);
      const free = this.isFree(onDisk, now);
      if (!free && !force) return { held: onDisk };
      const record: LeaseRecord = {
        owner: this.owner, token: crypto.randomUUID(), acquiredAt: now, heartbeatAt: now, expiresAt: now + this.ttlMs,
        ...(this.pidNamespace ? { pidNamespace: this.pidNamespace } : {}),
      };
      return this.write(record, lock) ? { record, from: free ? undefined : onDisk } : BUSY;
    });
    if (outcome === BUSY) return BUSY;
    const now = this.clock.now();
    if ('held' in outcome) {
      this.view(outcome.held);
    } else if (outcome.from) {
      this.log(`lease: taking over from ${outcome.from.owner.label}; leading once it has had a heartbeat to stop`);
      this.role = { kind: 'claiming', record: outcome.record, until: now + HANDOVER_BEATS * this.heartbeatMs };
    } else {
      this.role = { kind: 'leader', record: outcome.record, checkedAt: now };
    }
    return 'done';
  }

  /** Whether a contender may take the lease described by `onDisk` (read in the same breath). */
  private isFree(onDisk: LeaseRecord | undefined, now: number): boolean {
    if (!onDisk) return true; // none, or unreadable
    if (onDisk.owner.id === this.owner.id) return true; // ours from before (e.g. we stepped down after a failed write)
    if (now >= onDisk.expiresAt) return true;
    if (onDisk.owner.host === this.owner.host && onDisk.pidNamespace === this.pidNamespace && !isPidAlive(onDisk.owner.pid)) {
      return true; // its process is gone (kill -9): no need to wait for the expiry
    }
    // Unchanged for a TTL and a beat of our own timers (polls − 1 intervals since the first sighting): the
    // holder stopped renewing even though the wall clock (set back?) says the record is young. The extra
    // beat covers timers that wake early.
    const polls = Math.ceil(this.ttlMs / this.heartbeatMs) + 2;
    return this.seen?.key === seenKey(onDisk) && this.seen.polls >= polls;
  }

  /** Leading, as of now: unexpired, and — if this process was paused — still ours on disk. */
  private stillLeading(r: Extract<Role, { kind: 'leader' }>): boolean {
    const now = this.clock.now();
    if (now >= r.record.expiresAt) return false;
    if (now - r.checkedAt <= STALL_BEATS * this.heartbeatMs) return true;
    let onDisk: LeaseRecord | undefined;
    try {
      onDisk = readLeaseFile(this.fs, this.file);
    } catch {
      return false;
    }
    if (onDisk?.owner.id !== this.owner.id || onDisk.token !== r.record.token) return false;
    r.checkedAt = now; // no one took it; the overdue heartbeat will renew it
    return true;
  }

  private stepDown(onDisk: LeaseRecord | undefined, reason: string): void {
    this.log(`lease: stepped down: ${reason}`);
    this.role = { kind: 'viewer' };
    this.view(onDisk);
    this.settleClaim(false);
  }

  private view(onDisk: LeaseRecord | undefined): void {
    this.viewed = onDisk && !this.isFree(onDisk, this.clock.now())
      ? { holder: onDisk.owner, heartbeatAt: onDisk.heartbeatAt }
      : {};
  }

  private write(record: LeaseRecord, lock: HeldLock): boolean {
    return writeLeaseFile(this.fs, this.file, record, () => lock.fresh());
  }

  /** Run `fn` inside the cross-process critical section, or return BUSY when another process is in it. */
  private section<T>(fn: (now: number, lock: HeldLock) => T): T | typeof BUSY {
    this.fs.mkdirSync(this.dataDir, { recursive: true });
    const now = this.clock.now();
    const lock = tryLock(this.fs, this.lockPath, () => this.clock.now(), this.lockStaleMs);
    if (!lock) return BUSY;
    if (lock.brokeStale) this.log(`lease: removed a lock held for over ${this.lockStaleMs} ms (its holder died or stalled inside)`);
    try {
      return fn(now, lock);
    } finally {
      lock.release();
    }
  }

  private currentRole(): Role {
    return this.role;
  }

  private claimSettled(): Promise<boolean> {
    return new Promise((resolve) => this.claimWaiters.push(resolve));
  }

  private settleClaim(leader: boolean): void {
    const waiters = this.claimWaiters;
    this.claimWaiters = [];
    for (const w of waiters) w(leader);
  }

  private emitIfChanged(): void {
    const s = this.state();
    const key = `${s.leader}|${s.holder?.id ?? ''}`;
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    for (const listener of [...this.listeners]) {
      try {
        listener(s);
      } catch (e) {
        this.log(`lease: a change listener threw: ${(e as Error).message}`);
      }
    }
  }
}
