// dependsOn: dependents run when their dependencies end with the required outcome, in waves.
import * as assert from 'assert';
import { DependencyGraph, Waves } from '../../src/core/engine/dependencies';
import type { Dependency } from '../../src/core/model';
import { every, manualSchedule } from './helpers/schedules';
import { MINUTE, setup, task } from './helpers/engine';

const on = (t: string, o: Dependency['on'] = 'success'): Dependency => ({ task: t, on: o });

describe('engine dependencies', () => {
  it('runs a dependent when its dependency succeeds (trigger dependency)', async () => {
    const h = await setup({ tasks: [task('fetch-data', every(MINUTE)), task('process', manualSchedule(), { dependsOn: [on('fetch-data')] })] });
    await h.clock.advance(MINUTE);
    h.exec.last('fetch-data').succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.runs.map((r) => `${r.taskId}:${r.request.trigger}`), ['fetch-data:schedule', 'process:dependency']);
  });

  it('records the dependent skipped, with the reason, when the dependency fails', async () => {
    const h = await setup({ tasks: [task('fetch-data', every(MINUTE)), task('process', manualSchedule(), { dependsOn: [on('fetch-data')] })] });
    await h.clock.advance(MINUTE);
    h.exec.last('fetch-data').fail();
    await h.settle();
    const [row] = await h.rows('process');
    assert.deepStrictEqual([row.trigger, row.status, row.error], ['dependency', 'skipped', 'dependency fetch-data failed']);
    assert.strictEqual(h.exec.runs.length, 1);
  });

  it('on: failure runs only after a failure; on: completion after either', async () => {
    const h = await setup({
      tasks: [
        task('job', manualSchedule()),
        task('alert', manualSchedule(), { dependsOn: [on('job', 'failure')] }),
        task('cleanup', manualSchedule(), { dependsOn: [on('job', 'completion')] }),
      ],
    });
    h.engine.runNow('job');
    h.exec.last('job').succeed();
    await h.settle();
    h.exec.last('cleanup').succeed();
    await h.settle();
    h.engine.runNow('job');
    h.exec.last('job').timeOut();
    await h.settle();
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['job', 'cleanup', 'job', 'alert', 'cleanup']);
    const [skipped] = await h.rows('alert');
    assert.deepStrictEqual([skipped.status, skipped.error], ['skipped', 'dependency job succeeded (runs only on its failure)']);
  });

  it('Run Now of a root runs the whole chain in order', async () => {
    const h = await setup({
      tasks: [
        task('a', manualSchedule()), task('b', manualSchedule(), { dependsOn: [on('a')] }), task('c', manualSchedule(), { dependsOn: [on('b')] }),
      ],
    });
    h.engine.runNow('a');
    for (let i = 0; i < 3; i++) { h.exec.running().forEach((r) => r.succeed()); await h.settle(); }
    assert.deepStrictEqual(h.exec.runs.map((r) => `${r.taskId}:${r.request.trigger}`), ['a:manual', 'b:dependency', 'c:dependency']);
  });

  it('with several dependencies in the wave, fires once after all of them, only if all are met', async () => {
    const tasks = [
      task('root', manualSchedule()),
      task('left', manualSchedule(), { dependsOn: [on('root')] }),
      task('right', manualSchedule(), { dependsOn: [on('root')] }),
      task('join', manualSchedule(), { dependsOn: [on('left'), on('right')] }),
    ];
    const h = await setup({ tasks });
    h.engine.runNow('root');
    h.exec.last('root').succeed();
    await h.settle();
    h.exec.last('left').succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.running().map((r) => r.taskId), ['right'], 'join waits for right');
    h.exec.last('right').succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['root', 'left', 'right', 'join']);

    h.engine.runNow('root');
    h.exec.last('root').succeed();
    await h.settle();
    h.exec.last('left').succeed();
    h.exec.last('right').fail();
    await h.settle();
    const join = (await h.rows('join')).pop()!;
    assert.deepStrictEqual([join.status, join.error], ['skipped', 'dependency right failed']);
    assert.strictEqual(h.exec.runs.filter((r) => r.taskId === 'join').length, 1);
  });

  it('does not wait for a dependency outside the wave', async () => {
    const h = await setup({
      tasks: [task('a', manualSchedule()), task('other', manualSchedule()), task('d', manualSchedule(), { dependsOn: [on('a'), on('other')] })],
    });
    h.engine.runNow('a');
    h.exec.last('a').succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['a', 'd']);
  });

  it('skips what follows a skipped dependent, naming it', async () => {
    const h = await setup({
      tasks: [task('a', manualSchedule()), task('b', manualSchedule(), { dependsOn: [on('a')] }), task('c', manualSchedule(), { dependsOn: [on('b')] })],
    });
    h.engine.runNow('a');
    h.exec.last('a').fail();
    await h.settle();
    assert.deepStrictEqual((await h.rows('c')).map((r) => r.error), ['dependency b was skipped']);
  });

  it('waits for the dependency\'s retries before deciding', async () => {
    const h = await setup({
      tasks: [
        task('a', manualSchedule(), { retries: { max: 1, backoff: 'fixed', delay: MINUTE, maxDelay: 0, jitter: false } }),
        task('b', manualSchedule(), { dependsOn: [on('a')] }),
      ],
    });
    h.engine.runNow('a');
    h.exec.last('a').fail();
    await h.settle();
    assert.deepStrictEqual(await h.rows('b'), []);
    await h.clock.advance(MINUTE);
    h.exec.last('a').succeed();
    await h.settle();
    assert.deepStrictEqual(h.exec.runs.map((r) => `${r.taskId}:${r.request.trigger}`), ['a:manual', 'a:retry', 'b:dependency']);
  });

  it('a paused dependent does not run; what depends on it is skipped', async () => {
    const h = await setup({
      tasks: [task('a', manualSchedule()), task('b', manualSchedule(), { dependsOn: [on('a')] }), task('c', manualSchedule(), { dependsOn: [on('b')] })],
    });
    h.engine.pause('b');
    h.engine.runNow('a');
    h.exec.last('a').succeed();
    await h.settle();
    assert.deepStrictEqual(await h.rows('b'), []);
    assert.deepStrictEqual((await h.rows('c')).map((r) => r.error), ['dependency b did not run']);
  });

  it('never loops on a cycle that slipped past validation', async () => {
    const h = await setup({
      tasks: [task('x', manualSchedule(), { dependsOn: [on('y')] }), task('y', manualSchedule(), { dependsOn: [on('x')] })],
    });
    h.engine.runNow('x');
    for (let i = 0; i < 5; i++) { h.exec.running().forEach((r) => r.succeed()); await h.settle(); }
    assert.deepStrictEqual(h.exec.runs.map((r) => r.taskId), ['x', 'y']);
  });

  it('Waves decide each dependent once per wave', () => {
    const graph = new DependencyGraph(new Map([['b', [on('a')]], ['c', [on('a'), on('b')]]]));
    const waves = new Waves(() => graph);
    assert.strictEqual(waves.start('c'), undefined, 'nothing depends on c');
    const w = waves.start('a')!;
    assert.deepStrictEqual(waves.finished(w, 'a', 'succeeded'), [{ taskId: 'b', fire: true }]);
    assert.deepStrictEqual(waves.finished(w, 'b', 'succeeded'), [{ taskId: 'c', fire: true }]);
    assert.deepStrictEqual(waves.finished(w, 'b', 'succeeded'), []);
  });
});
