// Asking VS Code what the user sees at a position, through its own commands (the same path an editor
// takes): hovers, completion items, inlay hints, diagnostics and code actions.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { folder, problems, waitFor } from './helpers';

export async function openDoc(relative: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(path.join(folder(), relative));
}

/** The position `within` characters into the first `needle` of the document. */
export function positionOf(doc: vscode.TextDocument, needle: string, within = 1): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `"${needle}" is not in ${doc.uri.fsPath}`);
  return doc.positionAt(at + within);
}

/** Our hover's Markdown at a position (other providers', e.g. TypeScript's, are left out). */
export async function hoverText(doc: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
  const texts = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
  return texts.filter((t) => /Next runs|Runs once|Runs only|Next change|No daylight|Last result|Not a valid schedule|Unknown time zone|No task has|` — /.test(t)).join('\n---\n');
}

export async function completionItems(doc: vscode.TextDocument, position: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position, trigger);
  return list.items;
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export async function inlayLabels(doc: vscode.TextDocument): Promise<string[]> {
  const range = new vscode.Range(0, 0, doc.lineCount, 0);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range);
  return hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
}

/** Our diagnostics on a file whose code is `code`, once there are some. */
export function waitForWarning(file: string, code: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return waitFor(`${code} on ${path.basename(file)}`, () => {
    const found = problems(file).filter((d) => d.code === code);
    return found.length ? found : undefined;
  }, timeoutMs);
}

export function waitForNoWarning(file: string, code: string, timeoutMs = 20_000): Promise<boolean> {
  return waitFor(`${code} to leave ${path.basename(file)}`, () => !problems(file).some((d) => d.code === code), timeoutMs);
}

export async function quickFixes(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
}
