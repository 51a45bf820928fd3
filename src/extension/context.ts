import * as vscode from 'vscode';
import type { ContextKey } from './ids';

/** The one typed way to set a `when`-clause context key. */
export function setContext(key: ContextKey, value: boolean | string | number): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
