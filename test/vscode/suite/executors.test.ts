// The VS Code task kinds, run in the extension host: a `vscodeCommand` job and `vscodeTask` jobs
// (a tasks.json task by its label, its exit code deciding the outcome).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import { folder, getApi, waitFor, waitForRun } from './helpers';

const TASKS_JSON = {
  version: '2.0.0',
  tasks: [
    { label: 'ts-test-ok', type: 'shell', command: 'echo scheduled > vscode-task-ran.txt', presentation: { reveal: 'never' } },
    { label: 'ts-test-exit-3', type: 'shell', command: 'exit 3', presentation: { reveal: 'never' } },
  ],
};

const JOBS = `
  ts-command-fails:
    vscodeCommand: taskScheduler.noSuchCommand
    schedule: manual
  ts-task-ok:
    vscodeTask: ts-test-ok
    schedule: manual
  ts-task-exit-3:
    vscodeTask: ts-test-exit-3
    schedule: manual
  ts-task-missing:
    vscodeTask: no-such-label
    schedule: manual
`;

describe('VS Code executors', function () {
  this.timeout(90_000);
  let api: TaskSchedulerApi;
  let config: string;
  let saved: string;

  before(async () => {
    api = await getApi();
    await api.ready();
    fs.mkdirSync(path.join(folder(), '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(folder(), '.vscode/tasks.json'), JSON.stringify(TASKS_JSON, null, 2));
    // The workbench reads tasks.json through its file watcher: a user's is there long before a run.
    await waitFor('VS Code to read the new tasks.json', async () => (await vscode.tasks.fetchTasks()).some((t) => t.name === 'ts-test-exit-3'), 30_000);
    config = path.join(folder(), '.scheduler.yaml');
    saved = fs.readFileSync(config, 'utf8');
    assert.match(saved, /^jobs:\n/m);
    fs.writeFileSync(config, saved.replace(/^jobs:\n/m, `jobs:\n${JOBS.slice(1)}`));
    await waitFor('the test jobs', async () => (await api.listTasks()).filter((t) => t.id.startsWith('ts-')).length === 4, 30_000);
  });

  after(async () => {
    fs.writeFileSync(config, saved);
    await waitFor('the test jobs to go', async () => !(await api.listTasks()).some((t) => t.id.startsWith('ts-')), 30_000);
  });

  it('vscodeCommand: the example save-all job runs its command and succeeds', async () => {
    const run = await waitForRun(api, await api.runNow('save-all'));
    assert.strictEqual(run.status, 'succeeded', run.error);
  });

  it('vscodeCommand: a command that does not exist fails with the reason', async () => {
    const run = await waitForRun(api, await api.runNow('ts-command-fails'));
    assert.strictEqual(run.status, 'failed');
    assert.match(run.error ?? '', /taskScheduler\.noSuchCommand/);
  });

  it('vscodeTask: a tasks.json task runs to its end and exit code 0 succeeds', async () => {
    const marker = path.join(folder(), 'vscode-task-ran.txt');
    fs.rmSync(marker, { force: true });
    const run = await waitForRun(api, await api.runNow('ts-task-ok'), 60_000);
    assert.strictEqual(run.status, 'succeeded', run.error);
    assert.strictEqual(run.exitCode, 0);
    assert.ok(fs.existsSync(marker), 'the task did not run');
    fs.rmSync(marker, { force: true });
  });

  it('vscodeTask: a non-zero exit code fails with that code', async () => {
    const run = await waitForRun(api, await api.runNow('ts-task-exit-3'), 60_000);
    assert.strictEqual(run.status, 'failed');
    assert.strictEqual(run.exitCode, 3);
    assert.match(run.error ?? '', /exited with code 3/);
  });

  it('vscodeTask: a label no task has fails and says so', async () => {
    const run = await waitForRun(api, await api.runNow('ts-task-missing'));
    assert.strictEqual(run.status, 'failed');
    assert.match(run.error ?? '', /no task labelled "no-such-label"/);
  });
});
