// Wraps an executor so that no run starts unless this process holds the lease at that moment. A
// process suspended past its lease's expiry may wake with the engine still running before its next
// heartbeat tells it otherwise; this closes that gap (the lease re-reads its file when stale).
import type { Executor, Lease } from '../ports';

export function leaderOnly(executor: Executor, lease: Lease): Executor {
  return {
    kinds: executor.kinds,
    start(request, observer) {
      if (lease.state().leader) return executor.start(request, observer);
      const now = Date.now();
      const holder = lease.state().holder;
      return {
        cancel: () => undefined,
        done: Promise.resolve({
          status: 'cancelled', startedAt: now, endedAt: now, output: '', outputTruncated: false,
          error: `not started: this process no longer executes the workspace's tasks${holder ? ` (${holder.label} does)` : ''}`,
        }),
      };
    },
    dispose: () => executor.dispose(),
  };
}
