// Problems: every diagnostic of each folder's plan (config, schedule, option, compile and dependency
// errors at their positions), replaced on every reload so a fixed problem disappears. Quick fixes: a
// package a task imports but the workspace lacks is installed in a terminal; a missing esbuild is installed.
import * as vscode from 'vscode';
import type { Diagnostic, Severity } from '../core/model';
import { ESBUILD_MISSING_CODE } from './esbuild';
import { CommandId } from './ids';
import type { Workspaces } from './workspaces';

export const DIAGNOSTIC_SOURCE = 'Task Scheduler';
const MISSING_PACKAGE_CODE = 'compile.missing-package';

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toVscodeDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const line = Math.max(0, d.line - 1);
  const column = Math.max(0, d.column - 1);
  const endLine = Math.max(line, (d.endLine ?? d.line) - 1);
  let endColumn = Math.max(0, (d.endColumn ?? d.column) - 1);
  // A zero-width range is hard to see: cover at least one character (or the rest of the line, for line 1 col 1).
  if (endLine === line && endColumn <= column) endColumn = column + (d.endColumn === undefined && column === 0 ? 1_000 : 1);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, column, endLine, endColumn), d.message, SEVERITIES[d.severity] ?? vscode.DiagnosticSeverity.Error);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = d.code;
  return diagnostic;
}

export function registerDiagnostics(workspaces: Workspaces): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('taskScheduler');
  /** The files each folder reported on last time, so a reload can clear the ones now clean. */
  const filesOf = new Map<string, Set<string>>();
  const set = (folder: string, diagnostics: Diagnostic[]) => {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const d of diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), toVscodeDiagnostic(d)]);
    for (const file of filesOf.get(folder) ?? []) if (!byFile.has(file)) collection.delete(vscode.Uri.file(file));
    for (const [file, list] of byFile) collection.set(vscode.Uri.file(file), list);
    filesOf.set(folder, new Set(byFile.keys()));
  };
  const subscription = workspaces.onEvent(({ folder, event }) => {
    if (event.type === 'plan-loaded') set(folder, event.plan.diagnostics);
    if (event.type === 'role-changed' && event.role === 'stopped') set(folder, []);
  });
  const actions = vscode.languages.registerCodeActionsProvider(
    [{ scheme: 'file', pattern: '**/*.{ts,mts,cts,tsx,js,mjs,cjs}' }, { scheme: 'file', pattern: '**/.scheduler.{yaml,yml}' }],
    new InstallQuickFix(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] });
  return [collection, subscription, actions];
}

/** "Cannot find package "x". Install it in the workspace: npm install x" → `npm install x`. */
export function installCommandOf(message: string): string | undefined {
  return /Install it in the workspace: (.+)$/.exec(message)?.[1]?.trim();
}

class InstallQuickFix implements vscode.CodeActionProvider {
  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      if (d.code === MISSING_PACKAGE_CODE) {
        const command = installCommandOf(d.message);
        if (!command) continue;
        const action = new vscode.CodeAction(`Run "${command}" in a terminal`, vscode.CodeActionKind.QuickFix);
        action.command = { command: CommandId.InstallPackage, title: action.title, arguments: [{ command, file: doc.uri.fsPath }] };
        action.diagnostics = [d];
        action.isPreferred = true;
        out.push(action);
      } else if (d.code === ESBUILD_MISSING_CODE) {
        const action = new vscode.CodeAction('Install esbuild for Task Scheduler (≈10 MB)', vscode.CodeActionKind.QuickFix);
        action.command = { command: CommandId.InstallEsbuild, title: action.title };
        action.diagnostics = [d];
        action.isPreferred = true;
        out.push(action);
      }
    }
    return out;
  }
}
