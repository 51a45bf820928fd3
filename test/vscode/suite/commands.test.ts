// Every command through executeCommand, as scripts (and CodeLens, the tree, notifications) call them:
// with the task as an argument, so no quick pick needs answering.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import { CommandId } from '../../../src/extension/ids';
import { folder, getApi, removeAndWait, sleep, waitFor, waitForRun, writeAndWait } from './helpers';

const run = <T>(id: CommandId, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);

const SLOW = `import { defineTask } from "task-scheduler";
export default defineTask({
  name: "Slow",
  schedule: "manual",
  timeout: "2m",
  run(ctx) {
    ctx.log("slow starts");
    return new Promise((resolve) => { const t = setTimeout(resolve, 60_000); ctx.signal.addEventListener("abort", () => { clearTimeout(t); resolve("aborted"); }); });
  },
});
`;
const FAILS = `import { defineTask } from "task-scheduler";
export default defineTask({
  name: "Always fails",
  schedule: "manual",
  retries: { max: 2, backoff: "fixed", delay: "1h", jitter: false },
  run() { throw new Error("broken on purpose"); },
});
`;

describe('commands', function () {
  this.timeout(90_000);
  let api: TaskSchedulerApi;
  const task = async (id: string) => (await api.listTasks()).find((t) => t.id === id);

  before(async () => {
    api = await getApi();
    await api.ready();
    await writeAndWait(api, 'tasks/test/slow.task.ts', SLOW, 'the slow task', (ts) => ts.some((t) => t.id === 'tasks/test/slow' && t.state !== 'invalid'));
    await writeAndWait(api, 'tasks/test/fails.task.ts', FAILS, 'the failing task', (ts) => ts.some((t) => t.id === 'tasks/test/fails' && t.state !== 'invalid'));
  });

  after(async () => {
    await removeAndWait(api, 'tasks/test/slow.task.ts', 'tasks/test/slow');
    await removeAndWait(api, 'tasks/test/fails.task.ts', 'tasks/test/fails');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Run Task Now with a task id runs it and returns the run id', async () => {
    const runId = await run<string>(CommandId.RunNow, 'tasks/hello-world');
    assert.ok(runId, 'no run id');
    assert.strictEqual((await waitForRun(api, runId)).status, 'succeeded');
  });

  it('Run Task Now takes { taskId, folder } (CodeLens, notifications) as well', async () => {
    const runId = await run<string>(CommandId.RunNow, { taskId: 'tasks/hello-world', folder: folder() });
    assert.strictEqual((await waitForRun(api, runId!)).status, 'succeeded');
  });

  it('Run Task Now with an unknown id runs nothing and resolves to undefined', async () => {
    const before = (await api.runs('tasks/hello-world', 100)).length;
    assert.strictEqual(await run(CommandId.RunNow, 'tasks/nope'), undefined);
    assert.strictEqual((await api.runs('tasks/hello-world', 100)).length, before);
  });

  it('Run with Parameters… runs with valid JSON and refuses invalid JSON before anything runs', async () => {
    const runId = await run<string>(CommandId.RunWithParams, 'tasks/hello-world', '{"who": "palette", "n": 2}');
    assert.deepStrictEqual((await waitForRun(api, runId!)).params, { who: 'palette', n: 2 });
    const count = (await api.runs('tasks/hello-world', 100)).length;
    assert.strictEqual(await run(CommandId.RunWithParams, 'tasks/hello-world', '{"who": }'), undefined);
    assert.strictEqual(await run(CommandId.RunWithParams, 'tasks/hello-world', '[1, 2]'), undefined);
    await sleep(300);
    assert.strictEqual((await api.runs('tasks/hello-world', 100)).length, count, 'a run started with invalid parameters');
  });

  it('Pause Task and Resume Task pause and resume it (no next run while paused)', async () => {
    assert.strictEqual(await run(CommandId.Pause, 'tasks/weekly-cleanup'), true);
    let t = await task('tasks/weekly-cleanup');
    assert.strictEqual(t?.state, 'paused');
    assert.strictEqual(t?.nextRun, undefined);
    assert.strictEqual(await run(CommandId.Resume, 'tasks/weekly-cleanup'), true);
    t = await task('tasks/weekly-cleanup');
    assert.strictEqual(t?.state, 'scheduled');
    assert.ok(t?.nextRun, 'a next run again');
  });

  it('Pause All and Resume All pause and resume every task', async () => {
    await run(CommandId.PauseAll);
    const paused = await api.listTasks();
    assert.deepStrictEqual(paused.filter((t) => t.state !== 'paused' && t.state !== 'invalid' && t.state !== 'running').map((t) => t.id), []);
    assert.ok(paused.every((t) => t.nextRun === undefined), 'no next run under Pause All');
    await run(CommandId.ResumeAll);
    const hello = await task('tasks/hello-world');
    assert.strictEqual(hello?.state, 'scheduled');
  });

  it('Cancel Run cancels a running task\'s run', async () => {
    const runId = await run<string>(CommandId.RunNow, 'tasks/test/slow');
    await waitFor('the slow run to start', async () => (await api.getRun(runId!))?.status === 'running', 30_000);
    assert.strictEqual((await task('tasks/test/slow'))?.state, 'running');
    assert.strictEqual(await run(CommandId.Cancel, 'tasks/test/slow'), 1);
    const ended = await waitForRun(api, runId!);
    assert.strictEqual(ended.status, 'cancelled');
  });

  it('Cancel Run takes one run as { runId, folder }', async () => {
    const runId = await run<string>(CommandId.RunNow, 'tasks/test/slow');
    await waitFor('the slow run to start', async () => (await api.getRun(runId!))?.status === 'running', 30_000);
    assert.strictEqual(await run(CommandId.Cancel, { runId, folder: folder() }), 1);
    assert.strictEqual((await waitForRun(api, runId!)).status, 'cancelled');
  });

  it('Reset Retries clears a pending retry and the failure count', async () => {
    const runId = await run<string>(CommandId.RunNow, 'tasks/test/fails');
    const failed = await waitForRun(api, runId!);
    assert.strictEqual(failed.status, 'failed');
    assert.match(failed.error ?? '', /broken on purpose/);
    const retrying = await waitFor('a retry to be scheduled', async () => {
      const t = await task('tasks/test/fails');
      return t?.state === 'retry-scheduled' ? t : undefined;
    });
    assert.ok(retrying.nextRetryAt, 'retry time');
    assert.strictEqual(await run(CommandId.ResetRetries, 'tasks/test/fails'), true);
    const reset = await task('tasks/test/fails');
    assert.strictEqual(reset?.nextRetryAt, undefined);
    assert.strictEqual(reset?.retryCount, 0);
    assert.notStrictEqual(reset?.state, 'retry-scheduled');
  });

  it('Show Run Output opens a run\'s output and result read-only', async () => {
    const runId = await run<string>(CommandId.RunNow, 'tasks/hello-world');
    await waitForRun(api, runId!);
    const uri = await run<vscode.Uri>(CommandId.ShowRunOutput, { runId, folder: folder() });
    assert.ok(uri, 'no document');
    assert.strictEqual(uri.scheme, 'task-scheduler-run');
    const doc = vscode.window.activeTextEditor?.document;
    assert.strictEqual(doc?.uri.toString(), uri.toString());
    const text = doc!.getText();
    assert.match(text, /status: +succeeded/);
    assert.match(text, /Hello from tasks\/hello-world/);
    assert.match(text, /"greeted": true/);
    // A task argument opens its newest run.
    const newest = await run<vscode.Uri>(CommandId.ShowRunOutput, 'tasks/hello-world');
    assert.ok(newest?.path.endsWith(`/${runId}.log`), newest?.toString());
  });

  it('Open Task File opens a task file, and a YAML job at its entry', async () => {
    const uri = await run<vscode.Uri>(CommandId.OpenTaskFile, 'tasks/hello-world');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(folder(), 'tasks/hello-world.task.ts'));
    assert.strictEqual(uri?.fsPath, path.join(folder(), 'tasks/hello-world.task.ts'));
    await run(CommandId.OpenTaskFile, 'disk-usage');
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(path.basename(editor.document.uri.fsPath), '.scheduler.yaml');
    assert.match(editor.document.lineAt(editor.selection.start.line).text, /^\s+disk-usage:/);
  });

  it('New Task… writes a typed task from a template, opens it, and the task appears valid', async () => {
    const uri = await run<vscode.Uri>(CommandId.NewTask, { template: 'fetch', name: 'tasks/test/new-fetch', folder: folder() });
    assert.strictEqual(uri?.fsPath, path.join(folder(), 'tasks/test/new-fetch.task.ts'));
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, uri!.fsPath);
    assert.match(fs.readFileSync(uri!.fsPath, 'utf8'), /import \{ defineTask \} from "task-scheduler"/);
    const t = await waitFor('the new task in the list', async () => (await api.listTasks()).find((x) => x.id === 'tasks/test/new-fetch'), 30_000);
    assert.notStrictEqual(t.state, 'invalid', t.stateReason);
    assert.strictEqual(t.name, 'New fetch');
    // The same name again is refused, not overwritten.
    assert.strictEqual(await run(CommandId.NewTask, { template: 'hello', name: 'tasks/test/new-fetch', folder: folder() }), undefined);
    await removeAndWait(api, 'tasks/test/new-fetch.task.ts', 'tasks/test/new-fetch');
  });

  it('Open Config opens .scheduler.yaml, and creates a commented skeleton that loads without errors when there is none', async () => {
    const config = path.join(folder(), '.scheduler.yaml');
    const uri = await run<vscode.Uri>(CommandId.OpenConfig, folder());
    assert.strictEqual(uri?.fsPath, config);
    const saved = fs.readFileSync(config, 'utf8');
    fs.renameSync(config, `${config}.saved`);
    try {
      await waitFor('the jobs to go with the config', async () => !(await api.listTasks()).some((t) => t.id === 'disk-usage'));
      const created = await run<vscode.Uri>(CommandId.OpenConfig, folder());
      assert.strictEqual(created?.fsPath, config);
      assert.match(fs.readFileSync(config, 'utf8'), /^# Task Scheduler settings/);
      await sleep(1_000); // the reload after the new file
      const tasks = await api.listTasks();
      assert.deepStrictEqual(tasks.filter((t) => t.state === 'invalid').map((t) => t.stateReason), []);
      assert.deepStrictEqual(vscode.languages.getDiagnostics(vscode.Uri.file(config)).filter((d) => d.source === 'Task Scheduler').map((d) => d.message), []);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(config, { force: true });
      fs.renameSync(`${config}.saved`, config);
      assert.strictEqual(fs.readFileSync(config, 'utf8'), saved);
    }
    await waitFor('the jobs to come back', async () => (await api.listTasks()).some((t) => t.id === 'disk-usage'));
  });

  it('Reload Tasks re-plans the folder', async () => {
    await run(CommandId.Reload);
    assert.ok((await api.listTasks()).some((t) => t.id === 'tasks/hello-world'));
  });

  it('Show Tasks… (the status bar\'s click) opens a quick pick of the tasks', async () => {
    const shown = run(CommandId.ShowTasks);
    await sleep(500);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(await shown, undefined);
  });

  it('Show Log and Take Over (this window already executes) do not fail', async () => {
    assert.strictEqual(await run(CommandId.ShowLog), undefined);
    assert.strictEqual(await run(CommandId.TakeOver), false);
  });

  it('Install Missing Package runs only the install commands Task Scheduler writes, in a terminal', async () => {
    const file = path.join(folder(), 'tasks/hello-world.task.ts');
    assert.strictEqual(await run(CommandId.InstallPackage, { command: 'rm -rf /', file }), undefined);
    assert.ok(!vscode.window.terminals.some((t) => t.name === 'Task Scheduler: install'), 'a terminal for a refused command');
    const terminal = await run<vscode.Terminal>(CommandId.InstallPackage, { command: 'npm install left-pad', file });
    try {
      assert.ok(terminal, 'no terminal');
      assert.ok(vscode.window.terminals.some((t) => t.name === 'Task Scheduler: install'), 'terminal not shown');
    } finally {
      vscode.window.terminals.filter((t) => t.name === 'Task Scheduler: install').forEach((t) => t.dispose());
    }
  });

  it('Install esbuild is there to call (the development host finds the extension\'s own esbuild, so it is hidden)', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes(CommandId.InstallEsbuild));
  });

  it('Reset Schedules… makes scheduled tasks follow from now (none is overdue in a fresh workspace; manual ones have nothing to reset)', async () => {
    const nextBefore = (await task('tasks/hello-world'))?.nextRun;
    assert.deepStrictEqual(await run(CommandId.ResetSchedules, { taskIds: 'all', overdueOnly: true }), []);
    const reset = await run<string[]>(CommandId.ResetSchedules, { taskIds: ['tasks/hello-world', 'tasks/pipeline/report'] });
    assert.deepStrictEqual(reset, ['tasks/hello-world']);
    const after = await task('tasks/hello-world');
    assert.ok(after?.nextRun && after.nextRun > Date.now(), 'a next run from now');
    assert.ok(nextBefore === undefined || after!.nextRun! <= nextBefore + 10 * 60_000, 'the next slot of the same schedule');
    // Asking, then dismissing the pick, resets nothing.
    const asked = run<string[]>(CommandId.ResetSchedules);
    await sleep(500);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.deepStrictEqual(await asked, []);
  });

  // Last: it empties the history the tests above wrote.
  it('Clear History deletes the finished runs ({ confirm: false } skips the question)', async () => {
    assert.ok((await api.runs('tasks/hello-world', 10)).length > 0, 'no runs to clear');
    const deleted = await run<number>(CommandId.ClearHistory, { confirm: false });
    assert.ok(deleted && deleted > 0, `deleted ${deleted}`);
    assert.deepStrictEqual(await api.runs('tasks/hello-world', 10), []);
  });
});
