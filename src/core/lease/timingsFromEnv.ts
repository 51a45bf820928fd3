import { LOCK_STALE_MS, type LeaseOptions } from './lease';

/**
 * Lease timings from the environment (TASK_SCHEDULER_LEASE_HEARTBEAT_MS / _TTL_MS), read by the CLI and
 * the extension alike, so the failover tests and the chaos battery see a takeover in a second or two
 * instead of 15 s. Unset (or not a positive number) = the defaults.
 */
export function leaseTimingsFromEnv(env: NodeJS.ProcessEnv): Pick<LeaseOptions, 'heartbeatMs' | 'ttlMs' | 'lockStaleMs'> | undefined {
  const heartbeatMs = positive(env.TASK_SCHEDULER_LEASE_HEARTBEAT_MS);
  const ttlMs = positive(env.TASK_SCHEDULER_LEASE_TTL_MS);
  if (!heartbeatMs && !ttlMs) return undefined;
  return { heartbeatMs, ttlMs, lockStaleMs: heartbeatMs && ttlMs ? Math.max(1, Math.min(ttlMs - heartbeatMs, LOCK_STALE_MS)) : undefined };
}

function positive(text: string | undefined): number | undefined {
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
