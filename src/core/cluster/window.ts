// A folder whose config names a store, as a VS Code window shows it: the cluster's tasks, runs and members,
// live (watch.ts, over the window's one connection to that database), its actions sent to the cluster,
// and — only when the person asks (Join Cluster) — this window as one more member, with the same claims,
// fencing and failover as `task-scheduler run` (a ClusterService of its own). No `vscode` here: the
// extension adapts this to its views (src/extension/services.ts).
import type { Clock } from '../clock';
import { type StoreConfig } from '../config/types';
import type { LogLevel, Scheduler, TaskView } from '../engine';
import type { History, LeaseOwner } from '../ports';
import type { InboxAction } from '../service/inbox';
import type { Role, ServiceEvent } from '../service/workspaceService';
import type { WorkspacePlan } from '../workspace/plan';
import { applyStateAction, cancelInCluster, sendActionFor } from './actions';
import type { LinkState, SharedConnection } from './connection';
import { CredentialsProblem, resolveWindowUrl } from './credentials';
import { Db } from './db';
import { explain, isUnavailable } from './errors';
import { Fence } from './fence';
import { ClusterHistory } from './history';
import { LocalJournal } from './journal';
import { applicationName } from './reaper';
import { describeUrl, redact } from './redact';
import { checkSchema } from './schema';
import { ClusterService } from './service';
import { LIGHT_RUN } from './snapshot';
import { DEFAULT_TIMINGS, type ClusterTimings } from './timings';
import { ClusterWatch } from './watch';
import type { ClusterInfo, ClusterStatus, ClusterWindowOptions } from './windowTypes';
import { WindowViews } from './windowViews';

export type { ClusterInfo, ClusterStatus, ClusterWindowOptions } from './windowTypes';

interface Link { url: string; connection: SharedConnection; db: Db; offState: () => void }

export class ClusterWindow {
  readonly kind = 'cluster' as const;
  readonly folder: string;
  readonly dataDir: string;
  readonly owner: LeaseOwner;
  private readonly clock: Clock;
  private readonly timings: ClusterTimings;
  private readonly listeners = new Set<(e: ServiceEvent) => void>();
  private currentPlan?: WorkspacePlan;
  private stopped = false;
  private link?: Link;
  private history?: ClusterHistory;
  private watch?: ClusterWatch;
  private offWatch?: () => void;
  private member?: ClusterService;
  private joining?: Promise<void>;
  private status: ClusterStatus = 'connecting';
  private problem?: string;
  private need?: ClusterInfo['need'];
  private readonly views: WindowViews;
  private opening?: Promise<void>;
  /** Connected, but no member has made the cluster's tables yet. */
  private absent = false;

  constructor(private readonly o: ClusterWindowOptions) {
    this.folder = o.folder;
    this.dataDir = o.dataDir;
    this.clock = o.clock ?? o.host.systemClock;
    this.timings = o.timings ?? DEFAULT_TIMINGS;
    this.owner = o.host.leaseOwner(o.ownerLabel);
    this.views = new WindowViews({
      host: o.host, clock: this.clock, ownerId: this.owner.id, snapshot: () => this.watch?.snapshot, history: () => this.queries(), emit: (e) => this.emit(e),
    });
  }

  get role(): Role {
    if (this.stopped) return 'stopped';
    if (!this.currentPlan) return 'starting';
    return this.member?.role === 'executor' ? 'executor' : 'viewer';
  }
  get plan(): WorkspacePlan | undefined { return this.currentPlan; }
  /** Nobody holds a cluster folder: its members (info().members) run it. */
  get holder(): LeaseOwner | undefined { return undefined; }
  get scheduler(): Scheduler | undefined { return this.member?.scheduler; }
  get store(): StoreConfig | undefined { return this.currentPlan?.config.store; }

  onEvent(listener: (e: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Plans the folder (its tasks show at once), then connects; a failure to connect is shown, not thrown. */
  async start(): Promise<void> {
    await this.replan();
    await this.connect();
  }

  /** The files changed: plan again, reconnect when the store changed or could not be used, follow in the member. */
  async reload(): Promise<void> {
    if (this.stopped) return;
    const before = this.store;
    await this.replan();
    const after = this.store;
    if (before?.url !== after?.url || before?.name !== after?.name || before?.invalid !== after?.invalid) {
      await this.leave();
      await this.disconnect();
      await this.connect();
    } else if (this.status === 'failed' || this.status === 'down') {
      await this.reconnect();
    }
    await this.member?.reload();
  }

  /** Try again now (a password was set, the database was created). */
  async reconnect(): Promise<void> {
    if (this.stopped) return;
    if (!this.link) return this.connect();
    // The URL may come out differently now (a secret was stored): connect afresh.
    await this.disconnect();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.leave();
    await this.disconnect();
    this.emit({ type: 'role-changed', role: 'stopped' });
  }

  /** A cluster folder is never taken over: its members run it (Join Cluster makes this window one). */
  takeOver(): Promise<boolean> {
    return Promise.resolve(false);
  }

  // ---- what the views read -----------------------------------------------------------------------

  async tasks(filter: { tag?: string } = {}): Promise<TaskView[]> {
    return this.views.tasks(filter.tag);
  }

  /** The cluster's history; lists come without output and result (a run's are read when it is opened: getRun). */
  queries(): Pick<History, 'runs' | 'getRun' | 'lastErrors' | 'health' | 'taskStates' | 'pending'> {
    const h = this.history;
    if (!h || this.status !== 'up') throw new Error(this.problem ?? `not connected to the cluster "${this.clusterName}"`);
    return {
      runs: (q) => h.runs(q, LIGHT_RUN), getRun: (id) => h.getRun(id), health: (w, n) => h.health(w, n),
      lastErrors: (taskId, limit = 5) => h.runs({ taskId, limit, statuses: ['failed', 'timed-out', 'interrupted'] }, LIGHT_RUN),
      taskStates: () => h.taskStates(), pending: () => h.pending(),
    };
  }

  info(): ClusterInfo {
    const snapshot = this.watch?.snapshot;
    const link = this.link?.connection.state;
    const info: ClusterInfo = {
      cluster: this.clusterName, status: this.status, members: this.watch?.members ?? [], pausedAll: !!snapshot?.pausedAll,
      joined: !!this.member, differing: this.views.differing(this.currentPlan),
    };
    if (this.link) info.database = describeUrl(this.link.url);
    if (this.problem) info.problem = this.problem;
    if (this.need) info.need = this.need;
    if (this.status === 'down' && link?.retryAt) info.retryAt = link.retryAt;
    if (this.member) { info.memberRole = this.member.role; info.memberId = this.member.owner.id; }
    return info;
  }

  /** While the returned function is not called, the members' heartbeats are kept fresh (the Members panel is shown). */
  watchMembers(): () => void {
    // The watch is made anew on each (re)connection: follow it.
    let watched = this.watch;
    let off = watched?.watchMembers();
    const sub = this.onEvent((e) => {
      if (e.type !== 'cluster-changed' || this.watch === watched) return;
      off?.();
      watched = this.watch;
      off = watched?.watchMembers();
    });
    return () => { sub(); off?.(); };
  }

  // ---- actions -----------------------------------------------------------------------------------

  async act(a: InboxAction): Promise<unknown> {
    return (await this.dispatch(a)).result;
  }

  /** Sends an action to the cluster; says which member took it (where a run went). */
  async dispatch(a: InboxAction): Promise<{ result: unknown; member?: { id: string; label: string; host?: string; pid?: number } }> {
    const db = this.link?.db;
    if (!db || this.status !== 'up' || !this.history) throw new Error(this.problem ?? `not connected to the cluster "${this.clusterName}"`);
    let out: { result: unknown; member?: { id: string; label: string; host?: string; pid?: number } };
    if (await applyStateAction(db, this.clusterName, a)) out = { result: undefined };
    else if (a.action === 'cancel') out = { result: await cancelInCluster(db, this.clusterName, this.owner.label, a.id) };
    // A dry run needs no member: the window's engine has the cluster's last slots (Reset Schedules asks for every task).
    else if (a.action === 'resetSchedule' && a.dryRun) return { result: this.views.previewReset(a.taskId) };
    else if (a.action === 'cleanup') {
      // Deleting rows needs no member (and works while none runs); the members re-read their last runs.
      out = { result: await this.history.cleanup({ now: this.clock.now(), olderThanMs: a.olderThanDays * 86_400_000 }) };
      db.notify('ended');
    } else {
      const { result, takenBy } = await sendActionFor(db, this.clusterName, this.owner.label, a);
      out = { result, member: takenBy ? this.memberNamed(takenBy) : undefined };
    }
    await this.watch?.refresh().catch(() => undefined);
    return out;
  }

  /** Makes this window a member for this session (claims, fencing and failover as any member). */
  join(): Promise<void> {
    this.joining ??= this.doJoin().finally(() => { this.joining = undefined; });
    return this.joining;
  }

  /** Leaves the cluster cleanly: its row and lock go at once, its running runs are cancelled and recorded. */
  async leave(): Promise<void> {
    await this.joining?.catch(() => undefined);
    const member = this.member;
    if (!member) return;
    this.member = undefined;
    await member.stop().catch((e) => this.log('warn', `leaving the cluster: ${redact((e as Error).message)}`));
    this.log('info', 'left the cluster: this window only watches it now');
    this.changed();
    await this.watch?.refresh().catch(() => undefined);
  }

  // ---- connection --------------------------------------------------------------------------------

  private get clusterName(): string {
    return this.store?.name ?? 'default';
  }

  private async doJoin(): Promise<void> {
    if (this.member || this.stopped) return;
    const link = this.link;
    if (!link || this.status !== 'up') throw new Error(this.problem ?? `not connected to the cluster "${this.clusterName}"`);
    const member = new ClusterService({
      host: this.o.host, folder: this.folder, runtime: this.o.runtime, ownerLabel: this.o.ownerLabel, dataDir: this.dataDir, cacheDir: this.o.cacheDir,
      esbuild: this.o.esbuild, executors: this.o.executors, secrets: this.o.secrets, clock: this.o.clock,
      log: (level, message) => this.log(level, `member: ${message}`),
      store: { url: link.url, name: this.clusterName }, version: this.o.version, timings: this.timings,
    });
    member.onEvent((e) => {
      if (e.type === 'role-changed') this.changed();
      else if (e.type === 'error') this.emit(e);
    });
    await member.start();
    if (this.stopped) { await member.stop(); return; }
    this.member = member;
    this.log('info', `joined the cluster "${this.clusterName}" as ${member.owner.id}: this window ${member.role === 'executor' ? 'runs its tasks too' : 'stands by (its task files differ from the cluster\'s)'}`);
    this.changed();
    await this.watch?.refresh().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const store = this.store;
    this.setStatus('connecting');
    if (!store) return this.fail('no store in .scheduler.yaml');
    if (store.invalid) return this.fail(`${store.invalid}; fix it, and the folder connects`);
    let url: string;
    try {
      url = await resolveWindowUrl(store.url, this.o.credentials);
    } catch (e) {
      if (!(e instanceof CredentialsProblem)) throw e;
      const hint = e.need.kind === 'env'
        ? `: start VS Code from a shell where it is set, or keep the URL in VS Code's secret storage with "Task Scheduler: Set Database Password…"`
        : '';
      return this.fail(`${e.message}${hint}`, e.need);
    }
    const connection = this.o.connections.acquire(url);
    const db = new Db({ url, cluster: store.name, applicationName: applicationName(this.owner.id), log: (l, m) => this.log(l === 'error' ? 'warn' : l, m), shared: connection });
    const offState = connection.onState((s) => this.onLink(s));
    this.link = { url, connection, db, offState };
    await this.open();
  }

  /** Once the connection is up: the tables' version, the history, the watch, the first read. */
  private open(): Promise<void> {
    this.opening ??= this.doOpen().finally(() => { this.opening = undefined; });
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    const link = this.link;
    if (!link || this.stopped) return;
    try {
      await link.connection.ready();
      const schema = await checkSchema(link.db);
      if (this.link !== link) return;
      this.history ??= new ClusterHistory({
        db: link.db, cluster: this.clusterName, member: this.owner.id, fence: new Fence((m) => this.log('warn', m)),
        journal: new LocalJournal(this.dataDir), log: (l, m) => this.log(l, m),
      });
      if (!this.watch) {
        this.watch = new ClusterWatch({ db: link.db, cluster: this.clusterName, lateMs: this.timings.ttlMs, pollMs: this.o.pollMs, log: (l, m) => this.log(l, m) });
        this.offWatch = this.watch.onChange((what) => {
          if (what !== 'snapshot') return this.changed();
          // The first member made the tables: no more "no member yet".
          if (this.absent) { this.absent = false; this.problem = undefined; this.changed(); }
          void this.rebuild();
        });
        this.views.since ||= Date.now();
      }
      this.status = 'up';
      this.absent = schema === 'absent';
      this.problem = schema === 'absent'
        ? `no member has joined the cluster "${this.clusterName}" yet: start \`task-scheduler run\` on a server (or Join Cluster here); this window shows it as soon as one does`
        : undefined;
      this.need = undefined;
      if (schema === 'current') await this.watch.refresh();
      else await this.rebuild();
      this.log('info', `watching the cluster "${this.clusterName}" at ${describeUrl(link.url)}`);
    } catch (e) {
      if (this.link !== link) return;
      if (isUnavailable(e)) return this.down(link.connection.state);
      const error = explain(e, link.url);
      const code = (e as { code?: string }).code ?? link.connection.state.code;
      // pg says "client password must be a string" when the server asks for a password and none was given.
      const missing = /password must be a string|no password supplied/i.test((e as Error).message ?? '');
      const refused = missing || code === '28P01' || code === '28000';
      const what = missing ? `PostgreSQL at ${describeUrl(link.url)} asks for a password and none was given`
        : error.message.replace(/ \(check the user and password in the database URL\)$/, '');
      this.fail(refused ? `${what}: set it with "Task Scheduler: Set Database Password…" (kept in VS Code's secret storage, never in a file)` : error.message,
        refused ? { kind: 'password', database: describeUrl(link.url) } : undefined);
    }
    this.changed();
  }

  private onLink(s: LinkState): void {
    if (this.stopped) return;
    if (s.status === 'up' && this.status !== 'up' && this.status !== 'failed') void this.open();
    else if (s.status === 'down' && this.status === 'up') this.down(s);
    else if (s.status === 'down' && this.status === 'down') this.changed(); // the next attempt's time moved
  }

  private down(s: LinkState): void {
    this.status = 'down';
    this.problem = `cannot reach PostgreSQL at ${this.link ? describeUrl(this.link.url) : 'the store'}: ${s.error ?? 'unreachable'}. Reconnecting with back-off; the rest of Task Scheduler keeps working`;
    this.changed();
  }

  private fail(problem: string, need?: ClusterInfo['need']): void {
    this.status = 'failed';
    this.problem = problem;
    this.need = need;
    this.log('warn', problem);
    this.changed();
  }

  private setStatus(status: ClusterStatus): void {
    this.status = status;
    this.problem = undefined;
    this.need = undefined;
  }

  private async disconnect(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.offWatch?.();
    this.watch?.stop();
    this.watch = this.offWatch = undefined;
    this.history = undefined;
    if (!link) return;
    link.offState();
    await link.db.close();
    await this.o.connections.release(link.connection);
  }

  // ---- views -------------------------------------------------------------------------------------

  private async replan(): Promise<void> {
    const { planWorkspace, taskFileLoader } = this.o.host;
    this.currentPlan = await planWorkspace(this.folder, taskFileLoader(this.folder, this.o.runtime, this.o.cacheDir, this.o.esbuild));
    this.emit({ type: 'plan-loaded', plan: this.currentPlan });
    await this.rebuild();
  }

  private rebuild(): Promise<void> {
    return this.stopped ? Promise.resolve() : this.views.rebuild(this.currentPlan);
  }

  private memberNamed(id: string): { id: string; label: string; host?: string; pid?: number } {
    const known = this.watch?.members.find((m) => m.id === id);
    if (known) return { id, label: known.label, host: known.host, pid: known.pid };
    const parts = this.o.host.parseOwnerId(id);
    return { id, label: parts ? `${parts.host} (pid ${parts.pid})` : id, ...parts };
  }

  private changed(): void {
    this.emit({ type: 'cluster-changed' });
  }

  private log(level: LogLevel, message: string): void {
    this.o.log?.(level, `cluster ${this.clusterName}: ${redact(message)}`);
  }

  private emit(event: ServiceEvent): void {
    for (const l of [...this.listeners]) {
      try { l(event); } catch { /* a listener's bug must not stop the window */ }
    }
  }
}
