// The Problems panel: config, compile and option errors at their lines, cleared when fixed; the quick
// fix that installs a package a task file imports but the workspace lacks.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import { CommandId } from '../../../src/extension/ids';
import { folder, getApi, problems, removeAndWait, waitFor, writeAndWait } from './helpers';

describe('Problems', function () {
  this.timeout(60_000);
  let api: TaskSchedulerApi;

  before(async () => {
    api = await getApi();
    await api.ready();
  });

  it('a broken .scheduler.yaml shows in Problems at its line, and clears when fixed', async () => {
    const config = path.join(folder(), '.scheduler.yaml');
    const good = fs.readFileSync(config, 'utf8');
    const lines = good.split('\n');
    const at = lines.findIndex((l) => l.startsWith('concurrency:'));
    assert.ok(at >= 0, 'the example config has no concurrency line');
    lines[at] = 'concurrency: lots';
    lines.splice(at + 1, 0, 'timezonee: Europe/Berlin');
    fs.writeFileSync(config, lines.join('\n'));
    try {
      const found = await waitFor('the config errors in Problems', () => {
        const list = problems(config);
        return list.length >= 2 ? list : undefined;
      });
      const concurrency = found.find((d) => d.range.start.line === at);
      assert.ok(concurrency, `nothing on line ${at + 1}: ${found.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
      assert.strictEqual(concurrency.severity, vscode.DiagnosticSeverity.Error);
      const typo = found.find((d) => d.range.start.line === at + 1);
      assert.ok(typo, 'the unknown key is not reported at its line');
      assert.match(typo.message, /timezone/, 'did you mean');
    } finally {
      fs.writeFileSync(config, good);
    }
    await waitFor('the config errors to clear', () => problems(config).length === 0);
  });

  it('a task file that does not compile is listed invalid with its error at the line', async () => {
    const rel = 'tasks/test/broken.task.ts';
    const text = 'import { defineTask } from "task-scheduler";\nexport default defineTask({\n  schedule: "every 5 minutes",\n  run() { return 1 +; },\n});\n';
    await writeAndWait(api, rel, text, 'the broken task', (ts) => ts.some((t) => t.id === 'tasks/test/broken' && t.state === 'invalid'));
    const file = path.join(folder(), rel);
    const list = await waitFor('the compile error in Problems', () => problems(file).length ? problems(file) : undefined);
    assert.strictEqual(list[0].range.start.line, 3, list[0].message);
    await removeAndWait(api, rel, 'tasks/test/broken');
    await waitFor('the compile error to clear', () => problems(file).length === 0);
  });

  it('an invalid schedule is reported in the task file', async () => {
    const rel = 'tasks/test/bad-schedule.task.ts';
    const text = 'import { defineTask } from "task-scheduler";\nexport default defineTask({\n  schedule: "every 7 minutes",\n  run() {},\n});\n';
    await writeAndWait(api, rel, text, 'the task with a bad schedule', (ts) => ts.some((t) => t.id === 'tasks/test/bad-schedule' && t.state === 'invalid'));
    const file = path.join(folder(), rel);
    const list = await waitFor('the schedule error in Problems', () => problems(file).length ? problems(file) : undefined);
    assert.strictEqual(list[0].range.start.line, 2);
    assert.match(list[0].message, /every 7 minutes/);
    await removeAndWait(api, rel, 'tasks/test/bad-schedule');
  });

  it('a package the workspace lacks gets a quick fix that installs it', async () => {
    const rel = 'tasks/test/needs-package.task.ts';
    const text = 'import { defineTask } from "task-scheduler";\nimport leftPad from "left-pad-not-installed";\nexport default defineTask({ schedule: "manual", run() { return leftPad("x", 3); } });\n';
    await writeAndWait(api, rel, text, 'the task with a missing package', (ts) => ts.some((t) => t.id === 'tasks/test/needs-package' && t.state === 'invalid'));
    const file = path.join(folder(), rel);
    const [d] = await waitFor('the missing package in Problems', () => problems(file).length ? problems(file) : undefined);
    assert.strictEqual(d.code, 'compile.missing-package');
    assert.strictEqual(d.range.start.line, 1);
    const doc = await vscode.workspace.openTextDocument(file);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.command?.command === CommandId.InstallPackage);
    assert.ok(fix, `no install quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.deepStrictEqual(fix.command!.arguments, [{ command: 'npm install left-pad-not-installed', file }]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAndWait(api, rel, 'tasks/test/needs-package');
  });
});
