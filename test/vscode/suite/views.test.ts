// What the editor shows for a task file, through VS Code's own provider commands: the CodeLens above the
// definition, and the read-only run document.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import { CommandId } from '../../../src/extension/ids';
import { folder, getApi, waitFor, waitForRun } from './helpers';

describe('CodeLens and run documents', function () {
  this.timeout(60_000);
  let api: TaskSchedulerApi;
  const file = () => vscode.Uri.file(path.join(folder(), 'tasks/hello-world.task.ts'));
  const lenses = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file()))
    .filter((l) => l.command?.title && !l.command.title.includes('reference'));

  before(async () => {
    api = await getApi();
    await api.ready();
  });

  it('a task file has ▶ Run now · next run in words above its definition', async () => {
    const doc = await vscode.workspace.openTextDocument(file());
    const list = await waitFor('the task\'s lenses', async () => ((await lenses()).length >= 2 ? lenses() : undefined));
    const titles = list.map((l) => l.command!.title);
    assert.strictEqual(titles[0], '$(play) Run now');
    assert.match(titles[1], /^next in \d+ (s|min) · Every 10 minutes/);
    const defineLine = doc.getText().split('\n').findIndex((l) => l.includes('defineTask('));
    assert.strictEqual(list[0].range.start.line, defineLine);
    assert.strictEqual(list[0].command!.command, CommandId.RunNow);
    assert.deepStrictEqual(list[0].command!.arguments, [{ taskId: 'tasks/hello-world', folder: folder() }]);
  });

  it('after a run, the last result lens opens that run', async () => {
    const runId = await api.runNow('tasks/hello-world');
    await waitForRun(api, runId);
    // The lens of this run: an earlier run's lens can still be up for a moment after the run ends.
    const last = await waitFor('the last-result lens of this run', async () => (await lenses())
      .find((l) => /^last ✓/.test(l.command!.title) && (l.command!.arguments?.[0] as { runId?: string } | undefined)?.runId === runId));
    assert.strictEqual(last.command!.command, CommandId.ShowRunOutput);
    const uri = await vscode.commands.executeCommand<vscode.Uri>(last.command!.command, ...(last.command!.arguments ?? []));
    assert.ok(uri?.path.endsWith(`/${runId}.log`), String(uri));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a run document that names no run, or a run that is gone, says so instead of failing', async () => {
    const gone = vscode.Uri.from({ scheme: 'task-scheduler-run', path: '/tasks/x/nope.log', query: new URLSearchParams({ folder: folder(), run: 'nope' }).toString() });
    assert.match((await vscode.workspace.openTextDocument(gone)).getText(), /not in the history/);
    const bad = vscode.Uri.from({ scheme: 'task-scheduler-run', path: '/x.log' });
    assert.match((await vscode.workspace.openTextDocument(bad)).getText(), /Not a run of Task Scheduler/);
  });
});
