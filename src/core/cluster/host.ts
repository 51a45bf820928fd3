// What the cluster takes from the process that loads it: the engine, the executor, the planner. The
// caller's bundle already holds them (the CLI's, the extension's), so dist/cluster.js does not carry a
// second copy (≈ 650 kB) and both sides use one engine — one set of classes, one esbuild service.
// clusterChunk.ts passes them in; nothing here is imported as a value.
import type { systemClock } from '../clock';
import type { Scheduler } from '../engine';
import type { portableDefinition } from '../engine/taskState';
import type { createProcessExecutor } from '../exec/processExecutor';
import type { leaseOwner, parseOwnerId } from '../lease';
import type { workspaceDataDir } from '../paths';
import type { planWorkspace } from '../workspace/plan';
import type { taskFileLoader } from '../workspace/runtime';

export interface ClusterHost {
  systemClock: typeof systemClock;
  Scheduler: typeof Scheduler;
  createProcessExecutor: typeof createProcessExecutor;
  leaseOwner: typeof leaseOwner;
  parseOwnerId: typeof parseOwnerId;
  workspaceDataDir: typeof workspaceDataDir;
  planWorkspace: typeof planWorkspace;
  taskFileLoader: typeof taskFileLoader;
  portableDefinition: typeof portableDefinition;
}
