// Workspace Trust: in an untrusted workspace no task file is compiled, imported or run — the services
// are not even created. Granting trust starts them at once, without a window reload.
import * as vscode from 'vscode';

/** Calls `start` now when the workspace is trusted, else once trust is granted. */
export function whenTrusted(start: () => void): vscode.Disposable {
  if (vscode.workspace.isTrusted) {
    start();
    return new vscode.Disposable(() => undefined);
  }
  const subscription = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    subscription.dispose();
    start();
  });
  return subscription;
}
