// The lease timings knob both the CLI and the extension read (the chaos battery shortens takeovers with it).
import * as assert from 'assert';
import { leaseTimingsFromEnv } from '../../src/core/lease/timingsFromEnv';

describe('leaseTimingsFromEnv', () => {
  it('is undefined (the defaults) when neither variable is set', () => {
    assert.strictEqual(leaseTimingsFromEnv({}), undefined);
  });

  it('reads both and derives a lock staleness below the TTL', () => {
    assert.deepStrictEqual(leaseTimingsFromEnv({ TASK_SCHEDULER_LEASE_HEARTBEAT_MS: '500', TASK_SCHEDULER_LEASE_TTL_MS: '2000' }),
      { heartbeatMs: 500, ttlMs: 2000, lockStaleMs: 1500 });
  });

  it('ignores values that are not positive numbers', () => {
    assert.strictEqual(leaseTimingsFromEnv({ TASK_SCHEDULER_LEASE_HEARTBEAT_MS: 'soon', TASK_SCHEDULER_LEASE_TTL_MS: '-5' }), undefined);
    assert.deepStrictEqual(leaseTimingsFromEnv({ TASK_SCHEDULER_LEASE_TTL_MS: '3000' }), { heartbeatMs: undefined, ttlMs: 3000, lockStaleMs: undefined });
  });
});
