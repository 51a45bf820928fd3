// Runs in the pass with Workspace Trust on and the folder not trusted (test/vscode/host.js): nothing of
// the workspace is compiled, imported or run. The copy holds tasks/sentinel.task.ts, which writes
// SENTINEL-IMPORTED when its module loads and SENTINEL-RAN when it runs (schedule "now").
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { SCHEDULE_WARNINGS } from '../../../src/core/model';
import { CommandId } from '../../../src/extension/ids';
import { folder, getApi, sleep } from './helpers';

/** Long enough for a trusted window to have planned, compiled and run a "now" task several times over. */
const QUIET_PERIOD_MS = 8_000;

describe('untrusted workspace', function () {
  this.timeout(60_000);

  it('is untrusted in this pass', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it('activates and registers its commands, but lists no task and starts nothing', async () => {
    const api = await getApi();
    const registered = await vscode.commands.getCommands(true);
    assert.ok(registered.includes(CommandId.RunNow));
    assert.deepStrictEqual(await api.listTasks(), []);
    assert.strictEqual(api.timings().servicesStartedMs, undefined, 'services started');
  });

  it('never compiles, imports or runs a task file: the sentinel writes nothing, no cache or history appears', async () => {
    const api = await getApi();
    const ws = folder();
    assert.ok(fs.existsSync(path.join(ws, 'tasks/sentinel.task.ts')), 'the harness did not add the sentinel task');
    // Asking explicitly changes nothing either.
    assert.strictEqual(await vscode.commands.executeCommand(CommandId.RunNow, 'tasks/sentinel'), undefined);
    await sleep(QUIET_PERIOD_MS);
    assert.ok(!fs.existsSync(path.join(ws, 'SENTINEL-IMPORTED')), 'the sentinel task was imported');
    assert.ok(!fs.existsSync(path.join(ws, 'SENTINEL-RAN')), 'the sentinel task ran');
    assert.ok(!fs.existsSync(path.join(ws, 'node_modules')), 'task types were written into the untrusted workspace');
    const storage = api.storageUri ? vscode.Uri.parse(api.storageUri).fsPath : undefined;
    assert.ok(!storage || !fs.existsSync(path.join(storage, 'compiled')), 'a compile cache was created');
    const home = process.env.TASK_SCHEDULER_HOME;
    assert.ok(home, 'the harness sets TASK_SCHEDULER_HOME');
    assert.ok(!fs.existsSync(path.join(home, 'workspaces')), 'a history or lease was created');
    // Schedule warnings and errors are read from the text (schedules.untrusted.test.ts shows them here):
    // anything else of ours would mean a task file was compiled or its options were read by the engine.
    const fromText = new Set([...SCHEDULE_WARNINGS.map((w) => `schedule.${w}`), 'schedule.invalid']);
    const ours = vscode.languages.getDiagnostics().flatMap(([, ds]) => ds)
      .filter((d) => d.source === 'Task Scheduler' && !fromText.has(String(d.code)));
    assert.deepStrictEqual(ours.map((d) => d.message), [], 'task files were compiled or checked');
    // The config names a store (host.js listens there): an untrusted window does not even connect.
    const probe = process.env.TASK_SCHEDULER_TEST_STORE_PROBE;
    assert.ok(probe, 'the harness listens where the store points');
    assert.match(fs.readFileSync(path.join(ws, '.scheduler.yaml'), 'utf8'), /store: \{ url: "postgres:\/\/probe@127\.0\.0\.1:\d+\/probe"/);
    assert.ok(!fs.existsSync(probe), `the window connected to the store: ${fs.existsSync(probe) ? fs.readFileSync(probe, 'utf8') : ''}`);
  });
});
