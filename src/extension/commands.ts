import * as vscode from 'vscode';
import { CommandId } from './ids';

export const NO_TASKS_MESSAGE = 'Task Scheduler: no tasks to run yet. Add a *.task.ts file or a .scheduler.yaml to this workspace.';

/** Every palette command, registered in one loop from one table. */
export function registerCommands(): vscode.Disposable[] {
  // Show Dashboard is registered with its panel (dashboard/index.ts).
  const handlers: Record<Exclude<CommandId, CommandId.ShowDashboard>, (...args: unknown[]) => unknown> = {
    [CommandId.RunNow]: () => vscode.window.showInformationMessage(NO_TASKS_MESSAGE),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
