// The dashboard feature's one entry: the Show Dashboard command and the serializer that brings the
// panel back after a reload. extension.ts calls registerDashboard and keeps what it returns.
import * as vscode from 'vscode';
import { CommandId, DASHBOARD_VIEW_TYPE } from '../ids';
import type { Workspaces } from '../workspaces';
import { DashboardPanel, type PanelSlot } from './panel';

export function registerDashboard(context: vscode.ExtensionContext, workspaces: Workspaces, log?: (message: string) => void): vscode.Disposable[] {
  const slot: PanelSlot = {};
  const deps = { extensionUri: context.extensionUri, workspaces, log };
  return [
    vscode.commands.registerCommand(CommandId.ShowDashboard, () => { DashboardPanel.createOrShow(slot, deps); }),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      // The page keeps its own filters and scroll (webview state): the panel only needs to exist again.
      deserializeWebviewPanel: async (panel) => { DashboardPanel.revive(panel, slot, deps); },
    }),
    { dispose: () => slot.current?.dispose() },
  ];
}
