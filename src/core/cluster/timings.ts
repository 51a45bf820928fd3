// How fast the cluster notices things. Defaults meet the promises (a dead member's planned work taken
// over within 5 s, its runs retried within 10 s); tests shorten them through the environment, as the
// file lease does (lease/timingsFromEnv.ts).

export interface ClusterTimings {
  /** A member renews its heartbeat (on the database clock) and looks for dead members this often. */
  heartbeatMs: number;
  /** A member whose heartbeat is older than this is dead (frozen, cut off) even with its session open. */
  ttlMs: number;
  /** Fallback for a lost notification: state, pending jobs and actions are read at least this often. */
  pollMs: number;
}

export const DEFAULT_TIMINGS: ClusterTimings = {
  heartbeatMs: 1_000,
  // 4 heartbeats: a GC pause or a slow query does not kill a member; a frozen one is out within 5 s.
  ttlMs: 4_000,
  pollMs: 2_000,
};

export function clusterTimingsFromEnv(env: NodeJS.ProcessEnv): ClusterTimings {
  const n = (v: string | undefined) => { const x = Number(v); return Number.isFinite(x) && x > 0 ? x : undefined; };
  return {
    heartbeatMs: n(env.TASK_SCHEDULER_CLUSTER_HEARTBEAT_MS) ?? DEFAULT_TIMINGS.heartbeatMs,
    ttlMs: n(env.TASK_SCHEDULER_CLUSTER_TTL_MS) ?? DEFAULT_TIMINGS.ttlMs,
    pollMs: n(env.TASK_SCHEDULER_CLUSTER_POLL_MS) ?? DEFAULT_TIMINGS.pollMs,
  };
}
