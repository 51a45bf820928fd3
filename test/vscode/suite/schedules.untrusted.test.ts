// Schedules at the cursor in an untrusted window (test/vscode/host.js, the pass with the sentinel task):
// hover, completion, inlay hints, warnings and Preview Schedules work from the text alone, no Run now is
// offered, and nothing is compiled, imported or run (untrusted.untrusted.test.ts then checks the sentinel).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CommandId, PREVIEW_VIEW_TYPE } from '../../../src/extension/ids';
import { completionItems, hoverText, inlayLabels, labelOf, openDoc, positionOf, waitForNoWarning, waitForWarning } from './cursorHelpers';
import { folder, getApi, waitFor } from './helpers';

describe('schedules at the cursor, untrusted', function () {
  this.timeout(60_000);

  before(async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    await getApi();
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('hover explains a schedule without running anything, and offers no Run now', async () => {
    const doc = await openDoc('tasks/weekday-standup.task.ts');
    const text = await hoverText(doc, positionOf(doc, '0 9 * * 1-5', 3));
    assert.match(text, /\*\*At 09:00, Monday through Friday/);
    assert.match(text, /\| Next runs \| Europe\/Berlin \|/);
    assert.doesNotMatch(text, new RegExp(`command:${CommandId.RunNow.replace('.', '\\.')}`), 'Run now offered where nothing may run');
    assert.match(text, new RegExp(`command:${CommandId.PreviewSchedules.replace('.', '\\.')}`));
    const sentinel = await openDoc('tasks/sentinel.task.ts');
    assert.match(await hoverText(sentinel, positionOf(sentinel, 'schedule: "now"', 12)), /Runs once, as soon as the task is loaded/);
    const dep = await openDoc('tasks/pipeline/process-data.task.ts');
    assert.match(await hoverText(dep, positionOf(dep, 'tasks/pipeline/fetch-data', 5)), /Schedule: Daily at 06:00 .*\n\nLast result: none known in this window/);
  });

  it('completion and inlay hints work from the text', async () => {
    const doc = await openDoc('tasks/weekday-standup.task.ts');
    assert.ok((await completionItems(doc, positionOf(doc, '0 9 * * 1-5', 0))).some((i) => labelOf(i) === 'every 15 minutes'));
    assert.deepStrictEqual(await inlayLabels(doc), ['At 09:00, Monday through Friday']);
    const config = await openDoc('.scheduler.yaml');
    assert.ok((await completionItems(config, positionOf(config, 'tasks/daily-report:', 3))).some((i) => labelOf(i) === 'tasks/weekly-cleanup'), 'override keys');
  });

  it('a warning shows in Problems for a time in the DST gap, and leaves with the file', async () => {
    const file = path.join(folder(), 'tasks/untrusted-gap.task.ts');
    fs.writeFileSync(file, 'export default {\n  schedule: "30 2 * * *",\n  run() {},\n};\n');
    try {
      const [d] = await waitForWarning(file, 'schedule.dst-gap');
      assert.match(d.message, /02:30 does not exist on .* in Europe\/Berlin/);
    } finally {
      fs.rmSync(file, { force: true });
    }
    await waitForNoWarning(file, 'schedule.dst-gap');
  });

  it('a schedule that is not valid ("0 0 30 2 *") is an error in Problems at its place, since no engine checks the folder', async () => {
    const file = path.join(folder(), 'tasks/untrusted-feb30.task.ts');
    fs.writeFileSync(file, 'export default {\n  schedule: "0 0 30 2 *",\n  run() {},\n};\n');
    try {
      const [d] = await waitForWarning(file, 'schedule.invalid');
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
      assert.deepStrictEqual([d.range.start.line, d.range.start.character], [1, 17]);
      assert.match(d.message, /day 30 does not exist in February/);
    } finally {
      fs.rmSync(file, { force: true });
    }
    await waitForNoWarning(file, 'schedule.invalid');
  });

  it('Preview Schedules opens', async () => {
    await vscode.commands.executeCommand(CommandId.PreviewSchedules, { zone: 'Europe/Berlin' });
    await waitFor('the preview tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PREVIEW_VIEW_TYPE)));
  });
});
