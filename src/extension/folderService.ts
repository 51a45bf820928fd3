// What serves one workspace folder: a WorkspaceService (this window or another process executes it, with
// its embedded history), or — when its .scheduler.yaml names a store — a ClusterWindow onto its cluster
// (src/core/cluster/window.ts, loaded only then). Views and commands take either through this type.
import type { ClusterWindow } from '../core/cluster/window';
import type { WorkspaceService } from '../core/service/workspaceService';

export type FolderService = WorkspaceService | ClusterWindow;

/** The cluster window of a folder, if it is a cluster folder. */
export function clusterOf(service: FolderService | undefined): ClusterWindow | undefined {
  return service?.kind === 'cluster' ? service : undefined;
}
