// When activation and the first views happened, for the activation benchmark (test/bench/activation.bench.ts)
// and the log. Times are milliseconds since activate() was called.
import type * as vscode from 'vscode';

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

  /** The tree returned `tasks` rows; `stage` is the least loaded of them (rowCache.ts, planViews.ts). */
  treeShown(tasks: number, stage: 'cache' | 'plan' | 'history'): void {
    const now = this.now();
    if (this.treeAskedMs === undefined) {
      this.treeAskedMs = now;
      this.log.info(`timing: tree first asked for its rows ${now.toFixed(0)} ms after activation`);
    }
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

  snapshot(): { activateMs?: number; servicesStartedMs?: number; treeTasks: number; treeTasksMs?: number; treePlanMs?: number; treeHistoryMs?: number } {
    return {
      activateMs: this.activateMs, servicesStartedMs: this.servicesStartedMs, treeTasks: this.treeTasks, treeTasksMs: this.treeTasksMs,
      treePlanMs: this.stages.plan.ms, treeHistoryMs: this.stages.history.ms,
    };
  }
}
