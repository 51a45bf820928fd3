// The API other extensions get from activate(): list tasks, run one, read its runs, hear about changes.
import * as assert from 'assert';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import { folder, getApi, waitFor, waitForRun } from './helpers';

/** The examples/ tasks and YAML jobs the suite's workspace is a copy of. */
const EXAMPLES = [
  'disk-usage', 'save-all', 'tasks/daily-report', 'tasks/flaky-api-ping', 'tasks/hello-world', 'tasks/monthly-invoice',
  'tasks/pipeline/fetch-data', 'tasks/pipeline/process-data', 'tasks/pipeline/report', 'tasks/sync-twice-daily',
  'tasks/weekday-standup', 'tasks/weekly-cleanup',
];

describe('API', function () {
  this.timeout(60_000);
  let api: TaskSchedulerApi;

  before(async () => {
    api = await getApi();
    await api.ready();
  });

  it('lists every example task of the folder, valid, with a next run', async () => {
    const tasks = await api.listTasks();
    const ids = tasks.map((t) => t.id);
    for (const id of EXAMPLES) assert.ok(ids.includes(id), `${id} missing from ${ids.join(', ')}`);
    const hello = tasks.find((t) => t.id === 'tasks/hello-world')!;
    assert.strictEqual(hello.folder, folder());
    assert.strictEqual(hello.name, 'Hello world');
    assert.notStrictEqual(hello.state, 'invalid', hello.stateReason);
    assert.ok(hello.nextRun && hello.nextRun > Date.now(), `next run ${hello.nextRun}`);
    assert.ok(hello.schedule, 'the schedule in words');
    assert.deepStrictEqual(tasks.filter((t) => t.state === 'invalid').map((t) => `${t.id}: ${t.stateReason}`), []);
  });

  it('runs a task now: the run ends succeeded with its result and output, and both events fire', async () => {
    let changed = 0;
    const finished: string[] = [];
    const subs = [api.onDidChange(() => changed++), api.onDidFinishRun((e) => finished.push(e.run.id))];
    try {
      const runId = await api.runNow('tasks/hello-world');
      assert.match(runId, /\S/);
      const run = await waitForRun(api, runId);
      assert.strictEqual(run.status, 'succeeded', run.error);
      assert.strictEqual(run.trigger, 'manual');
      assert.deepStrictEqual(run.result, { greeted: true });
      assert.match(run.output ?? '', /Hello from tasks\/hello-world/);
      await waitFor('onDidFinishRun for the run', () => finished.includes(runId));
      assert.ok(changed > 0, 'onDidChange never fired');
      const runs = await api.runs('tasks/hello-world', 5);
      assert.strictEqual(runs[0].id, runId);
      const view = (await api.listTasks()).find((t) => t.id === 'tasks/hello-world')!;
      assert.strictEqual(view.lastRun?.id, runId);
    } finally {
      for (const s of subs) s.dispose();
    }
  });

  it('passes parameters to the run', async () => {
    const runId = await api.runNow('tasks/hello-world', { who: 'api' });
    const run = await waitForRun(api, runId);
    assert.deepStrictEqual(run.params, { who: 'api' });
  });

  it('rejects a task id that does not exist', async () => {
    await assert.rejects(api.runNow('tasks/no-such-task'), /no task "tasks\/no-such-task"/);
  });
});
