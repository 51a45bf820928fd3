// The cluster chunk (dist/cluster.js): loaded only when a store is configured (see ../clusterChunk.ts).
export { ClusterService, type ClusterServiceOptions, type ClusterStatus, type MemberStatus, type StoreSettings } from './service';
export { StoreError } from './errors';
export { redact, describeUrl } from './redact';
export { clusterTimingsFromEnv, DEFAULT_TIMINGS, type ClusterTimings } from './timings';
export { SCHEMA, SCHEMA_VERSION } from './schema';
// A VS Code window's view of a cluster (and, when asked, its membership): src/extension/clusterFolders.ts.
export { ClusterWindow, type ClusterInfo, type ClusterStatus as ClusterLinkStatus, type ClusterWindowOptions } from './window';
export { Connections, SharedConnection, type LinkState } from './connection';
export { secretKeys, resolveWindowUrl, CredentialsProblem, type CredentialSources, type CredentialsNeed } from './credentials';
export { MEMBERS_POLL_MS, type MemberView, type MemberState } from './watch';
