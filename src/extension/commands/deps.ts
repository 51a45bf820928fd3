// What the command groups share, passed in (no module-level state), and the ways a command is told
// which task it is about: a tree row, a `{ taskId, folder }` (CodeLens, notifications, scripts), a bare
// task id (scripts and tests: `executeCommand('taskScheduler.runNow', 'tasks/hello-world')`), or
// nothing — then it asks with a quick pick.
import * as vscode from 'vscode';
import type { ClusterFolders } from '../clusterFolders';
import type { EsbuildSetup } from '../esbuildSetup';
import { lastResultText, plainText, relativeTime } from '../format';
import type { RunDocuments } from '../runDocument';
import type { Services } from '../services';
import type { TaskStore } from '../taskStore';
import type { TreeNode } from '../tree';
import type { TaskEntry } from '../treeItems';
import type { Workspaces } from '../workspaces';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  workspaces: Workspaces;
  store: TaskStore;
  services: Services;
  esbuild: EsbuildSetup;
  runDocuments: RunDocuments;
  log: vscode.LogOutputChannel;
  clusters: ClusterFolders;
}

export type TaskArg = string | { taskId: string; folder?: string } | TreeNode | undefined;

export const NO_TASKS_MESSAGE = 'Task Scheduler: no tasks to run yet. Add a *.task.ts file or a .scheduler.yaml to this workspace.';

/** Waits for the first start, so a command given right after activation sees the tasks. */
export async function settled(deps: CommandDeps): Promise<void> {
  if (deps.services.active) await deps.services.ready();
}

/** The task an argument names, or undefined (the caller then asks). Throws for an id that does not exist. */
export function taskOf(deps: CommandDeps, arg: TaskArg): TaskEntry | undefined {
  if (arg === undefined || arg === null) return undefined;
  if (typeof arg === 'string') return found(deps.store.find(arg), arg);
  if ('kind' in arg) {
    if (arg.kind === 'task') return deps.store.find(arg.entry.view.id, arg.entry.folder) ?? arg.entry;
    if (arg.kind === 'run') return found(deps.store.find(arg.run.taskId, arg.folder), arg.run.taskId);
    return undefined;
  }
  if (typeof arg.taskId === 'string') return found(deps.store.find(arg.taskId, arg.folder), arg.taskId);
  return undefined;
}

function found(entry: TaskEntry | undefined, id: string): TaskEntry {
  if (!entry) throw new Error(`no task "${id}" in this workspace`);
  return entry;
}

/** A quick pick of tasks, soonest next run first, with the schedule in words and the last result. */
export async function pickTask(deps: CommandDeps, title: string, filter: (e: TaskEntry) => boolean = () => true): Promise<TaskEntry | undefined> {
  const now = Date.now();
  const multiRoot = deps.store.folders().length > 1;
  const tasks = deps.store.tasks().filter(filter)
    .sort((a, b) => (a.view.nextRun ?? Infinity) - (b.view.nextRun ?? Infinity) || a.view.name.localeCompare(b.view.name));
  if (!tasks.length) {
    void vscode.window.showInformationMessage(deps.store.tasks().length ? `Task Scheduler: no task to ${title.toLowerCase()}.` : NO_TASKS_MESSAGE);
    return undefined;
  }
  const items = tasks.map((entry) => {
    const v = entry.view;
    const next = v.nextRun !== undefined ? `next ${relativeTime(v.nextRun, now)}` : v.state === 'paused' ? 'paused' : v.state === 'invalid' ? 'invalid' : 'no next run';
    const last = lastResultText(v.lastRun, now);
    return {
      label: plainText(v.name),
      description: plainText(v.schedule ?? (v.state === 'invalid' ? v.stateReason ?? 'invalid' : 'manual')),
      detail: plainText([next, last && `last ${last}`, multiRoot && entry.folderName, v.id].filter(Boolean).join(' · ')),
      entry,
    };
  });
  const picked = await vscode.window.showQuickPick(items, { title: `Task Scheduler: ${title}`, placeHolder: 'Pick a task', matchOnDetail: true, matchOnDescription: true });
  return picked?.entry;
}

/** The task from the argument, else picked. */
export async function resolveTask(deps: CommandDeps, arg: TaskArg, title: string, filter?: (e: TaskEntry) => boolean): Promise<TaskEntry | undefined> {
  await settled(deps);
  return taskOf(deps, arg) ?? pickTask(deps, title, filter);
}

/** The service of a task's folder; it may have been removed since the pick. */
export function serviceOf(deps: CommandDeps, entry: TaskEntry) {
  const service = deps.workspaces.get(entry.folder);
  if (!service) throw new Error(`the folder ${entry.folderName} is no longer open`);
  return service;
}

/** A workspace folder from an argument (path or Uri), the only one, or picked. */
export async function resolveFolder(arg: unknown, title: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (typeof arg === 'string' || arg instanceof vscode.Uri) {
    const uri = typeof arg === 'string' ? vscode.Uri.file(arg) : arg;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) throw new Error(`${uri.fsPath} is not in a workspace folder`);
    return folder;
  }
  if (folders.length <= 1) {
    if (!folders.length) void vscode.window.showInformationMessage('Task Scheduler: open a folder first.');
    return folders[0];
  }
  return vscode.window.showWorkspaceFolderPick({ placeHolder: title });
}
