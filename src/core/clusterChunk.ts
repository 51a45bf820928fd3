// The cluster code and its driver (pg) are a chunk of their own (esbuild.js bundles src/core/cluster
// into dist/cluster.js and leaves this require to it), so a folder without a store never loads them.
export type ClusterModule = typeof import('./cluster');

export function loadCluster(): ClusterModule {
  return require('./cluster') as ClusterModule;
}
