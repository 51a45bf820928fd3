// When activation and the first views happened, for the activation benchmark (test/bench/activation.bench.ts)
// and the log. Times are milliseconds since activate() was called.
import type * as vscode from 'vscode';

/** How far a task row has loaded: the last session's copy, the task files, or the engine with its history. */
export type LoadStage = 'cache' | 'plan' | 'history';
const STAGE_ORDER: readonly LoadStage[] = ['cache', 'plan', 'history'];

export class Timings {
  private readonly origin = performance.now();
  activateMs?: number;
  /** Every folder's service started (plan loaded, role taken). */
  servicesStartedMs?: number;
  /** The largest number of task rows the tree has returned so far, and when (rows of any kind). */
  treeTasks = 0;
  treeTasksMs?: number;
  /** The same for rows read from the task files (the plan or the engine), and for rows with their history. */
  private readonly stages = { plan: { tasks: 0, ms: undefined as number | undefined }, history: { tasks: 0, ms: undefined as number | undefined } };
  /** The workbench first asked the tree for its rows (the view became visible). */
  treeAskedMs?: number;
  /** Each listed task row's load stage as VS Code last drew it (undefined: listed, not drawn yet). */
  private drawn = new Map<string, LoadStage | undefined>();

  private readonly clusterLag = !!process.env.TASK_SCHEDULER_TIMINGS_CLUSTER;
  private readonly lagged = new Set<string>();

  constructor(private readonly log: Pick<vscode.LogOutputChannel, 'info'>) {}

  now(): number {
    return performance.now() - this.origin;
  }

  activated(): void {
    this.activateMs = this.now();
    this.log.info(`timing: activate() took ${this.activateMs.toFixed(1)} ms`);
  }

  servicesStarted(folders: number, tasks: number): void {
    this.servicesStartedMs = this.now();
    this.log.info(`timing: ${folders} folder(s) started with ${tasks} task(s) ${this.servicesStartedMs.toFixed(0)} ms after activation`);
  }

  planLoaded(folder: string, tasks: number): void {
    this.log.info(`timing: ${folder}: plan of ${tasks} task(s) loaded ${this.now().toFixed(0)} ms after activation`);
  }

  /** The tree listed these task rows (every row key, grouped or not); rows no longer listed are forgotten. */
  rowsListed(keys: Iterable<string>): void {
    if (this.treeAskedMs === undefined) {
      this.treeAskedMs = this.now();
      this.log.info(`timing: tree first asked for its rows ${this.treeAskedMs.toFixed(0)} ms after activation`);
    }
    const drawn = new Map<string, LoadStage | undefined>();
    for (const key of keys) drawn.set(key, this.drawn.get(key));
    this.drawn = drawn;
  }

  /**
   * VS Code drew a task row (getTreeItem). The tree redraws one row at a time, so the figures count what
   * is on screen: once every listed row is drawn, the tree shows that many tasks at the least loaded stage.
   */
  rowDrawn(key: string, stage: LoadStage): void {
    if (!this.drawn.has(key) || this.drawn.get(key) === stage) return;
    this.drawn.set(key, stage);
    let least: LoadStage = 'history';
    for (const s of this.drawn.values()) {
      if (s === undefined) return;
      if (STAGE_ORDER.indexOf(s) < STAGE_ORDER.indexOf(least)) least = s;
    }
    this.treeShown(this.drawn.size, least);
  }

  /** The tree shows `tasks` rows; `stage` is the least loaded of them (rowCache.ts, planViews.ts). */
  private treeShown(tasks: number, stage: LoadStage): void {
    const now = this.now();
    if (tasks > this.treeTasks) {
      this.treeTasks = tasks;
      this.treeTasksMs = now;
      this.log.info(`timing: tree shows ${tasks} task(s) ${stage === 'cache' ? 'as last seen ' : ''}${now.toFixed(0)} ms after activation`);
    }
    for (const [name, text] of [['plan', 'from the task files'], ['history', 'with their history']] as const) {
      if (stage === 'cache' || (name === 'history' && stage !== 'history')) continue;
      const s = this.stages[name];
      if (tasks <= s.tasks) continue;
      s.tasks = tasks;
      s.ms = now;
      this.log.info(`timing: tree shows ${tasks} task(s) ${text} ${now.toFixed(0)} ms after activation`);
    }
  }

  /**
   * A cluster task row was drawn with this last run: the first time for that run, how long after the run
   * ended on its member it reached the tree. Logged only when TASK_SCHEDULER_TIMINGS_CLUSTER is set (the
   * cluster-window benchmark): a busy cluster would fill the log otherwise.
   */
  clusterRowDrawn(last: { id: string; endedAt?: number } | undefined): void {
    if (!this.clusterLag || !last?.endedAt || this.lagged.has(last.id)) return;
    this.lagged.add(last.id);
    if (this.lagged.size > 10_000) this.lagged.clear();
    this.log.info(`timing: cluster run ${last.id} in the tree ${Date.now() - last.endedAt} ms after it ended`);
  }

  snapshot(): { activateMs?: number; servicesStartedMs?: number; treeTasks: number; treeTasksMs?: number; treePlanMs?: number; treeHistoryMs?: number } {
    return {
      activateMs: this.activateMs, servicesStartedMs: this.servicesStartedMs, treeTasks: this.treeTasks, treeTasksMs: this.treeTasksMs,
      treePlanMs: this.stages.plan.ms, treeHistoryMs: this.stages.history.ms,
    };
  }
}
