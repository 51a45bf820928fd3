// Live reload: task files, their imports and the config reload by themselves when saved — one write,
// no Reload command — and a removed task leaves the list while its history stays.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import { folder, getApi, waitFor, waitForRun } from './helpers';

/** A save reaches the plan within this (watcher latency, the debounce, a cached compile) on a busy machine. */
const RELOAD_WITHIN_MS = 15_000;

describe('live reload', function () {
  this.timeout(90_000);
  let api: TaskSchedulerApi;
  const ids = async () => (await api.listTasks()).map((t) => t.id);

  before(async () => {
    api = await getApi();
    await api.ready();
  });

  it('a new task file, an edit of a file it imports, and its removal each reload once, with no command', async () => {
    const dir = path.join(folder(), 'tasks/live');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'label.ts'), 'export const label = "one";\n');
    fs.writeFileSync(path.join(dir, 'watched.task.ts'),
      'import { defineTask } from "task-scheduler";\nimport { label } from "./label";\nexport default defineTask({ name: "Watched", schedule: "manual", run() { return label; } });\n');
    await waitFor('the new task', async () => (await ids()).includes('tasks/live/watched'), RELOAD_WITHIN_MS);
    const first = await waitForRun(api, await api.runNow('tasks/live/watched'));
    assert.strictEqual(first.result, 'one');
    // Only the imported helper changes: the task is rebuilt with it.
    fs.writeFileSync(path.join(dir, 'label.ts'), 'export const label = "two";\n');
    await waitFor('the rebuilt task to return the new label', async () => {
      const run = await waitForRun(api, await api.runNow('tasks/live/watched'));
      return run.result === 'two';
    }, RELOAD_WITHIN_MS);
    const runs = (await api.runs('tasks/live/watched', 50)).length;
    fs.rmSync(dir, { recursive: true, force: true });
    await waitFor('the removed task to leave the list', async () => !(await ids()).includes('tasks/live/watched'), RELOAD_WITHIN_MS);
    assert.strictEqual((await api.runs('tasks/live/watched', 50)).length, runs, 'a removed task keeps its history');
  });
});
