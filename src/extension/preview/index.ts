// Preview Schedules' one entry: the command (palette, the Tasks view's title, a hover's Preview link).
import * as vscode from 'vscode';
import { CommandId } from '../ids';
import { PreviewPanel, type PreviewArgs, type PreviewDeps, type PreviewSlot } from './panel';

export function registerPreview(deps: PreviewDeps): vscode.Disposable[] {
  const slot: PreviewSlot = {};
  return [
    vscode.commands.registerCommand(CommandId.PreviewSchedules, (args?: PreviewArgs) => {
      PreviewPanel.show(slot, deps, typeof args === 'object' && args !== null ? args : {});
    }),
    { dispose: () => slot.current?.dispose() },
  ];
}
