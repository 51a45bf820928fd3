// The dashboard feature's one entry: the Show Dashboard command and the serializer that brings the
// panel back after a reload. extension.ts calls registerDashboard and keeps what it returns.
import * as vscode from 'vscode';
import { CommandId, DASHBOARD_FILTERS_KEY, DASHBOARD_VIEW_TYPE } from '../ids';
import type { Workspaces } from '../workspaces';
import { DashboardPanel, type PanelSlot } from './panel';
import { parseFilters, type DashboardFilters } from './protocol';

export function registerDashboard(context: vscode.ExtensionContext, workspaces: Workspaces, log?: (message: string) => void): vscode.Disposable[] {
  const slot: PanelSlot = {};
  const deps = {
    extensionUri: context.extensionUri, workspaces, log,
    filters: {
      get: () => parseFilters(context.workspaceState.get(DASHBOARD_FILTERS_KEY)),
      set: (f: DashboardFilters) => context.workspaceState.update(DASHBOARD_FILTERS_KEY, f),
    },
  };
  return [
    vscode.commands.registerCommand(CommandId.ShowDashboard, () => { DashboardPanel.createOrShow(slot, deps); }),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      // The page keeps its own filters and scroll (webview state; the host has a copy of the filters).
      deserializeWebviewPanel: async (panel) => { DashboardPanel.revive(panel, slot, deps); },
    }),
    { dispose: () => slot.current?.dispose() },
  ];
}
