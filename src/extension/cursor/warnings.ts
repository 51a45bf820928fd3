// Schedule warnings in Problems (valid but probably not meant, core/cursor/warnings.ts), recomputed when a
// folder's task files or config change and every few minutes (a one-time date passes, a herd moves into
// view), with their quick fixes. Computed from text: they show in untrusted windows too — and there, where
// no engine checks the folder, so do schedules that are not valid at all (core/cursor/scheduleErrors.ts).
import * as vscode from 'vscode';
import type { SourceRange } from '../../core/config/types';
import type { TextEdit } from '../../core/cursor/fixes';
import { scheduleErrors } from '../../core/cursor/scheduleErrors';
import { scheduleWarnings, type ScheduleWarning } from '../../core/cursor/warnings';
import { SCHEDULE_WARNINGS, type Diagnostic } from '../../core/model';
import { DIAGNOSTIC_SOURCE, toVscodeDiagnostic } from '../diagnostics';
import { SCHEDULE_WARNINGS_COLLECTION, SETTINGS } from '../ids';
import { SCHEDULE_DOCUMENTS } from './documents';
import type { StaticModel } from './staticModel';

/** Warnings that depend on the clock (a one-time date passing, the next run's distance) are refreshed this often. */
const REFRESH_MS = 10 * 60_000;

const CODES = new Set(SCHEDULE_WARNINGS.map((n) => `schedule.${n}`));

export function toRange(r: SourceRange): vscode.Range {
  const line = Math.max(0, r.line - 1);
  const column = Math.max(0, r.column - 1);
  return new vscode.Range(line, column, Math.max(line, (r.endLine ?? r.line) - 1), Math.max(0, (r.endColumn ?? r.column + 1) - 1));
}

export class ScheduleWarnings implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection(SCHEDULE_WARNINGS_COLLECTION);
  private readonly byFolder = new Map<string, ScheduleWarning[]>();
  /** The files each folder's diagnostics were on, so a refresh can clear the ones now clean. */
  private readonly filesOf = new Map<string, Set<string>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly model: StaticModel, private readonly log: (message: string) => void) {
    this.disposables.push(
      model.onDidChange((folder) => void this.refresh(folder)),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SETTINGS.scheduleWarnings.key)) void this.refreshAll(); }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refreshAll()),
      // Trusted, the engine reports invalid schedules itself: ours go.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refreshAll()),
      vscode.languages.registerCodeActionsProvider(SCHEDULE_DOCUMENTS, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
    this.timer = setInterval(() => void this.refreshAll(), REFRESH_MS);
    void this.refreshAll();
  }

  /** Every folder's warnings, read again (the first call reads every folder). */
  async refreshAll(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    for (const gone of [...this.filesOf.keys()]) if (!folders.includes(gone)) this.publish(gone, []);
    await Promise.all(folders.map((f) => this.refresh(f)));
  }

  async refresh(folder: string): Promise<void> {
    try {
      const enabled = vscode.workspace.getConfiguration().get<boolean>(SETTINGS.scheduleWarnings.key, SETTINGS.scheduleWarnings.default);
      const ws = await this.model.get(folder);
      const warnings = enabled ? scheduleWarnings(ws, Date.now()) : [];
      this.publish(folder, warnings, vscode.workspace.isTrusted ? [] : scheduleErrors(ws));
    } catch (e) {
      // A file no check expected must not take the others' warnings down with it.
      this.log(`schedule warnings for ${folder}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  private publish(folder: string, warnings: ScheduleWarning[], errors: Diagnostic[] = []): void {
    const before = this.filesOf.get(folder) ?? new Set<string>();
    this.byFolder.set(folder, warnings);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const e of errors) byFile.set(e.file, [...(byFile.get(e.file) ?? []), toVscodeDiagnostic(e)]);
    for (const w of warnings) {
      const d = new vscode.Diagnostic(toRange(w.range), w.message, vscode.DiagnosticSeverity.Warning);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = w.code;
      byFile.set(w.file, [...(byFile.get(w.file) ?? []), d]);
    }
    for (const file of before) if (!byFile.has(file)) this.collection.delete(vscode.Uri.file(file));
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    this.filesOf.set(folder, new Set(byFile.keys()));
    if (!warnings.length) this.byFolder.delete(folder);
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== 'string' || !CODES.has(d.code)) continue;
      const warning = this.find(doc.uri.fsPath, d);
      for (const fix of warning?.fixes() ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = workspaceEdit(fix.edits);
        action.diagnostics = [d];
        action.isPreferred = fix.preferred;
        out.push(action);
      }
    }
    return out;
  }

  private find(file: string, d: vscode.Diagnostic): ScheduleWarning | undefined {
    for (const list of this.byFolder.values()) {
      const w = list.find((x) => x.file === file && x.code === d.code && x.message === d.message && toRange(x.range).isEqual(d.range));
      if (w) return w;
    }
    return undefined;
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
    this.collection.dispose();
  }
}

function workspaceEdit(edits: TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(vscode.Uri.file(e.file), toRange(e.range), e.newText);
  return edit;
}
