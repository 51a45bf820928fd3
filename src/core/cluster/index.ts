// The cluster chunk (dist/cluster.js): loaded only when a store is configured (see ../clusterChunk.ts).
export { ClusterService, type ClusterServiceOptions, type ClusterStatus, type MemberStatus, type StoreSettings } from './service';
export { StoreError } from './errors';
export { redact, describeUrl } from './redact';
export { clusterTimingsFromEnv, DEFAULT_TIMINGS, type ClusterTimings } from './timings';
export { SCHEMA, SCHEMA_VERSION } from './schema';
