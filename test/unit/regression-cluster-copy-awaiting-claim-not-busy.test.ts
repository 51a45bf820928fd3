// Regression (found by the cluster chaos check): every member queues a copy of every slot and asks the
// claims for it; a later-ranked member asks a little later. A copy whose claim was still out counted as
// "previous run still queued", so the next slot of an every-second task was skipped on that member and
// its `skipped` record, written first, could beat the member that was to run it: a slot recorded skipped
// while nothing of the task ran anywhere. Overlap across members is the claim's to decide.
import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { Scheduler } from '../../src/core/engine/scheduler';
import type { ClaimDecision, ClaimRequest, Claims } from '../../src/core/ports';
import { FakeExecutor } from './helpers/fakeExecutor';
import { MemoryHistory } from './helpers/memoryHistory';
import { every } from './helpers/schedules';
import { SECOND, summary, task } from './helpers/engine';

/** Claims answered by the test. */
class HeldClaims implements Claims {
  readonly asked: Array<{ req: ClaimRequest; answer: (d: ClaimDecision) => void }> = [];
  claim(req: ClaimRequest): Promise<ClaimDecision> {
    return new Promise((answer) => this.asked.push({ req, answer }));
  }
  onWake(): () => void { return () => undefined; }
}

describe('regression: a copy whose claim is out does not make the next slot busy', () => {
  it('the next slot is asked for too, not skipped; the claims decide', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    const history = new MemoryHistory();
    const exec = new FakeExecutor(clock);
    const claims = new HeldClaims();
    const engine = new Scheduler({ clock, history, executors: [exec], claims, executorId: 'member-b' });
    await engine.load({ tasks: [task('tick', every(SECOND), { overlap: 'skip' })], settings: { concurrency: 4, paused: false } });
    await engine.start();
    await clock.advance(SECOND); // 09:00:01: its claim goes out (another member runs it: the answer comes later)
    assert.strictEqual(claims.asked.length, 1);
    await clock.advance(SECOND); // 09:00:02 comes while that claim is still out
    assert.deepStrictEqual(summary((await engine.idle(), history.all('tick'))).filter((s) => s.includes('skipped')), [], 'skipped while nothing of it ran');
    assert.strictEqual(claims.asked.length, 2, 'the second slot was not asked for');
    claims.asked[0].answer({ granted: false, why: 'taken' });
    claims.asked[1].answer({ granted: true });
    await clock.advance(0);
    assert.deepStrictEqual(exec.started(), ['2026-03-02T09:00:02.000Z']);
    await engine.stop({ graceful: false });
  });
});
