// Runs inside the real extension host: the extension activates quickly, offers what its manifest
// promises, and starts one scheduler per folder after activation.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import { EXTENSION_ID } from '../../../src/extension/ids';
import { waitFor } from './helpers';

interface Manifest { contributes?: { commands?: { command: string }[] } }

/** The goal for activate() itself; planning and compiling happen after it returns. */
const ACTIVATE_BUDGET_MS = 30;

describe('activation', () => {
  let ext: vscode.Extension<TaskSchedulerApi>;

  before(async () => {
    const found = vscode.extensions.getExtension<TaskSchedulerApi>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
    ext = found;
    await ext.activate();
  });

  it('activates', () => {
    assert.strictEqual(ext.isActive, true);
  });

  it(`returns from activate() within ${ACTIVATE_BUDGET_MS} ms, before any folder has started`, async () => {
    const t = ext.exports.timings();
    assert.ok(t.activateMs !== undefined && t.activateMs <= ACTIVATE_BUDGET_MS, `activate() took ${t.activateMs} ms`);
    await ext.exports.ready();
    const started = ext.exports.timings().servicesStartedMs;
    assert.ok(started !== undefined && started > t.activateMs!, `services started at ${started} ms, activate() ended at ${t.activateMs} ms`);
  });

  it('registers every command its package.json declares', async () => {
    const declared = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(declared.filter((c) => !registered.has(c)), [], 'declared but not registered');
  });

  it('times the Tasks view as drawn: every row shown from the task files, then with its history', async () => {
    await ext.exports.ready();
    await vscode.commands.executeCommand('workbench.view.extension.taskScheduler');
    const tasks = (await ext.exports.listTasks()).length;
    assert.ok(tasks > 0, 'the test workspace has tasks');
    const t = await waitFor('the timings of every row drawn with its history', () => {
      const now = ext.exports.timings();
      return now.treeHistoryMs !== undefined && now.treeTasks >= tasks ? now : undefined;
    }, 30_000);
    assert.ok(t.treePlanMs !== undefined && t.treePlanMs <= t.treeHistoryMs!, JSON.stringify(t));
  });

  it('has a workspace storage folder for its history', () => {
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the test workspace is not open');
    assert.ok(ext.exports?.storageUri, `storageUri is ${String(ext.exports?.storageUri)}`);
  });
});
