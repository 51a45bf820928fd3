import * as vscode from 'vscode';
import { createApi, type TaskSchedulerApi } from './api';
import { ClusterFolders } from './clusterFolders';
import { registerCodeLens } from './codeLens';
import { registerCommands } from './commands';
import { registerContextKeys } from './contextKeys';
import { registerScheduleFeatures } from './cursor';
import { registerDashboard } from './dashboard';
import { registerDiagnostics } from './diagnostics';
import { EsbuildResolver, exactVersion } from './esbuild';
import { EsbuildSetup } from './esbuildSetup';
import { LOG_CHANNEL_NAME } from './ids';
import { registerNotifications } from './notifications';
import { registerRunDocuments, RunDocuments } from './runDocument';
import { Services } from './services';
import { registerStatusBar } from './statusBar';
import { TaskStore } from './taskStore';
import { Timings } from './timings';
import { registerTree } from './tree';
import { Workspaces } from './workspaces';

export type { TaskSchedulerApi } from './api';

/** What deactivate() must wait for; VS Code calls it without arguments, so activate() leaves it here. */
let stopServices: (() => Promise<void>) | undefined;

/** Registers everything and returns; the folders' services start right after (see services.ts). */
export function activate(context: vscode.ExtensionContext): TaskSchedulerApi {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  const timings = new Timings(log);
  const workspaces = new Workspaces();
  const store = new TaskStore(workspaces);
  let setup: EsbuildSetup | undefined;
  const resolver = new EsbuildResolver({
    extensionPath: context.extensionPath, globalStorage: context.globalStorageUri.fsPath, log,
    version: exactVersion(String(context.extension.packageJSON.dependencies?.esbuild ?? '')),
    onMissing: () => setup?.offer(),
    onFound: () => setup?.found(),
  });
  const clusters = new ClusterFolders(context, log);
  const services = new Services({ context, workspaces, store, esbuild: resolver, log, timings, clusters });
  setup = new EsbuildSetup(resolver, () => services.reload(), log);
  const runDocuments = new RunDocuments(workspaces);
  const { api, disposables } = createApi(context, workspaces, store, services, timings);

  context.subscriptions.push(
    log, workspaces, store, clusters, ...disposables,
    ...registerRunDocuments(runDocuments),
    ...registerTree(store, workspaces, resolver, timings),
    ...registerStatusBar(store),
    ...registerCommands({ context, workspaces, store, services, esbuild: setup, runDocuments, log, clusters }),
    ...registerCodeLens(store),
    ...registerDiagnostics(workspaces),
    ...registerNotifications(workspaces),
    ...registerContextKeys(store),
    ...registerDashboard(context, workspaces, (m) => log.info(`dashboard: ${m}`)),
    ...registerScheduleFeatures({ extensionUri: context.extensionUri, store, workspaces, log: (m) => log.warn(m) }),
    ...services.register(),
  );
  stopServices = () => services.stopAll();
  timings.activated();
  return api;
}

export async function deactivate(): Promise<void> {
  await stopServices?.();
  stopServices = undefined;
}
