// The judge of the failover checks (test/chaos/failover.ts) must see what it is there to see: a slot run
// twice, two runs of a task at once, a deposed leader starting runs, a slow takeover, a run left running.
import * as assert from 'assert';
import type { RunRecord } from '../../src/core/ports';
import { analyzeFailover, failoverOk, type LeaderEvent } from '../chaos/failover';

const S = 1_000;
let n = 0;
function run(executor: string, slot: number, startedAt: number, endedAt: number | undefined, taskId = 'tick'): RunRecord {
  return { id: `r${++n}`, taskId, trigger: 'schedule', status: endedAt === undefined ? 'running' : 'succeeded', attempt: 1,
    scheduledFor: slot, queuedAt: startedAt, startedAt, endedAt, executor };
}
const kill: LeaderEvent = { kind: 'kill', at: 10 * S, leaderId: 'h:1:a', leaderPid: 1 };

describe('failover analysis (chaos battery judge)', () => {
  const clean = [run('h:1:a', 9 * S, 9 * S, 9.1 * S), run('h:2:b', 12 * S, 12 * S, 12.1 * S)];

  it('passes a clean takeover and measures it', () => {
    const f = analyzeFailover(clean, [kill]);
    assert.deepStrictEqual({ ...f, problems: f.problems.length }, {
      ranSlots: 2, duplicates: 0, concurrent: 0, deposedStarts: 0, takeovers: [2 * S], takeoverBy: ['h:2:b'], stuck: 0, problems: 0,
    });
    assert.ok(failoverOk(f, [kill]));
  });

  it('sees a slot run twice', () => {
    const f = analyzeFailover([...clean, run('h:2:b', 9 * S, 9.5 * S, 9.6 * S)], [kill]);
    assert.strictEqual(f.duplicates, 1);
    assert.ok(!failoverOk(f, [kill]));
  });

  it('sees two runs of a task at once across executors', () => {
    const f = analyzeFailover([...clean, run('h:2:b', 13 * S, 12.05 * S, 12.2 * S)], [kill]);
    assert.strictEqual(f.concurrent, 1);
    assert.ok(!failoverOk(f, [kill]));
  });

  it('sees the killed leader start a run after its death', () => {
    const f = analyzeFailover([...clean, run('h:1:a', 11 * S, 11 * S, 11.1 * S)], [kill]);
    assert.strictEqual(f.deposedStarts, 1);
    assert.ok(!failoverOk(f, [kill]));
  });

  it('sees a takeover slower than 30 s, and none at all', () => {
    const slow = analyzeFailover([run('h:1:a', 9 * S, 9 * S, 9.1 * S), run('h:2:b', 45 * S, 45 * S, 45.1 * S)], [kill]);
    assert.deepStrictEqual(slow.takeovers, [35 * S]);
    assert.ok(!failoverOk(slow, [kill]));
    const none = analyzeFailover([run('h:1:a', 9 * S, 9 * S, 9.1 * S)], [kill]);
    assert.ok(!failoverOk(none, [kill]));
  });

  it('sees a run left running', () => {
    const f = analyzeFailover([...clean, run('h:2:b', 14 * S, 14 * S, undefined, 'other')], [kill]);
    assert.strictEqual(f.stuck, 1);
    assert.ok(!failoverOk(f, [kill]));
  });
});
