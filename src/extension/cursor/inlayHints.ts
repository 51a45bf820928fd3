// The words after each cron string (a setting: cron strings, every schedule, or none).
import * as vscode from 'vscode';
import { HINT_MODES, scheduleHints, type HintMode } from '../../core/cursor/inlayHints';
import { SETTINGS } from '../ids';
import { documentKind } from './documents';

export class ScheduleInlayHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SETTINGS.inlayHints.key)) this.changed.fire();
  });

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const mode = vscode.workspace.getConfiguration().get<string>(SETTINGS.inlayHints.key, SETTINGS.inlayHints.default);
    const hints = scheduleHints(doc.getText(), documentKind(doc), ((HINT_MODES as readonly string[]).includes(mode) ? mode : SETTINGS.inlayHints.default) as HintMode);
    return hints.map((h) => {
      const hint = new vscode.InlayHint(doc.positionAt(h.offset), h.label);
      hint.paddingLeft = true;
      hint.tooltip = `Task Scheduler: what this schedule means (setting ${SETTINGS.inlayHints.key})`;
      return hint;
    }).filter((h) => range.contains(h.position));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
