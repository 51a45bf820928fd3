// One workspace folder as a member of a cluster (or, view-only, as a window onto one): the same surface
// as WorkspaceService, so the CLI drives either. The engine is the one engine; the cluster is behind its
// seams (history.ts, claims.ts, membership.ts), fed by sync.ts and the reaper.
import { createHash } from 'crypto';
import * as fs from 'fs';
import type { Clock } from '../clock';
import type { LoadPlan, Scheduler, TaskView } from '../engine';
import type { Executor, History, LeaseOwner, LeaseState, PendingJob } from '../ports';
import type { InboxAction } from '../service/inbox';
import type { Role, ServiceEvent, WorkspaceServiceOptions } from '../service/workspaceService';
import type { WorkspacePlan } from '../workspace/plan';
import { applyStateAction, cancelInCluster, pruneActions, sendAction, takeActions } from './actions';
import { ClusterClaims } from './claims';
import { Db } from './db';
import { definitionsOf } from './definitions';
import { explain } from './errors';
import type { ClusterHost } from './host';
import { Fence } from './fence';
import { ClusterHistory } from './history';
import { LocalJournal } from './journal';
import { definingMember, MEMBER_COLUMNS, Membership, type MemberRow } from './membership';
import { applicationName, Reaper } from './reaper';
import { redact } from './redact';
import { ensureCluster, migrate, SCHEMA } from './schema';
import { Sync } from './sync';
import { ClusterEnd } from './transferEnd';
import type { HistoryEnd } from '../transfer/ends';
import { DEFAULT_TIMINGS, type ClusterTimings } from './timings';

export interface StoreSettings {
  /** The database URL, `${env:…}` already expanded. */
  url: string;
  /** The cluster's name in that database. */
  name: string;
}

export interface ClusterServiceOptions extends Omit<WorkspaceServiceOptions, 'lease' | 'readHistoryInProcess' | 'oneShot'> {
  store: StoreSettings;
  version: string;
  timings?: ClusterTimings;
  /** Most runs at once on this member (the folder's `concurrency` is the cluster's). Default: the folder's. */
  memberConcurrency?: number;
  /** The engine and what it needs, from the caller (host.ts); clusterChunk.ts fills it in. */
  host: ClusterHost;
}

export interface MemberStatus {
  id: string; label: string; host: string; pid: number; version: string; since: number; heartbeatAt: number;
  definitions: string; definitionsMatch: boolean; standby?: string; running: number; staleWritesRefused: number;
}

export interface ClusterStatus {
  cluster: string;
  database: string;
  members: MemberStatus[];
  /** Runs running now, and on which member. */
  running: Array<{ runId: string; taskId: string; member: string; startedAt?: number }>;
  pausedAll: boolean;
  staleWritesRefused: number;
}

export class ClusterService {
  readonly folder: string;
  readonly dataDir: string;
  readonly owner: LeaseOwner;
  private readonly clock: Clock;
  private readonly timings: ClusterTimings;
  private readonly host: ClusterHost;
  private readonly listeners = new Set<(e: ServiceEvent) => void>();
  private db?: Db;
  private history?: ClusterHistory;
  private fence?: Fence;
  private membership?: Membership;
  private claims?: ClusterClaims;
  private engine?: Scheduler;
  private sync?: Sync;
  private reaper?: Reaper;
  private processExecutor?: Executor;
  private poll?: NodeJS.Timeout;
  private currentPlan?: WorkspacePlan;
  private currentRole: Role = 'starting';
  private chain: Promise<unknown> = Promise.resolve();
  private beats = 0;

  constructor(private readonly options: ClusterServiceOptions) {
    this.folder = options.folder;
    this.host = options.host;
    this.dataDir = options.dataDir ?? this.host.workspaceDataDir(options.folder);
    this.clock = options.clock ?? this.host.systemClock;
    this.timings = options.timings ?? DEFAULT_TIMINGS;
    this.owner = this.host.leaseOwner(options.ownerLabel);
  }

  get role(): Role { return this.currentRole; }
  get plan(): WorkspacePlan | undefined { return this.currentPlan; }
  get holder(): LeaseOwner | undefined { return this.membership?.state().holder; }
  get scheduler(): Scheduler | undefined { return this.currentRole === 'executor' ? this.engine : undefined; }
  get cluster(): string { return this.options.store.name; }
  /** Writes refused because this member's token was superseded (frozen past its lease). */
  get staleWritesRefused(): number { return this.fence?.refused ?? 0; }

  onEvent(listener: (e: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connects, checks and migrates the schema (a clear error, nothing changed, when it cannot), then joins. */
  async start(): Promise<void> {
    const { store } = this.options;
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.currentPlan = await this.makePlan();
    this.emit({ type: 'plan-loaded', plan: this.currentPlan });
    const db = this.db = new Db({ url: store.url, cluster: store.name, applicationName: applicationName(this.owner.id), log: (l, m) => this.log(l, m) });
    try {
      await db.check();
      await migrate(db);
      await ensureCluster(db, store.name);
    } catch (e) {
      await db.close();
      this.db = undefined;
      throw explain(e, store.url);
    }
    const fence = this.fence = new Fence((m) => this.log('warn', m));
    this.history = new ClusterHistory({ db, cluster: store.name, member: this.owner.id, fence, journal: new LocalJournal(this.dataDir), log: (l, m) => this.log(l, m) });
    if (this.options.viewOnly) { this.setRole('viewer'); return; }
    // What this folder's member kept locally before it died (a viewer leaves the file to the member).
    void this.history.replay().catch(() => undefined);

    this.claims = new ClusterClaims({
      db, cluster: store.name, member: this.owner.id, fence,
      concurrency: () => this.currentPlan?.settings.concurrency ?? 1,
      memberLimit: () => (this.currentPlan ? this.loadPlan(this.currentPlan).settings.concurrency : 1),
      pollMs: this.timings.pollMs,
      rank: (key) => rendezvousRank(key, this.owner.id, (this.membership?.members ?? []).filter((m) => !m.standby).map((m) => m.id)),
      active: () => this.membership?.state().leader ?? false,
      cancelElsewhere: (member, runId) => { void sendAction(db, store.name, this.owner.label, { action: 'cancel', id: runId }, member).catch(() => undefined); },
      log: (l, m) => this.log(l, m),
    });
    const membership = this.membership = new Membership({
      db, cluster: store.name, owner: this.owner, version: this.options.version, timings: this.timings, log: (l, m) => this.log(l, m),
      figures: () => ({ running: this.engine?.snapshot().reduce((n, t) => n + t.running.length, 0) ?? 0, staleWrites: fence.refused }),
      afterBeat: (_members, active) => this.afterBeat(active),
    });
    membership.setDefinitions(this.definitions(this.currentPlan));
    membership.onChange((s) => { void this.serial(() => this.follow(s)); });
    db.onNotice((n) => {
      if (n === 'members') membership.kick();
      if (n === 'action') this.takeActions();
      if (n === 'state' || n === 'pending') void this.sync?.run().catch(() => undefined);
      if (n === 'ended' || n === 'pending') this.claims?.wake();
    });
    db.onUp(() => {
      void this.history?.replay().catch(() => undefined);
      membership.kick();
      this.claims?.wake();
    });
    await membership.tryAcquire();
    await this.serial(() => this.follow(membership.state()));
    this.every();
  }

  reload(): Promise<void> {
    return this.serial(async () => {
      if (this.currentRole === 'stopped') return;
      this.currentPlan = await this.makePlan();
      this.emit({ type: 'plan-loaded', plan: this.currentPlan });
      this.membership?.setDefinitions(this.definitions(this.currentPlan));
      await this.engine?.load(this.loadPlan(this.currentPlan));
    });
  }

  async stop(): Promise<void> {
    clearTimeout(this.poll);
    this.poll = undefined;
    await this.membership?.leave();
    await this.serial(async () => {
      await this.leaveRole();
      this.setRole('stopped');
    });
    await this.membership?.release();
    await this.history?.flush().catch(() => undefined);
    await this.history?.close();
    await this.db?.close();
  }

  // ---- what the views read -----------------------------------------------------------------

  async tasks(filter: { tag?: string } = {}): Promise<TaskView[]> {
    if (this.currentRole === 'executor' && this.engine) return this.engine.snapshot(filter);
    // A viewer's engine is never started: history (the cluster's tables) is the truth.
    const viewer = new this.host.Scheduler({ clock: this.clock, history: readOnly(this.queries() as ClusterHistory), executors: [], executorId: this.owner.id });
    await viewer.load(this.loadPlan(this.currentPlan!));
    const [cl] = await this.db!.query<{ paused_all: boolean }>(`SELECT paused_all FROM ${SCHEMA}.clusters WHERE name = $1`, [this.cluster]);
    if (cl?.paused_all) viewer.pauseAll();
    return viewer.snapshot(filter);
  }

  queries(): Pick<History, 'runs' | 'getRun' | 'lastErrors' | 'health' | 'taskStates' | 'pending'> {
    if (!this.history) throw new Error('the cluster is not connected');
    return this.history;
  }

  /** This cluster as one end of a history move (`history export` / `import`, ../transfer). */
  historyEnd(): HistoryEnd {
    if (!this.db) throw new Error('the cluster is not connected');
    return new ClusterEnd(this.db, this.cluster, this.timings.ttlMs);
  }

  /** Members, who runs what, and the fencing count: `status` from any machine. */
  async status(): Promise<ClusterStatus> {
    const db = this.db!;
    const members = await db.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM ${SCHEMA}.members WHERE cluster = $1 ORDER BY since, id`, [this.cluster]);
    const running = await db.query<{ id: string; task_id: string; member: string; started_at: number | null }>(
      `SELECT id, task_id, member, started_at FROM ${SCHEMA}.runs WHERE cluster = $1 AND status = 'running' ORDER BY started_at`, [this.cluster]);
    const [cl] = await db.query<{ paused_all: boolean }>(`SELECT paused_all FROM ${SCHEMA}.clusters WHERE name = $1`, [this.cluster]);
    const defining = definingMember(members)?.definitions;
    const label = new Map(members.map((m) => [m.id, m.label]));
    return {
      cluster: this.cluster, database: db.where, pausedAll: !!cl?.paused_all,
      members: members.map((m) => ({
        id: m.id, label: m.label, host: m.host, pid: m.pid, version: m.version, since: Math.round(m.since), heartbeatAt: Math.round(m.heartbeat_at),
        definitions: m.definitions, definitionsMatch: m.definitions === defining, standby: m.standby ?? undefined, running: m.running,
        staleWritesRefused: m.stale_writes,
      })),
      running: running.map((r) => ({ runId: r.id, taskId: r.task_id, member: label.get(r.member) ?? r.member, startedAt: r.started_at ?? undefined })),
      staleWritesRefused: members.reduce((n, m) => n + m.stale_writes, 0),
    };
  }

  // ---- actions -----------------------------------------------------------------------------------

  async act(a: InboxAction): Promise<unknown> {
    const db = this.db;
    if (!db) throw new Error('the cluster is not connected');
    if (await applyStateAction(db, this.cluster, a)) return undefined;
    if (a.action === 'cancel') return cancelInCluster(db, this.cluster, this.owner.label, a.id);
    if (this.currentRole === 'executor' && this.engine) return this.apply(this.engine, a);
    return sendAction(db, this.cluster, this.owner.label, a);
  }

  private apply(engine: Scheduler, a: InboxAction): unknown {
    switch (a.action) {
      case 'cleanup': return this.history!.cleanup({ now: this.clock.now(), olderThanMs: a.olderThanDays * 86_400_000 });
      case 'runNow': return engine.runNow(a.taskId, a.params);
      case 'cancel': return engine.cancel(a.id);
      case 'resetSchedule': return engine.resetSchedule(a.taskId, { dryRun: a.dryRun });
      case 'enqueue': return engine.enqueue(a.taskId, a.params, { delay: a.delay });
      default: throw new Error(`${a.action} is written to the cluster's tables, not sent`);
    }
  }

  private takeActions(): void {
    const engine = this.engine;
    if (!this.db || !engine || this.currentRole !== 'executor') return;
    void takeActions(this.db, this.cluster, this.owner.id, (a) => this.apply(engine, a)).catch(() => undefined);
  }

  // ---- roles ---------------------------------------------------------------------------------------

  private async follow(state: LeaseState): Promise<void> {
    if (this.currentRole === 'stopped') return;
    if (state.leader && this.currentRole !== 'executor') {
      await this.leaveRole();
      await this.becomeExecutor();
    } else if (!state.leader && this.currentRole !== 'viewer') {
      await this.leaveRole();
      this.setRole('viewer');
    }
  }

  private async becomeExecutor(): Promise<void> {
    const runtime = this.options.runtime;
    const history = this.history!;
    this.processExecutor = this.host.createProcessExecutor({
      runnerPath: runtime.runnerPath, nodePath: runtime.execPath, workspaceFolder: this.folder,
      warmSpare: this.options.warmSpare ?? true, clock: this.clock, log: (m: string) => this.log('debug', `runner: ${m}`),
    });
    const engine = new this.host.Scheduler({
      clock: this.clock, history, executors: [this.processExecutor, ...(this.options.executors ?? [])], claims: this.claims,
      executorId: this.owner.id, log: this.options.log, secrets: this.options.secrets,
    });
    engine.onEvent((e) => {
      // Written back only when it did not come from the table (sync.ts): an echo could undo a later change.
      if (e.type === 'pause-all-changed' && e.paused !== this.sync?.pausedAll) {
        void this.db?.query(`UPDATE ${SCHEMA}.clusters SET paused_all = $2 WHERE name = $1 AND paused_all <> $2`, [this.cluster, e.paused]).catch(() => undefined);
      }
      this.emit(e);
    });
    this.engine = engine;
    await engine.load(this.loadPlan(this.currentPlan!));
    this.sync = new Sync(this.db!, this.cluster, engine, history);
    await this.sync.run().catch((e) => this.log('warn', `reading the cluster's state failed: ${redact((e as Error).message)}`));
    await engine.start();
    this.reaper = new Reaper({
      db: this.db!, cluster: this.cluster, member: this.owner.id, fence: this.fence!, timings: this.timings,
      recover: (runs, reason) => {
        // The retries the policy schedules for them, as the engine announces them (synchronously).
        const retries: PendingJob[] = [];
        const off = engine.onEvent((e) => { if (e.type === 'retry-scheduled') retries.push(e.job); });
        try { engine.recover(runs, reason); } finally { off(); }
        return retries;
      },
      log: (l, m) => this.log(l, m),
    });
    this.setRole('executor');
    this.takeActions();
  }

  private async leaveRole(): Promise<void> {
    const { engine, processExecutor } = this;
    this.engine = this.sync = this.reaper = this.processExecutor = undefined;
    await engine?.stop({ graceful: false });
    await processExecutor?.dispose();
  }

  private async afterBeat(active: boolean): Promise<void> {
    if (!active || this.currentRole !== 'executor' || !this.reaper) return;
    await this.reaper.sweep().catch((e) => this.log('warn', `looking for dead members failed: ${redact((e as Error).message)}`));
    if (++this.beats % 600 === 0) await pruneActions(this.db!, this.cluster).catch(() => undefined);
  }

  /** The fallback for lost notifications: state, jobs, actions and parked claims at least every poll. */
  private every(): void {
    this.poll = setTimeout(() => {
      if (this.currentRole === 'executor') {
        void this.sync?.run().catch(() => undefined);
        this.takeActions();
        this.claims?.wake();
      }
      this.every();
    }, this.timings.pollMs);
    this.poll.unref?.();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private makePlan(): Promise<WorkspacePlan> {
    const { planWorkspace, taskFileLoader } = this.host;
    return planWorkspace(this.folder, taskFileLoader(this.folder, this.options.runtime, this.options.cacheDir, this.options.esbuild));
  }

  private definitions(plan: WorkspacePlan) {
    return definitionsOf(this.loadPlan(plan), this.host.portableDefinition);
  }

  /** The engine's own limit is this member's; the folder's `concurrency` is the cluster's (claims.ts). */
  private loadPlan(plan: WorkspacePlan): LoadPlan {
    const concurrency = Math.min(plan.settings.concurrency, this.options.memberConcurrency ?? plan.settings.concurrency);
    return { tasks: plan.tasks, invalid: plan.invalid, settings: { ...plan.settings, concurrency, tags: this.options.tags } };
  }

  private setRole(role: Role): void {
    this.currentRole = role;
    this.emit({ type: 'role-changed', role, holder: this.membership?.state().holder });
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, `cluster ${this.cluster}: ${redact(message)}`);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private emit(event: ServiceEvent): void {
    for (const l of [...this.listeners]) {
      try { l(event); } catch { /* a listener's bug must not stop the service */ }
    }
  }
}

/** The cluster's history with every write dropped: what a viewer's engine reads. */
function readOnly(h: ClusterHistory): History {
  const ignore = async (): Promise<void> => undefined;
  return {
    open: () => h.open(), taskStates: () => h.taskStates(), getRun: (id) => h.getRun(id), runs: (q) => h.runs(q),
    lastErrors: (t, l) => h.lastErrors(t, l), health: (w, n) => h.health(w, n), pending: () => h.pending(),
    abandoned: async () => [], markInterrupted: async () => [], syncTasks: ignore, saveTaskState: ignore, putRun: ignore,
    putPending: ignore, deletePending: ignore, cleanup: async () => ({ deleted: 0 }), flush: ignore, close: ignore,
  };
}

/** Where `me` comes for `key` among `members`, each scored by a hash of key and member (rendezvous hashing). */
export function rendezvousRank(key: string, me: string, members: string[]): number {
  const score = (id: string) => createHash('sha1').update(`${key}|${id}`).digest().readUInt32BE(0);
  const mine = score(me);
  return members.filter((id) => id !== me && score(id) > mine).length;
}
