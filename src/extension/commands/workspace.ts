// Commands about the whole workspace: Pause/Resume All, Take Over, Reload Tasks, Show Log, Show Tasks…
// (the status bar's quick pick), and the installs: esbuild, and a package a task file imports.
import * as path from 'path';
import * as vscode from 'vscode';
import { plainText } from '../format';
import { CommandId } from '../ids';
import { canCancel, canPause, isPausedItself } from '../treeItems';
import { pickTask, settled, type CommandDeps } from './deps';

export async function pauseAll(deps: CommandDeps): Promise<number> {
  await settled(deps);
  for (const s of deps.workspaces.list()) await s.act({ action: 'pauseAll' });
  await deps.store.refresh();
  return deps.workspaces.list().length;
}

export async function resumeAll(deps: CommandDeps): Promise<number> {
  await settled(deps);
  for (const s of deps.workspaces.list()) await s.act({ action: 'resumeAll' });
  await deps.store.refresh();
  return deps.workspaces.list().length;
}

/** Makes this window execute the folders another window or the CLI executes. Returns whether it does now. */
export async function takeOver(deps: CommandDeps, folder?: string): Promise<boolean> {
  await settled(deps);
  // A cluster folder is never taken over: its members run it (Join Cluster makes this window one).
  const viewers = deps.workspaces.list().filter((s) => s.kind === 'local' && s.role === 'viewer' && (!folder || s.folder === folder));
  if (!viewers.length) {
    void vscode.window.showInformationMessage('Task Scheduler: this window already runs the tasks.');
    return false;
  }
  let all = true;
  for (const s of viewers) {
    const holder = s.holder?.label;
    const ok = await s.takeOver();
    all &&= ok;
    deps.log.info(`take over ${s.folder} from ${holder ?? 'nobody'}: ${ok ? 'done' : 'refused'}`);
  }
  await deps.store.refresh();
  if (!all) void vscode.window.showWarningMessage('Task Scheduler: could not take over; the other process still holds the workspace.');
  return all;
}

export async function reload(deps: CommandDeps): Promise<void> {
  await settled(deps);
  await deps.services.reload();
  await deps.store.refresh();
}

export function showLog(deps: CommandDeps): void {
  deps.log.show(true);
}

/** The status bar's click: pick a task, then what to do with it. */
export async function showTasks(deps: CommandDeps): Promise<void> {
  await settled(deps);
  const entry = await pickTask(deps, 'Tasks');
  if (!entry) return;
  const target = { taskId: entry.view.id, folder: entry.folder };
  const actions: Array<{ label: string; command: CommandId }> = [];
  if (entry.view.state !== 'invalid') actions.push({ label: '$(play) Run Now', command: CommandId.RunNow });
  if (canPause(entry)) actions.push({ label: '$(debug-pause) Pause', command: CommandId.Pause });
  if (isPausedItself(entry)) actions.push({ label: '$(debug-continue) Resume', command: CommandId.Resume });
  if (canCancel(entry)) actions.push({ label: '$(debug-stop) Cancel Run', command: CommandId.Cancel });
  if (entry.view.lastRun) actions.push({ label: '$(output) Show Output', command: CommandId.ShowRunOutput });
  actions.push({ label: '$(go-to-file) Open Task File', command: CommandId.OpenTaskFile });
  const picked = await vscode.window.showQuickPick(actions, { title: `Task Scheduler: ${plainText(entry.view.name)}` });
  if (picked) await vscode.commands.executeCommand(picked.command, target);
}

export function installEsbuild(deps: CommandDeps): Promise<string | undefined> {
  return deps.esbuild.install();
}

/** The exact forms packageManager.ts writes into a missing-package diagnostic; nothing else is ever typed. */
const INSTALL_COMMAND = /^(npm install|pnpm add|yarn add|bun add) ((@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)$/i;

/** Runs a package install (as a missing-package diagnostic names it) in a terminal the user sees. */
export function installPackage(_deps: CommandDeps, arg?: { command: string; file: string }): vscode.Terminal | undefined {
  if (!arg || typeof arg.command !== 'string' || typeof arg.file !== 'string') {
    void vscode.window.showInformationMessage('Task Scheduler: use the quick fix on a "Cannot find package" problem in a task file.');
    return undefined;
  }
  if (!INSTALL_COMMAND.test(arg.command)) throw new Error(`not an install command Task Scheduler writes: ${arg.command}`);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(arg.file));
  if (!folder) throw new Error(`${arg.file} is not in a workspace folder`);
  if (!vscode.workspace.isTrusted) throw new Error('the workspace is not trusted');
  const terminal = vscode.window.createTerminal({ name: 'Task Scheduler: install', cwd: path.dirname(arg.file) });
  terminal.show();
  terminal.sendText(arg.command);
  return terminal;
}
