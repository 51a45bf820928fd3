// Retry arithmetic, pure: which outcomes count as failures and how long to wait before attempt n+1.
import type { RetryPolicy, RunStatus } from '../model';

/**
 * Outcomes that use up an attempt. `interrupted` counts: the run may have done half its work and the
 * policy the user chose for a crash is the one for a failure. `cancelled` and `skipped` do not: a
 * person or a predicate decided the run should not happen.
 */
export function isFailure(status: RunStatus): boolean {
  return status === 'failed' || status === 'timed-out' || status === 'interrupted';
}

/**
 * Jitter keeps this fraction of the delay and randomises the rest ("equal jitter"): retries of tasks
 * that failed together spread out, yet each wait is at least half the nominal one so backoff still grows.
 */
export const JITTER_KEEP = 0.5;

/**
 * The wait before the `retryNumber`-th retry (1 = the first retry, i.e. attempt 2):
 * fixed = delay, linear = delay × n, exponential = delay × 2^(n−1); capped by maxDelay, then jittered
 * to [JITTER_KEEP, 1] × that. `random` is in [0, 1).
 */
export function retryDelay(policy: RetryPolicy, retryNumber: number, random: () => number): number {
  const n = Math.max(1, retryNumber);
  let delay: number;
  switch (policy.backoff) {
    case 'fixed': delay = policy.delay; break;
    case 'linear': delay = policy.delay * n; break;
    case 'exponential': delay = policy.delay * 2 ** (n - 1); break;
  }
  if (policy.maxDelay > 0) delay = Math.min(delay, policy.maxDelay);
  if (policy.jitter) delay = delay * (JITTER_KEEP + (1 - JITTER_KEEP) * random());
  return Math.max(0, Math.round(delay));
}

/** A job's own retry settings (from `ctx.enqueue`) over the task's. */
export function mergeRetryPolicy(base: RetryPolicy, override?: Partial<RetryPolicy>): RetryPolicy {
  if (!override) return base;
  const out = { ...base };
  for (const [key, value] of Object.entries(override) as Array<[keyof RetryPolicy, unknown]>) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
