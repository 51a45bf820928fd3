// Commands about a cluster folder: Join Cluster / Leave Cluster (this window as a member, for this
// session), and Set Database Password… (kept in VS Code's SecretStorage, never in a setting or a file).
import * as path from 'path';
import * as vscode from 'vscode';
import { loadCluster } from '../../core/clusterChunk';
import type { ClusterWindow } from '../../core/cluster/window';
import { clusterOf } from '../folderService';
import { settled, type CommandDeps } from './deps';

/** The cluster folders (those matching `filter`): the one named, the only one, or picked. */
async function pickCluster(deps: CommandDeps, folder: unknown, title: string, filter: (c: ClusterWindow) => boolean): Promise<ClusterWindow | undefined> {
  await settled(deps);
  const all = deps.workspaces.list().map(clusterOf).filter((c): c is ClusterWindow => !!c);
  if (typeof folder === 'string') {
    const named = all.find((c) => c.folder === folder);
    if (!named) throw new Error(`${folder} is not an open folder whose .scheduler.yaml names a store`);
    return named;
  }
  const fit = all.filter(filter);
  if (!fit.length) {
    void vscode.window.showInformationMessage(all.length ? `Task Scheduler: no cluster to ${title.toLowerCase()}.`
      : 'Task Scheduler: no folder of this window names a store (store: in .scheduler.yaml), so there is no cluster.');
    return undefined;
  }
  if (fit.length === 1) return fit[0];
  const picked = await vscode.window.showQuickPick(fit.map((c) => ({ label: path.basename(c.folder), description: `cluster "${c.info().cluster}"`, c })),
    { title: `Task Scheduler: ${title}`, placeHolder: 'Which folder\'s cluster' });
  return picked?.c;
}

/** Makes this window a member of the folder's cluster for this session. Returns the member's id. */
export async function joinCluster(deps: CommandDeps, folder?: string): Promise<string | undefined> {
  const cluster = await pickCluster(deps, folder, 'Join Cluster', (c) => !c.info().joined);
  if (!cluster) return undefined;
  await cluster.join();
  const info = cluster.info();
  deps.log.info(`joined cluster "${info.cluster}" as ${info.memberId}`);
  await deps.store.refresh(cluster.folder);
  void vscode.window.showInformationMessage(info.memberRole === 'executor'
    ? `Task Scheduler: this window is a member of cluster "${info.cluster}" and runs its tasks too, until you leave or close it.`
    : `Task Scheduler: this window joined cluster "${info.cluster}" but stands by: its task files differ from those the cluster runs${info.differing.length ? ` (${info.differing.join(', ')})` : ''}.`);
  return info.memberId;
}

/** Stops being a member: runs here are cancelled and recorded, the others take over at once. */
export async function leaveCluster(deps: CommandDeps, folder?: string): Promise<boolean> {
  const cluster = await pickCluster(deps, folder, 'Leave Cluster', (c) => c.info().joined);
  if (!cluster) return false;
  await cluster.leave();
  deps.log.info(`left cluster "${cluster.info().cluster}"`);
  await deps.store.refresh(cluster.folder);
  return true;
}

/**
 * Keeps the database password (or, when VS Code was started without the variable `store.url` names, the
 * whole URL) in SecretStorage and connects again. `value` skips the question (scripts and tests); an
 * empty value forgets what was kept.
 */
export async function setDatabasePassword(deps: CommandDeps, folder?: string, value?: string): Promise<boolean> {
  const cluster = await pickCluster(deps, folder, 'Set Database Password', () => true);
  if (!cluster) return false;
  const info = cluster.info();
  const need = info.need;
  const { secretKeys } = loadCluster(); // loaded already: this folder's window is the chunk's
  let key: string;
  let prompt: string;
  if (need?.kind === 'env') {
    key = secretKeys.env(need.name);
    prompt = `${need.name} is not set in VS Code's environment: the database URL to use for it (postgres://user:password@host:5432/database), kept in VS Code's secret storage`;
  } else {
    const database = need?.kind === 'password' ? need.database : info.database;
    if (!database) throw new Error(`cluster "${info.cluster}": ${info.problem ?? 'its database URL is not known yet'}`);
    key = secretKeys.password(database);
    prompt = `The password for ${database}, kept in VS Code's secret storage (never in a file). Empty: forget it`;
  }
  let secret = value;
  if (secret === undefined) {
    secret = await vscode.window.showInputBox({ title: `Task Scheduler: cluster "${info.cluster}"`, prompt, password: true, ignoreFocusOut: true });
    if (secret === undefined) return false;
  }
  await deps.clusters.setSecret(key, secret);
  // Every folder on that database (or naming that variable) tries again with it.
  for (const c of deps.workspaces.list().map(clusterOf)) if (c && (c === cluster || c.info().database === info.database)) await c.reconnect();
  await deps.store.refresh();
  const now = cluster.info();
  if (now.status === 'up') void vscode.window.showInformationMessage(`Task Scheduler: connected to cluster "${now.cluster}".`);
  else if (now.problem) void vscode.window.showWarningMessage(`Task Scheduler: cluster "${now.cluster}": ${now.problem}`);
  return now.status === 'up';
}
