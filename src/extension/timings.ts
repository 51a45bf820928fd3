// When activation and the first views happened, for the activation benchmark (test/bench/activation.bench.js)
// and the log. Times are milliseconds since activate() was called.
import type * as vscode from 'vscode';

export class Timings {
  private readonly origin = performance.now();
  activateMs?: number;
  /** Every folder's service started (plan loaded, role taken). */
  servicesStartedMs?: number;
  /** The largest number of task rows the tree has returned so far, and when. */
  treeTasks = 0;
  treeTasksMs?: number;

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

  /** Rows with their history (state, last result), as opposed to the plan's rows while it is read. */
  treeLoadedTasks = 0;
  treeLoadedMs?: number;

  treeShown(tasks: number, loaded: boolean): void {
    if (tasks > this.treeTasks) {
      this.treeTasks = tasks;
      this.treeTasksMs = this.now();
      this.log.info(`timing: tree shows ${tasks} task(s) ${this.treeTasksMs.toFixed(0)} ms after activation`);
    }
    if (loaded && tasks > this.treeLoadedTasks) {
      this.treeLoadedTasks = tasks;
      this.treeLoadedMs = this.now();
      this.log.info(`timing: tree shows ${tasks} task(s) with their history ${this.treeLoadedMs.toFixed(0)} ms after activation`);
    }
  }

  snapshot(): { activateMs?: number; servicesStartedMs?: number; treeTasks: number; treeTasksMs?: number; treeLoadedMs?: number } {
    return { activateMs: this.activateMs, servicesStartedMs: this.servicesStartedMs, treeTasks: this.treeTasks, treeTasksMs: this.treeTasksMs, treeLoadedMs: this.treeLoadedMs };
  }
}
