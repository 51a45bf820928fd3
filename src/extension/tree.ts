import * as vscode from 'vscode';
import { ViewId } from './ids';

/** One row per task. Until tasks are discovered there are none, and `viewsWelcome` explains why. */
export class TaskTreeProvider implements vscode.TreeDataProvider<never> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerTree(): vscode.Disposable[] {
  const provider = new TaskTreeProvider();
  const view = vscode.window.createTreeView(ViewId.Tasks, { treeDataProvider: provider, showCollapseAll: false });
  return [provider, view];
}
