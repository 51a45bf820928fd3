// The tasks of every folder as the views show them, kept fresh from the services' events. The tree,
// status bar, CodeLens, context keys and the API all read this one copy, so one burst of engine events
// costs one `service.tasks()` per folder, not one per view.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ClusterInfo } from '../core/cluster/window';
import type { Role } from '../core/service/workspaceService';
import { clusterOf } from './folderService';
import type { LeaseOwner } from '../core/ports';
import { readWorkspaceState } from '../core/service/workspaceState';
import { planViews } from './planViews';
import type { TaskEntry } from './treeItems';
import type { WorkspaceEvent, Workspaces } from './workspaces';

/** A burst of events (a run starting, its task changing, the queue moving) becomes one refresh. */
const REFRESH_DEBOUNCE_MS = 40;

/** Events that change nothing a view shows: a line of output is not worth re-reading every task. */
const QUIET_EVENTS = new Set(['run-output', 'history-opened', 'warning', 'missed']);

export interface FolderState {
  folder: string;
  name: string;
  role: Role;
  /** Who executes this folder's tasks, when it is not this window. */
  holder?: LeaseOwner;
  pausedAll: boolean;
  tasks: TaskEntry[];
  /** The last error the service reported (history could not open, the plan failed…). */
  error?: string;
  /** A folder whose config names a store: its cluster as this window sees it. */
  cluster?: ClusterInfo;
}

/** How far the rows have come: any from the last session (`cache`), any from the plan alone, else all from the engines. */
export function loadStage(store: TaskStore): 'cache' | 'plan' | 'history' {
  const tasks = store.tasks();
  if (tasks.some((t) => t.loading === 'cache')) return 'cache';
  return tasks.some((t) => t.loading === 'plan') ? 'plan' : 'history';
}

export class TaskStore implements vscode.Disposable {
  private readonly state = new Map<string, FolderState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /** Fires after any folder's tasks were re-read. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly workspaces: Workspaces) {
    this.subscription = workspaces.onEvent((e) => this.onEvent(e));
  }

  folders(): FolderState[] {
    return [...this.state.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  tasks(): TaskEntry[] {
    return this.folders().flatMap((f) => f.tasks);
  }

  /** The task with this id: in `folder` when given, else the first folder that has it. */
  find(taskId: string, folder?: string): TaskEntry | undefined {
    if (folder) return this.state.get(folder)?.tasks.find((t) => t.view.id === taskId);
    return this.tasks().find((t) => t.view.id === taskId);
  }

  /** Re-reads one folder (or all) now, without waiting for the debounce. */
  async refresh(folder?: string): Promise<void> {
    const folders = folder ? [folder] : this.workspaces.list().map((s) => s.folder);
    await Promise.all(folders.map((f) => this.read(f)));
    for (const gone of [...this.state.keys()]) if (!this.workspaces.get(gone)) this.state.delete(gone);
    this.emitter.fire();
  }

  /** The last session's rows of a folder, shown until its plan is read (rowCache.ts). */
  seed(folder: string, name: string, tasks: TaskEntry[]): void {
    if (this.state.has(folder) || !tasks.length) return;
    this.state.set(folder, { folder, name, role: 'starting', pausedAll: false, tasks });
    this.emitter.fire();
  }

  /** A folder whose service was removed. */
  forget(folder: string): void {
    clearTimeout(this.timers.get(folder));
    this.timers.delete(folder);
    if (this.state.delete(folder)) this.emitter.fire();
  }

  private onEvent({ folder, event }: WorkspaceEvent): void {
    if (event.type === 'error') this.patch(folder, { error: event.message });
    if (QUIET_EVENTS.has(event.type)) return;
    if (this.timers.has(folder)) return;
    // A cluster window announces each read of the cluster in one synchronous burst: the next turn of the
    // event loop has all of it (and a run's end reaches the tree 40 ms sooner).
    const wait = clusterOf(this.workspaces.get(folder)) ? 0 : REFRESH_DEBOUNCE_MS;
    this.timers.set(folder, setTimeout(() => {
      this.timers.delete(folder);
      void this.read(folder).then(() => this.emitter.fire());
    }, wait));
  }

  private patch(folder: string, change: Partial<FolderState>): void {
    const s = this.state.get(folder);
    if (s) Object.assign(s, change);
  }

  private async read(folder: string): Promise<void> {
    const service = this.workspaces.get(folder);
    if (!service) return;
    const previous = this.state.get(folder);
    let views: Awaited<ReturnType<typeof service.tasks>> = [];
    let error = previous?.error;
    try {
      views = await service.tasks();
    } catch (e) {
      error = `could not read the tasks: ${(e as Error).message}`;
    }
    const cluster = clusterOf(service)?.info();
    const pausedAll = cluster ? cluster.pausedAll : service.scheduler?.pausedAll
      ?? (service.role === 'viewer' ? readWorkspaceState(service.dataDir).pausedAll : false);
    // Planned but history not read yet (the engine lists nothing before it is loaded): the plan's rows.
    const loading = !views.length && !!service.plan && (service.plan.tasks.length + service.plan.invalid.length) > 0
      && service.role !== 'stopped' ? 'plan' as const : undefined;
    if (loading) views = planViews(service.plan!, Date.now());
    // No plan yet: the last session's rows (seed) stay until there is one.
    if (!service.plan && previous?.tasks.some((t) => t.loading === 'cache')) return;
    const schedules = new Map(service.plan?.tasks.map((t) => [t.spec.id, t.schedule]) ?? []);
    const name = path.basename(folder);
    const tasks = views
      .map((view) => ({ folder, folderName: name, view, schedule: schedules.get(view.id), pausedAll, loading, cluster: cluster?.cluster }))
      .sort((a, b) => a.view.name.localeCompare(b.view.name) || a.view.id.localeCompare(b.view.id));
    const holder = service.role === 'viewer' ? service.holder : undefined;
    this.state.set(folder, { folder, name, role: service.role, holder, pausedAll, tasks, error, cluster });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
