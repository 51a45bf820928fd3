// Found by the kill -9 battery (test/chaos/kill9.chaos.ts): `task-scheduler run` printed "✓ tick
// succeeded" for a run that a kill -9 a moment later erased from the history, because the engine
// announced `run-finished` before the run's final record was durable. It is now announced once the
// store has taken the record.
import * as assert from 'assert';
import type { RunRecord } from '../../src/core/ports';
import { setup, task } from './helpers/engine';
import { MemoryHistory } from './helpers/memoryHistory';
import { manualSchedule } from './helpers/schedules';

/** Holds back every final record until `release()`, as a slow fsync would. */
class SlowHistory extends MemoryHistory {
  private held: Array<() => void> = [];
  override async putRun(run: RunRecord): Promise<void> {
    if (run.status !== 'queued' && run.status !== 'running') await new Promise<void>((r) => this.held.push(r));
    return super.putRun(run);
  }
  release(): void { for (const r of this.held.splice(0)) r(); }
}

describe('regression: run-finished announced before the run was durable', () => {
  it('a finished run is announced only once its record is stored', async () => {
    const history = new SlowHistory();
    const h = await setup({ history, tasks: [task('t', manualSchedule())] });
    h.engine.runNow('t');
    await h.settle();
    h.exec.last().succeed();
    await h.settle();
    const finished = () => h.events.filter((e) => e.type === 'run-finished');
    assert.deepStrictEqual(finished(), [], 'announced while its record was not stored');
    assert.strictEqual(history.all('t')[0].status, 'running');
    history.release();
    await h.settle();
    assert.strictEqual(finished().length, 1);
    assert.strictEqual(history.all('t')[0].status, 'succeeded');
  });

  it('so is a run recorded without running (skipped by the overlap policy)', async () => {
    const history = new SlowHistory();
    const h = await setup({ history, tasks: [task('t', manualSchedule())] });
    h.engine.runNow('t');
    h.engine.runNow('t'); // overlap: skip
    await h.settle();
    assert.deepStrictEqual(h.events.filter((e) => e.type === 'run-finished'), []);
    history.release();
    await h.settle();
    assert.deepStrictEqual(h.events.filter((e) => e.type === 'run-finished').map((e) => e.type === 'run-finished' && e.run.status), ['skipped']);
  });
});
