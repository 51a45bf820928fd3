// The cluster code and its driver (pg) are a chunk of their own (esbuild.js bundles src/core/cluster
// into dist/cluster.js and leaves this require to it), so a folder without a store never loads them.
// The chunk gets the engine from here (cluster/host.ts): the caller's bundle has it already.
import type * as Chunk from './cluster';
import { systemClock } from './clock';
import { Scheduler } from './engine';
import { portableDefinition } from './engine/taskState';
import { createProcessExecutor } from './exec/processExecutor';
import { leaseOwner, parseOwnerId } from './lease';
import { workspaceDataDir } from './paths';
import { planWorkspace } from './workspace/plan';
import { taskFileLoader } from './workspace/runtime';

export type ClusterModule = ReturnType<typeof Chunk.withHost>;

export function loadCluster(): ClusterModule {
  const chunk = require('./cluster') as typeof Chunk;
  return chunk.withHost({ systemClock, Scheduler, createProcessExecutor, leaseOwner, parseOwnerId, workspaceDataDir, planWorkspace, taskFileLoader, portableDefinition });
}
