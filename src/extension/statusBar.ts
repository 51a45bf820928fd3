import * as vscode from 'vscode';
import { CommandId, SETTINGS, STATUS_BAR_ID } from './ids';

/** The "next run" item. With no tasks it says so; a setting hides it. */
export function registerStatusBar(): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 10);
  item.name = 'Task Scheduler';
  item.text = '$(watch) No tasks';
  item.tooltip = 'Task Scheduler: no scheduled tasks in this workspace';
  item.command = CommandId.RunNow;

  const apply = () => {
    const enabled = vscode.workspace.getConfiguration().get<boolean>(SETTINGS.statusBarEnabled.key, SETTINGS.statusBarEnabled.default);
    if (enabled) item.show(); else item.hide();
  };
  apply();
  const watch = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SETTINGS.statusBarEnabled.key)) apply();
  });
  return [item, watch];
}
