// What `activate()` returns to other extensions (and to our in-host tests and benchmark):
//   const api = vscode.extensions.getExtension<TaskSchedulerApi>('task-scheduler.task-scheduler')?.exports;
import * as vscode from 'vscode';
import type { ClusterInfo } from '../core/cluster/window';
import type { TaskView } from '../core/engine';
import { clusterOf } from './folderService';
import type { RunRecord } from '../core/ports';
import type { Services } from './services';
import type { TaskStore } from './taskStore';
import type { Timings } from './timings';
import type { Workspaces } from './workspaces';

export interface ApiTask extends TaskView {
  /** The workspace folder (absolute path) the task belongs to. */
  folder: string;
}

export interface ApiRunFinished {
  folder: string;
  run: RunRecord;
}

export interface TaskSchedulerApi {
  /** The workspace storage folder (compiled task files are cached there); undefined without a workspace. */
  readonly storageUri: string | undefined;
  /** Resolves once every folder open at start has loaded its tasks (never, in an untrusted workspace). */
  ready(): Promise<void>;
  /** Every task of every folder, invalid ones included. */
  listTasks(): Promise<ApiTask[]>;
  /** Runs a task now (its overlap policy applies); resolves to the run id. `folder` picks among folders with the same id. */
  runNow(taskId: string, params?: Record<string, unknown>, folder?: string): Promise<string>;
  /** One run from the history, or undefined. */
  getRun(runId: string, folder?: string): Promise<RunRecord | undefined>;
  /** A task's newest runs, newest first (a removed task's too: its history is kept). */
  runs(taskId: string, limit?: number, folder?: string): Promise<RunRecord[]>;
  /** Fires when any task's state, next run or last result changed. */
  readonly onDidChange: vscode.Event<void>;
  /** Fires when a run this window executes ends (in a cluster folder: when any member's run ends). */
  readonly onDidFinishRun: vscode.Event<ApiRunFinished>;
  /**
   * A cluster folder's cluster as this window sees it — connection, members (the Members panel's rows),
   * whether this window is a member — or undefined when the folder (default: the first cluster folder)
   * names no store.
   */
  cluster(folder?: string): ClusterInfo | undefined;
  /** Activation figures (ms since activate() was called), for benchmarks. */
  timings(): ReturnType<Timings['snapshot']>;
}

export function createApi(
  context: vscode.ExtensionContext, workspaces: Workspaces, store: TaskStore, services: Services, timings: Timings,
): { api: TaskSchedulerApi; disposables: vscode.Disposable[] } {
  const finished = new vscode.EventEmitter<ApiRunFinished>();
  const subscription = workspaces.onEvent(({ folder, event }) => { if (event.type === 'run-finished') finished.fire({ folder, run: event.run }); });
  const serviceFor = (taskId: string, folder?: string) => {
    const service = folder ? workspaces.get(folder) : workspaces.byTask(taskId);
    if (!service) throw new Error(folder ? `the folder ${folder} is not open (or not trusted)` : `no task "${taskId}" in this workspace`);
    return service;
  };
  const api: TaskSchedulerApi = {
    storageUri: context.storageUri?.toString(),
    ready: () => services.ready(),
    async listTasks() {
      if (services.active) await services.ready();
      await store.refresh();
      return store.tasks().map((t) => ({ ...t.view, folder: t.folder }));
    },
    async runNow(taskId, params, folder) {
      if (services.active) await services.ready();
      const runId = await serviceFor(taskId, folder).act({ action: 'runNow', taskId, params }) as string;
      await store.refresh();
      return runId;
    },
    async getRun(runId, folder) {
      for (const s of folder ? [workspaces.get(folder)] : workspaces.list()) {
        const run = await s?.queries().getRun(runId);
        if (run) return run;
      }
      return undefined;
    },
    async runs(taskId, limit = 20, folder) {
      // A task whose file is gone keeps its history: look in every folder when no plan names it.
      const services = folder || workspaces.byTask(taskId) ? [serviceFor(taskId, folder)] : workspaces.list();
      const all = (await Promise.all(services.map((s) => s.queries().runs({ taskId, limit })))).flat();
      return all.sort((a, b) => b.queuedAt - a.queuedAt).slice(0, limit);
    },
    cluster(folder) {
      const services = folder ? [workspaces.get(folder)] : workspaces.list();
      return services.map(clusterOf).find((c) => !!c)?.info();
    },
    onDidChange: store.onDidChange,
    onDidFinishRun: finished.event,
    timings: () => timings.snapshot(),
  };
  return { api, disposables: [finished, subscription] };
}
