// Every command, from one table, registered in one loop. A failing command says why in a message and
// the log (and resolves to undefined), instead of VS Code's generic "command failed".
import * as vscode from 'vscode';
import { plainText } from '../format';
import { CommandId } from '../ids';
import type { CommandDeps } from './deps';
import { newTask, openConfig, openTaskFile } from './files';
import { clearHistory, showRunOutput } from './history';
import { joinCluster, leaveCluster, setDatabasePassword } from './cluster';
import { resetSchedules } from './schedules';
import { cancel, pause, resetRetries, resume, runNow, runWithParams } from './tasks';
import { installEsbuild, installPackage, pauseAll, reload, resumeAll, showLog, showTasks, takeOver } from './workspace';

export { NO_TASKS_MESSAGE, type CommandDeps } from './deps';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command takes its own arguments
type Handler = (...args: any[]) => unknown;

/** Show Dashboard and Preview Schedules are registered with their panels (dashboard/index.ts, preview/index.ts). */
type OwnCommand = Exclude<CommandId, CommandId.ShowDashboard | CommandId.PreviewSchedules>;

export function commandTable(deps: CommandDeps): Record<OwnCommand, Handler> {
  return {
    [CommandId.RunNow]: (arg, params) => runNow(deps, arg, params),
    [CommandId.RunWithParams]: (arg, json) => runWithParams(deps, arg, json),
    [CommandId.Pause]: (arg) => pause(deps, arg),
    [CommandId.Resume]: (arg) => resume(deps, arg),
    [CommandId.PauseAll]: () => pauseAll(deps),
    [CommandId.ResumeAll]: () => resumeAll(deps),
    [CommandId.Cancel]: (arg) => cancel(deps, arg),
    [CommandId.ResetRetries]: (arg) => resetRetries(deps, arg),
    [CommandId.ShowRunOutput]: (arg) => showRunOutput(deps, arg),
    [CommandId.ShowTasks]: () => showTasks(deps),
    [CommandId.OpenTaskFile]: (arg) => openTaskFile(deps, arg),
    [CommandId.NewTask]: (options) => newTask(deps, options),
    [CommandId.OpenConfig]: (folder) => openConfig(deps, typeof folder === 'string' ? folder : undefined),
    [CommandId.Reload]: () => reload(deps),
    [CommandId.ResetSchedules]: (options) => resetSchedules(deps, options),
    [CommandId.ClearHistory]: (options) => clearHistory(deps, options),
    [CommandId.ShowLog]: () => showLog(deps),
    [CommandId.TakeOver]: (folder) => takeOver(deps, typeof folder === 'string' ? folder : undefined),
    [CommandId.InstallEsbuild]: () => installEsbuild(deps),
    [CommandId.InstallPackage]: (arg) => installPackage(deps, arg),
    [CommandId.JoinCluster]: (folder) => joinCluster(deps, typeof folder === 'string' ? folder : undefined),
    [CommandId.LeaveCluster]: (folder) => leaveCluster(deps, typeof folder === 'string' ? folder : undefined),
    [CommandId.SetDatabasePassword]: (folder, value) => setDatabasePassword(deps, typeof folder === 'string' ? folder : undefined, typeof value === 'string' ? value : undefined),
  };
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(commandTable(deps)).map(([id, handler]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      deps.log.error(`${id}: ${message}`);
      void vscode.window.showErrorMessage(plainText(`Task Scheduler: ${message}`));
      return undefined;
    }
  }));
}
