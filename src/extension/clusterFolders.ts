// Cluster folders in this window: each folder whose .scheduler.yaml names a store gets a ClusterWindow
// (src/core/cluster/window.ts; the cluster chunk and its driver load only then), all of them over one
// set of connections (one per database), with passwords and URLs from VS Code's SecretStorage when the
// environment has none. Only the person's own Set Database Password… writes a secret; nothing here writes
// a setting or a file. A window joins a cluster only when asked (Join Cluster, or the setting).
import * as crypto from 'crypto';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { loadCluster } from '../core/clusterChunk';
import type { Connections } from '../core/cluster/connection';
import type { ClusterWindow } from '../core/cluster/window';
import type { LogLevel } from '../core/engine';
import type { EsbuildApi } from '../core/tasks/compile';
import type { Runtime } from '../core/workspace/runtime';
import { hostExecutors } from './hostExecutors';
import { SETTINGS } from './ids';

export interface ClusterFolderInputs {
  folder: string;
  name: string;
  runtime: Runtime;
  cacheDir: string;
  esbuild?: EsbuildApi;
  log: (level: LogLevel, message: string) => void;
}

export class ClusterFolders implements vscode.Disposable {
  private connections?: Connections;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

  /** A window onto the folder's cluster (not started). */
  create(i: ClusterFolderInputs): ClusterWindow {
    const cluster = loadCluster();
    this.connections ??= new cluster.Connections({
      // One name for the window's sessions: pg_stat_activity shows who watches.
      applicationName: `task-scheduler VS Code window ${os.hostname()} pid ${process.pid}`.slice(0, 63),
      log: (level, message) => this.log[level](`cluster: ${message}`),
    });
    const storage = (this.context.storageUri ?? this.context.globalStorageUri).fsPath;
    return new cluster.ClusterWindow({
      folder: i.folder,
      // The window's own folder (its journal when it joins): never shared with a CLI member on this machine.
      dataDir: path.join(storage, 'cluster', `${path.basename(i.folder).replace(/[^\w.-]+/g, '_')}-${hash(i.folder)}`),
      runtime: i.runtime, cacheDir: i.cacheDir, esbuild: i.esbuild, executors: hostExecutors(), log: i.log,
      ownerLabel: `VS Code window (pid ${process.pid}) on ${os.hostname()}`,
      version: String(this.context.extension.packageJSON.version ?? '0.0.0'),
      connections: this.connections,
      credentials: { env: process.env, secret: async (key) => (await this.context.secrets.get(key)) || undefined },
      timings: cluster.clusterTimingsFromEnv(process.env),
      pollMs: viewPollMs(process.env),
    });
  }

  /** The setting: join every cluster this window opens (for the session; Leave Cluster still leaves). */
  joinOnOpen(folder?: string): boolean {
    const scope = folder ? vscode.Uri.file(folder) : undefined;
    return vscode.workspace.getConfiguration(undefined, scope).get<boolean>(SETTINGS.clusterJoin.key, SETTINGS.clusterJoin.default);
  }

  /** Keeps a value in SecretStorage (empty: forgets it). */
  async setSecret(key: string, value: string): Promise<void> {
    if (value) await this.context.secrets.store(key, value);
    else await this.context.secrets.delete(key);
  }

  dispose(): void {
    void this.connections?.closeAll();
  }
}

/** No faster than this, whatever the variable says: a window must not hammer a shared database. */
const MIN_VIEW_POLL_MS = 5_000;

/**
 * TASK_SCHEDULER_CLUSTER_VIEW_POLL_MS: read the cluster on a timer instead of LISTEN/NOTIFY, for a
 * database reached through a pooler that drops LISTEN (PgBouncer in transaction mode). Unset: NOTIFY.
 */
export function viewPollMs(env: NodeJS.ProcessEnv): number | undefined {
  const ms = Number(env.TASK_SCHEDULER_CLUSTER_VIEW_POLL_MS);
  return Number.isFinite(ms) && ms > 0 ? Math.max(MIN_VIEW_POLL_MS, ms) : undefined;
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}
