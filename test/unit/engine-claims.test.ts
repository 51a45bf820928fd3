// The engine under a Claims seam (several executors share the tasks): when the shared limit is full it
// asks once, not once per queued run, tells the claims which runs wait (best first), and asks again,
// best first, on a wake; a run that leaves the queue leaves the list.
import * as assert from 'assert';
import type { ClaimDecision, ClaimRequest, Claims } from '../../src/core/ports';
import { manualSchedule } from './helpers/schedules';
import { setup, task } from './helpers/engine';

class FullClaims implements Claims {
  asked: string[] = [];
  told: string[][] = [];
  full = true;
  private listeners = new Set<() => void>();
  claim(req: ClaimRequest): ClaimDecision {
    this.asked.push(req.run.taskId);
    return this.full ? { granted: false, why: 'full' } : { granted: true };
  }
  onWake(l: () => void): () => void { this.listeners.add(l); return () => this.listeners.delete(l); }
  waiting(requests: ClaimRequest[]): void { this.told.push(requests.map((r) => `${r.run.taskId}:${r.priority}`)); }
  wake(): void { for (const l of this.listeners) l(); }
}

describe('engine claims', () => {
  it('a full limit costs one question per new run and one per wake, and the waiting list is best first', async () => {
    const claims = new FullClaims();
    const h = await setup({
      claims, settings: { concurrency: 4 },
      tasks: ['bg', 'low', 'high', 'crit'].map((id, i) => task(id, manualSchedule(), { priority: (['background', 'low', 'high', 'critical'] as const)[i], overlap: 'allow' })),
    });
    for (const id of ['bg', 'low', 'high', 'crit']) h.engine.runNow(id);
    await h.settle();
    assert.deepStrictEqual(claims.asked, ['bg', 'low', 'high', 'crit'], 'each new run is asked once (it may pass where a worse one could not)');
    assert.deepStrictEqual(claims.told.at(-1), ['crit:critical', 'high:high', 'low:low', 'bg:background']);
    claims.asked = [];
    claims.wake();
    await h.settle();
    assert.deepStrictEqual(claims.asked, ['crit'], 'a wake asks the best run only while the limit stays full');
    claims.full = false;
    claims.asked = [];
    claims.wake();
    await h.settle();
    assert.deepStrictEqual(claims.asked, ['crit', 'high', 'low', 'bg']);
    assert.deepStrictEqual(h.exec.running().map((r) => r.taskId), ['crit', 'high', 'low', 'bg']);
  });

  it('a waiting run that is cancelled leaves the list', async () => {
    const claims = new FullClaims();
    const h = await setup({ claims, tasks: [task('a', manualSchedule(), { overlap: 'allow' }), task('b', manualSchedule(), { overlap: 'allow' })] });
    h.engine.runNow('a');
    h.engine.runNow('b');
    await h.settle();
    assert.deepStrictEqual(claims.told.at(-1), ['a:normal', 'b:normal']);
    h.engine.cancel('a');
    await h.settle();
    assert.deepStrictEqual(claims.told.at(-1), ['b:normal']);
    await h.engine.stop();
    assert.deepStrictEqual(claims.told.at(-1), []);
  });
});
