import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { setContext } from './context';
import { registerStatusBar } from './statusBar';
import { registerTree } from './tree';

/** What other extensions (and our in-host tests) get from `activate()`. */
export interface TaskSchedulerApi {
  /** The workspace storage folder where history is kept; undefined without a workspace. */
  readonly storageUri: string | undefined;
}

export function activate(context: vscode.ExtensionContext): TaskSchedulerApi {
  context.subscriptions.push(...registerTree(), ...registerStatusBar(), ...registerCommands());
  void setContext('taskScheduler.hasTasks', false);
  return { storageUri: context.storageUri?.toString() };
}

export function deactivate(): void {}
