// The cluster chunk (dist/cluster.js): loaded only when a store is configured, by ../clusterChunk.ts, which
// binds it to the caller's engine (host.ts) so the chunk carries none of its own.
import type { ClusterHost } from './host';
import { ClusterService, type ClusterServiceOptions } from './service';
import { StoreError } from './errors';
import { redact, describeUrl } from './redact';
import { clusterTimingsFromEnv, DEFAULT_TIMINGS } from './timings';
import { SCHEMA, SCHEMA_VERSION } from './schema';
import { ClusterWindow } from './window';
import type { ClusterWindowOptions } from './windowTypes';
import { Connections, SharedConnection } from './connection';
import { CredentialsProblem, resolveWindowUrl, secretKeys } from './credentials';
import { MEMBERS_POLL_MS } from './watch';

export { ClusterService, type ClusterServiceOptions, type ClusterStatus, type MemberStatus, type StoreSettings } from './service';
export type { ClusterHost } from './host';
export type { ClusterTimings } from './timings';
// A VS Code window's view of a cluster (and, when asked, its membership): src/extension/clusterFolders.ts.
export type { ClusterInfo, ClusterStatus as ClusterLinkStatus, ClusterWindowOptions } from './windowTypes';
export type { ClusterWindow } from './window';
export type { LinkState } from './connection';
export type { CredentialSources, CredentialsNeed } from './credentials';
export type { MemberView, MemberState } from './watch';

/** What the callers use: the module, its ClusterService taking the same options minus the host. */
export function withHost(host: ClusterHost) {
  class HostedClusterService extends ClusterService {
    constructor(options: Omit<ClusterServiceOptions, 'host'>) {
      super({ ...options, host });
    }
  }
  class HostedClusterWindow extends ClusterWindow {
    constructor(options: Omit<ClusterWindowOptions, 'host'>) {
      super({ ...options, host });
    }
  }
  return {
    ClusterService: HostedClusterService, StoreError, redact, describeUrl, clusterTimingsFromEnv, DEFAULT_TIMINGS, SCHEMA, SCHEMA_VERSION,
    ClusterWindow: HostedClusterWindow, Connections, SharedConnection, CredentialsProblem, resolveWindowUrl, secretKeys, MEMBERS_POLL_MS,
  };
}
