// The executor lease (ports.ts `Lease`): one process per workspace executes tasks, the rest watch.
export { createLease, leaseOwner, parseOwnerId, HEARTBEAT_MS, LEASE_FILE, LOCK_STALE_MS, TTL_MS, type LeaseOptions } from './lease';
export { readLeaseFile, type LeaseFs, type LeaseRecord } from './leaseFile';
export { leaseTimingsFromEnv } from './timingsFromEnv';
