// One workspace folder, end to end: its plan (config + task files), the executor lease, the history,
// the executors and the engine. Exactly one process per workspace holds the lease and executes; every
// other one (a second window, the CLI) is a viewer that reads the same history and forwards actions to
// the executor through the inbox. The extension and `task-scheduler run` both drive this class.
import * as fs from 'fs';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { Scheduler, type EngineEvent, type LoadPlan, type LogLevel, type TaskView } from '../engine';
import { createProcessExecutor } from '../exec/processExecutor';
import * as path from 'path';
import { createLease, leaseOwner, readLeaseFile, LEASE_FILE, type LeaseOptions } from '../lease';
import { workspaceDataDir } from '../paths';
import type { Executor, History, Lease, LeaseOwner, LeaseState, OpenReport, RunRecord } from '../ports';
import { createHistory, openHistoryReadOnly, type HistoryReader } from '../store';
import { planWorkspace, type WorkspacePlan } from '../workspace/plan';
import type { EsbuildApi } from '../tasks/compile';
import { taskFileLoader, type Runtime } from '../workspace/runtime';
import { drainInbox, sendRequest, type InboxAction } from './inbox';
import { leaderOnly, leaderOnlyHistory } from './leaderOnly';
import { readOnlyHistory } from './readOnlyHistory';
import { readWorkspaceState, writeWorkspaceState } from './workspaceState';

/** How often the executor looks for requests from viewers: a click in another window feels immediate. */
const INBOX_POLL_MS = 500;
/** How often a viewer re-reads the executor's history: fresh enough for a tree, cheap (journal tail only). */
const VIEWER_REFRESH_MS = 2_000;
/** A viewer's action waits this long for the executor to answer (it polls every INBOX_POLL_MS). */
const FORWARD_TIMEOUT_MS = 10_000;

export type Role = 'starting' | 'executor' | 'viewer' | 'stopped';

export type ServiceEvent =
  | EngineEvent
  | { type: 'role-changed'; role: Role; holder?: LeaseOwner }
  | { type: 'plan-loaded'; plan: WorkspacePlan }
  | { type: 'history-opened'; report: OpenReport }
  | { type: 'history-changed' }
  /** A cluster folder's connection, members or membership changed (src/core/cluster/window.ts). */
  | { type: 'cluster-changed' }
  | { type: 'error'; message: string };

export interface WorkspaceServiceOptions {
  folder: string;
  runtime: Runtime;
  /** For people, in the lease: "VS Code window", "task-scheduler run". */
  ownerLabel: string;
  clock?: Clock;
  /** Default: the per-workspace folder of paths.ts. */
  dataDir?: string;
  /** Where compiled task files are cached. */
  cacheDir?: string;
  /** The esbuild that compiles task files, when the host finds it at run time (default: `require('esbuild')`). */
  esbuild?: EsbuildApi;
  /** Executors for the kinds the process executor does not run (VS Code commands and tasks). */
  executors?: Executor[];
  /** Keep a started runner ready so a due run does not pay Node's start. Default true. */
  warmSpare?: boolean;
  /** Only tasks with one of these tags run on their own. */
  tags?: string[];
  secrets?: (taskId: string) => Record<string, string>;
  log?: (level: LogLevel, message: string) => void;
  /** Lease timings, for tests. */
  lease?: Pick<LeaseOptions, 'heartbeatMs' | 'ttlMs' | 'lockStaleMs'>;
  /** Become a viewer even when nobody executes (read-only commands). */
  viewOnly?: boolean;
  /**
   * A viewer reads the history on this thread instead of a worker. For short-lived CLI commands: simpler
   * and faster, and it spares them a worker teardown at exit, where Node 20 can abort the process
   * (`NodePlatform::ForIsolate … data.first != nullptr`, a race with a background compile job for the
   * worker's isolate). The extension keeps the worker: loading a large history must not block its host.
   */
  readHistoryInProcess?: boolean;
  /**
   * A short-lived command (`run-now`, `pause`): when it ends up executing, it runs only what it is asked
   * to (and that run's dependents) — no slots, catch-up or retries of other tasks, which stay for the
   * real executor.
   */
  oneShot?: boolean;
}

export class WorkspaceService {
  /** One executor with its embedded history (a cluster folder's service says 'cluster'). */
  readonly kind = 'local' as const;
  readonly folder: string;
  readonly dataDir: string;
  readonly owner: LeaseOwner;
  private readonly clock: Clock;
  private readonly listeners = new Set<(e: ServiceEvent) => void>();
  private lease?: Lease;
  private engine?: Scheduler;
  private history?: History;
  private reader?: HistoryReader;
  /** Why the history could not be opened (a file from a newer version), told to whoever asks it something. */
  private historyProblem?: string;
  private processExecutor?: Executor;
  private poll?: TimerHandle;
  private currentPlan?: WorkspacePlan;
  private currentRole: Role = 'starting';
  /** The holder last announced in a role-changed event, so a heartbeat does not repeat it. */
  private announcedHolder?: string;
  /** Role changes and reloads run one at a time, in order. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WorkspaceServiceOptions) {
    this.folder = options.folder;
    this.dataDir = options.dataDir ?? workspaceDataDir(options.folder);
    this.clock = options.clock ?? systemClock;
    this.owner = leaseOwner(options.ownerLabel);
  }

  get role(): Role { return this.currentRole; }
  get plan(): WorkspacePlan | undefined { return this.currentPlan; }
  get holder(): LeaseOwner | undefined {
    if (this.lease) return this.lease.state().holder;
    // A view-only service holds no lease object: read who holds the file, if it is still live.
    const record = readLeaseFile(fs, path.join(this.dataDir, LEASE_FILE));
    return record && record.expiresAt > this.clock.now() ? record.owner : undefined;
  }
  /** The running engine, when this process executes. */
  get scheduler(): Scheduler | undefined { return this.currentRole === 'executor' ? this.engine : undefined; }

  onEvent(listener: (e: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.currentPlan = await this.makePlan();
    this.emit({ type: 'plan-loaded', plan: this.currentPlan });
    if (this.options.viewOnly || this.onCluster(this.currentPlan)) return this.serial(() => this.becomeViewer());
    this.lease = createLease({ dataDir: this.dataDir, owner: this.owner, clock: this.clock, ...this.options.lease,
      log: (m: string) => this.options.log?.('debug', `lease: ${m}`) } as LeaseOptions);
    this.lease.onChange((s) => { void this.serial(() => this.follow(s)); });
    await this.lease.tryAcquire();
    await this.serial(() => this.follow(this.lease!.state()));
  }

  /** Re-reads config and task files and applies them without dropping running runs. */
  reload(): Promise<void> {
    return this.serial(async () => {
      if (this.currentRole === 'stopped') return;
      this.currentPlan = await this.makePlan();
      this.emit({ type: 'plan-loaded', plan: this.currentPlan });
      if (this.currentRole === 'executor' && this.onCluster(this.currentPlan)) {
        await this.lease?.release();
        this.lease = undefined;
        await this.leaveRole();
        return this.becomeViewer();
      }
      await this.engine?.load(this.loadPlan(this.currentPlan));
    });
  }

  /**
   * A folder whose config names a store runs on its cluster's members (src/core/cluster): executing it
   * here with the local lease would run its tasks a second time. This service only shows it.
   */
  private onCluster(plan: WorkspacePlan): boolean {
    const store = plan.config.store;
    if (!store) return false;
    this.emit({ type: 'error', message: `this folder runs on the cluster "${store.name}" (store: in .scheduler.yaml): its tasks are executed by the cluster's members (\`task-scheduler run\` on servers), never here; \`task-scheduler status\` shows the cluster` });
    return true;
  }

  async stop(): Promise<void> {
    await this.serial(async () => {
      await this.leaveRole();
      this.setRole('stopped');
    });
    await this.lease?.release();
  }

  /** Ask to execute even though another process holds the lease ("Take over"). */
  async takeOver(): Promise<boolean> {
    return (await this.lease?.tryAcquire(true)) ?? false;
  }

  // ---- what the views read -----------------------------------------------------------------

  async tasks(filter: { tag?: string } = {}): Promise<TaskView[]> {
    if (!this.engine) return [];
    const views = this.engine.snapshot(filter);
    if (this.currentRole === 'executor') return views;
    // A viewer's engine is never started: next runs come from the schedules, last runs from the file.
    const now = this.clock.now();
    const planned = new Map(this.currentPlan?.tasks.map((t) => [t.spec.id, t]) ?? []);
    return Promise.all(views.map(async (v) => {
      const schedule = planned.get(v.id)?.schedule;
      const nextRun = v.state === 'paused' || v.state === 'disabled' ? undefined : schedule?.next(now);
      const [last] = await this.queries().runs({ taskId: v.id, limit: 1, statuses: ['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'interrupted'] });
      const running = (await this.queries().runs({ taskId: v.id, limit: 10, statuses: ['running'] })).map((r) => r.id);
      return { ...v, nextRun, running, state: running.length && v.state === 'scheduled' ? 'running' : v.state,
        lastRun: last ? { id: last.id, status: last.status, trigger: last.trigger, endedAt: last.endedAt,
          durationMs: last.startedAt !== undefined && last.endedAt !== undefined ? last.endedAt - last.startedAt : undefined, error: last.error } : v.lastRun };
    }));
  }

  /** History queries: the executor's own store, or the viewer's reader of it. */
  queries(): Pick<History, 'runs' | 'getRun' | 'lastErrors' | 'health' | 'taskStates' | 'pending'> {
    const source = this.history ?? this.reader;
    if (!source) throw new Error(this.historyProblem ?? 'the history is not open');
    return source;
  }

  // ---- actions: done here when executing, else forwarded to the executor ------------------------

  async act(action: InboxAction): Promise<unknown> {
    if (this.currentRole === 'executor' && this.engine) return this.apply(this.engine, action);
    const holder = this.holder;
    if (!holder) {
      throw new Error(this.historyProblem ? `${this.historyProblem}; no process executes this workspace's tasks`
        : 'no process executes this workspace\'s tasks right now: start `task-scheduler run` or open it in VS Code');
    }
    const response = await sendRequest(this.dataDir, this.owner.label, action, FORWARD_TIMEOUT_MS);
    if (!response.ok) throw new Error(`${holder.label}: ${response.error}`);
    return response.result;
  }

  private apply(engine: Scheduler, a: InboxAction): unknown {
    switch (a.action) {
      case 'cleanup': return engine.cleanup({ olderThanMs: a.olderThanDays * 86_400_000 });
      case 'runNow': return engine.runNow(a.taskId, a.params);
      case 'pause': return engine.pause(a.taskId, 'paused by the user');
      case 'resume': return engine.resume(a.taskId);
      case 'pauseAll': return engine.pauseAll();
      case 'resumeAll': return engine.resumeAll();
      case 'cancel': return engine.cancel(a.id);
      case 'resetRetries': return engine.resetRetries(a.taskId);
      case 'resetSchedule': return engine.resetSchedule(a.taskId, { dryRun: a.dryRun });
      case 'enqueue': return engine.enqueue(a.taskId, a.params, { delay: a.delay });
    }
  }

  // ---- roles -------------------------------------------------------------------------------------

  private async follow(state: LeaseState): Promise<void> {
    if (this.currentRole === 'stopped') return;
    if (state.leader && this.currentRole !== 'executor') {
      await this.leaveRole();
      await this.becomeExecutor();
    } else if (!state.leader && this.currentRole !== 'viewer') {
      await this.leaveRole();
      await this.becomeViewer();
    } else if (state.holder?.id !== this.announcedHolder) {
      this.setRole(this.currentRole);
    }
  }

  private async becomeExecutor(): Promise<void> {
    const history = createHistory({ dataDir: this.dataDir, clock: this.clock,
      onError: (e) => this.emit({ type: 'error', message: `history: ${e.message}` }) });
    try {
      this.emit({ type: 'history-opened', report: await history.open() });
    } catch (e) {
      // A file from a newer version (or one that cannot be opened at all) is never overwritten: step aside.
      await history.close().catch(() => undefined);
      this.historyProblem = `history: ${(e as Error).message}`;
      this.emit({ type: 'error', message: `${this.historyProblem}; not executing tasks` });
      await this.lease?.release();
      return this.becomeViewer();
    }
    this.history = history;
    this.historyProblem = undefined;
    const runtime = this.options.runtime;
    this.processExecutor = createProcessExecutor({
      runnerPath: runtime.runnerPath, nodePath: runtime.execPath, workspaceFolder: this.folder,
      warmSpare: this.options.warmSpare ?? true, clock: this.clock,
      log: (m: string, level: LogLevel = 'debug') => this.options.log?.(level, `runner: ${m}`),
    });
    const executors = [this.processExecutor, ...(this.options.executors ?? [])];
    const lease = this.lease;
    const engine = new Scheduler({
      clock: this.clock, history: lease ? leaderOnlyHistory(history, lease) : history,
      executors: lease ? executors.map((x) => leaderOnly(x, lease)) : executors,
      executorId: this.owner.id, log: this.options.log, secrets: this.options.secrets,
    });
    engine.onEvent((e) => {
      if (e.type === 'pause-all-changed') writeWorkspaceState(this.dataDir, { pausedAll: e.paused });
      this.emit(e);
    });
    this.engine = engine;
    await engine.load(this.loadPlan(this.currentPlan!));
    if (readWorkspaceState(this.dataDir).pausedAll) engine.pauseAll();
    await engine.start();
    this.setRole('executor');
    this.every(INBOX_POLL_MS, () => drainInbox(this.dataDir, this.clock.now(), (a) => this.apply(engine, a)));
  }

  private async becomeViewer(): Promise<void> {
    try {
      this.reader = await openHistoryReadOnly(this.dataDir, { inProcess: this.options.readHistoryInProcess });
      this.historyProblem = undefined;
    } catch (e) {
      this.historyProblem = `history: ${(e as Error).message}`;
      this.emit({ type: 'error', message: this.historyProblem });
    }
    const engine = new Scheduler({ clock: this.clock, history: this.reader ? readOnlyHistory(this.reader) : emptyHistory(), executors: [], executorId: this.owner.id });
    engine.onEvent((e) => this.emit(e));
    this.engine = engine;
    await engine.load(this.loadPlan(this.currentPlan!));
    this.setRole('viewer');
    this.every(VIEWER_REFRESH_MS, async () => {
      if (!this.reader || !(await this.reader.reload()).changed) return;
      await engine.load(this.loadPlan(this.currentPlan!));
      this.emit({ type: 'history-changed' });
    });
  }

  private async leaveRole(): Promise<void> {
    this.poll?.cancel();
    this.poll = undefined;
    const { engine, history, reader, processExecutor } = this;
    this.engine = this.history = this.reader = this.processExecutor = undefined;
    // Leadership lost or stopping: no run may go on under an executor that no longer holds the lease.
    await engine?.stop({ graceful: false });
    await processExecutor?.dispose();
    await history?.close();
    await reader?.close();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private makePlan(): Promise<WorkspacePlan> {
    return planWorkspace(this.folder, taskFileLoader(this.folder, this.options.runtime, this.options.cacheDir, this.options.esbuild));
  }

  private loadPlan(plan: WorkspacePlan): LoadPlan {
    return { tasks: plan.tasks, invalid: plan.invalid, settings: { ...plan.settings, tags: this.options.tags, automatic: !this.options.oneShot } };
  }

  private setRole(role: Role): void {
    this.currentRole = role;
    const holder = this.lease?.state().holder;
    this.announcedHolder = holder?.id;
    this.emit({ type: 'role-changed', role, holder });
  }

  /** A self-rescheduling poll that never overlaps itself. */
  private every(ms: number, fn: () => Promise<unknown>): void {
    const arm = () => {
      this.poll = this.clock.setTimer(() => {
        fn().catch((e) => this.emit({ type: 'error', message: String(e) })).finally(() => { if (this.poll) arm(); });
      }, ms);
    };
    arm();
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

/** Before anything was ever written there is no file to read: an empty history. */
function emptyHistory(): History {
  const none = async () => [] as never[];
  const ignore = async () => undefined;
  return {
    open: async () => ({}), taskStates: none, getRun: async () => undefined, runs: none as () => Promise<RunRecord[]>,
    lastErrors: none, health: async (windowMs) => ({ windowMs, finished: 0, succeeded: 0, running: 0, queued: 0 }),
    pending: none, syncTasks: ignore, saveTaskState: ignore, putRun: ignore, abandoned: none, markInterrupted: none, putPending: ignore,
    deletePending: ignore, cleanup: async () => ({ deleted: 0 }), flush: ignore, close: ignore,
  };
}
