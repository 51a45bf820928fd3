// Schedules at the cursor in a trusted window, through VS Code's own commands: hover (a schedule, a zone,
// a dependsOn id, in task files and .scheduler.yaml, unsaved edits included), completion, inlay hints,
// warnings in Problems with their quick fixes and silencing, and the Preview Schedules command.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import { CommandId, PREVIEW_VIEW_TYPE, SETTINGS } from '../../../src/extension/ids';
import { completionItems, hoverText, inlayLabels, labelOf, openDoc, positionOf, quickFixes, waitForNoWarning, waitForWarning } from './cursorHelpers';
import { folder, getApi, waitFor, waitForRun } from './helpers';

describe('schedules at the cursor', function () {
  this.timeout(60_000);
  let api: TaskSchedulerApi;
  const written: string[] = [];
  const write = (relative: string, text: string) => {
    const file = path.join(folder(), relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written.push(file);
    return file;
  };

  before(async () => {
    api = await getApi();
    await api.ready();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of written) fs.rmSync(f, { force: true });
  });

  it('hover on a task file\'s schedule: its words, next runs in the task\'s zone and local time, Run now and Preview', async () => {
    const doc = await openDoc('tasks/weekday-standup.task.ts');
    const text = await hoverText(doc, positionOf(doc, '0 9 * * 1-5', 3));
    assert.match(text, /\*\*At 09:00, Monday through Friday/);
    assert.match(text, /\| Next runs \| Europe\/Berlin \|/, 'the config\'s zone');
    assert.strictEqual(text.split('\n').filter((l) => /^\| in /.test(l)).length, 5, text);
    assert.match(text, /Zone: Europe\/Berlin \(from timezone in \.scheduler\.yaml\)/);
    assert.match(text, new RegExp(`command:${CommandId.RunNow.replace('.', '\\.')}\\?`), 'a Run now link in a trusted window');
    assert.match(text, new RegExp(`command:${CommandId.PreviewSchedules.replace('.', '\\.')}\\?`));
  });

  it('hover follows unsaved edits: the schedule being typed is explained', async () => {
    const file = write('tasks/test/typing.task.ts', 'export default {\n  schedule: "every 10 minutes",\n  run() {},\n};\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    const start = doc.getText().indexOf('every 10 minutes');
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(start + 'every 10 minutes'.length)), '30 2 * * *');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty);
    const text = await hoverText(doc, positionOf(doc, '30 2 * * *', 2));
    assert.match(text, /\*\*At 02:30/);
    assert.match(text, /DST: on Sun 20\d\d-03-\d\d clocks jump 02:00 → 03:00 in Europe\/Berlin; the 02:30 run happens at 03:00/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('hover in .scheduler.yaml: a job\'s schedule and the zone', async () => {
    const doc = await openDoc('.scheduler.yaml');
    assert.match(await hoverText(doc, positionOf(doc, 'hourly at :15', 3)), /\*\*Hourly at :15/);
    const zone = await hoverText(doc, positionOf(doc, 'Europe/Berlin', 3));
    assert.match(zone, /\*\*Europe\/Berlin\*\* — now UTC\+0[12]:00 \((CET|CEST)\)/);
    assert.match(zone, /Next change: .*clocks go (forward|back)/);
  });

  it('hover on a dependsOn id: that task\'s schedule and its last result', async () => {
    const runId = await vscode.commands.executeCommand<string>(CommandId.RunNow, 'tasks/pipeline/fetch-data');
    assert.ok(runId);
    await waitForRun(api, runId);
    const doc = await openDoc('tasks/pipeline/process-data.task.ts');
    const text = await waitFor('the last result in the hover', async () => {
      const t = await hoverText(doc, positionOf(doc, 'tasks/pipeline/fetch-data', 5));
      return /Last result: ✓/.test(t) ? t : undefined;
    });
    assert.match(text, /\*\*Fetch data\*\* `tasks\/pipeline\/fetch-data`/);
    assert.match(text, /Schedule: Daily at 06:00/);
  });

  it('completion: schedules with their words, zones, task ids, option values, override keys', async () => {
    const doc = await openDoc('tasks/weekday-standup.task.ts');
    const schedules = await completionItems(doc, positionOf(doc, '0 9 * * 1-5', 0));
    const weekdays = schedules.find((i) => labelOf(i) === 'weekdays at 09:00');
    assert.ok(weekdays, `no schedule phrases among ${schedules.slice(0, 20).map(labelOf).join(', ')}`);
    assert.strictEqual(typeof weekdays.label === 'string' ? undefined : weekdays.label.description, 'Weekdays (Monday to Friday) at 09:00 (Europe/Berlin)');
    assert.ok(schedules.some((i) => labelOf(i) === '0 0 L * *'), 'cron forms too');
    const priority = await completionItems(doc, positionOf(doc, '"low"', 1));
    assert.ok(['critical', 'high', 'normal', 'low', 'background'].every((v) => priority.some((i) => labelOf(i) === v)));

    const dep = await openDoc('tasks/pipeline/report.task.ts');
    const ids = (await completionItems(dep, positionOf(dep, 'tasks/pipeline/process-data', 1))).map(labelOf);
    assert.ok(ids.includes('tasks/pipeline/fetch-data') && ids.includes('disk-usage') && !ids.includes('tasks/pipeline/report'), ids.join(', '));

    const config = await openDoc('.scheduler.yaml');
    const zones = (await completionItems(config, positionOf(config, 'Europe/Berlin', 1))).map(labelOf);
    assert.ok(zones.includes('America/New_York') && zones.includes('UTC'), `${zones.length} zones`);
    const file = write('tasks/test/zone-completion.task.ts', 'export default {\n  timezone: "",\n  schedule: "",\n  run() {},\n};\n');
    const fresh = await vscode.workspace.openTextDocument(file);
    assert.ok((await completionItems(fresh, positionOf(fresh, 'timezone: ""', 11))).some((i) => labelOf(i) === 'Asia/Tokyo'));
    const empty = await completionItems(fresh, positionOf(fresh, 'schedule: ""', 11));
    assert.ok(empty.some((i) => labelOf(i) === 'every 5 minutes'), 'inside an empty schedule string');
  });

  it('inlay hints: the words after a cron string, and none once the setting says so', async () => {
    const doc = await openDoc('tasks/weekday-standup.task.ts');
    assert.deepStrictEqual(await inlayLabels(doc), ['At 09:00, Monday through Friday']);
    const config = vscode.workspace.getConfiguration();
    await config.update(SETTINGS.inlayHints.key, 'off', vscode.ConfigurationTarget.Global);
    try {
      assert.deepStrictEqual(await inlayLabels(doc), []);
    } finally {
      await config.update(SETTINGS.inlayHints.key, undefined, vscode.ConfigurationTarget.Global);
    }
    const yaml = await openDoc('.scheduler.yaml');
    assert.deepStrictEqual(await inlayLabels(yaml), [], 'the examples\' YAML has phrases only');
  });

  it('a warning in Problems for a step that does not divide the hour, fixed by its quick fix', async () => {
    const file = write('tasks/test/uneven.task.ts', 'import { defineTask } from "task-scheduler";\nexport default defineTask({\n  schedule: "*/7 * * * *",\n  run() {},\n});\n');
    const [d] = await waitForWarning(file, 'schedule.uneven-step');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(d.range.start.line, 2);
    assert.match(d.message, /tasks\/test\/uneven: "\*\/7" does not divide 60 minutes: it runs at :56 and again at :00, 4 minutes later, not 7/);
    const doc = await vscode.workspace.openTextDocument(file);
    const fixes = await quickFixes(doc, d);
    // (With the examples it also makes a herd at 01:00, whose own warning has its own fix.)
    assert.deepStrictEqual(fixes.map((f) => f.title).filter((t) => !/"herd"/.test(t)),
      ['Every 6 minutes on the clock: "*/6 * * * *"', 'Every 10 minutes on the clock: "*/10 * * * *"', 'Don\'t warn about "uneven-step" for tasks/test/uneven']);
    assert.ok(await vscode.workspace.applyEdit(fixes[1].edit!));
    assert.match(doc.getText(), /schedule: "\*\/10 \* \* \* \*",/);
    await waitForNoWarning(file, 'schedule.uneven-step');
    await doc.save();
  });

  it('a DST-gap warning is silenced for its task by the quick fix that writes ignoreWarnings', async () => {
    const file = write('tasks/test/gap.task.ts', 'import { defineTask } from "task-scheduler";\nexport default defineTask({\n  schedule: "30 2 * * *",\n  run() {},\n});\n');
    const [d] = await waitForWarning(file, 'schedule.dst-gap');
    assert.match(d.message, /02:30 does not exist on .* in Europe\/Berlin/);
    const doc = await vscode.workspace.openTextDocument(file);
    const silence = (await quickFixes(doc, d)).find((f) => /Don't warn about "dst-gap"/.test(f.title));
    assert.ok(silence);
    assert.ok(await vscode.workspace.applyEdit(silence.edit!));
    assert.match(doc.getText(), /\n {2}ignoreWarnings: \["dst-gap"\],\n {2}schedule: "30 2 \* \* \*",/);
    await waitForNoWarning(file, 'schedule.dst-gap');
    await doc.save();
    const task = await waitFor('the task with ignoreWarnings loaded', async () => (await api.listTasks()).find((t) => t.id === 'tasks/test/gap' && t.state !== 'invalid'), 30_000);
    assert.ok(task, 'ignoreWarnings is a valid option for the engine too');
  });

  it('Preview Schedules opens its panel (from the palette command, with a zone and a date)', async () => {
    await vscode.commands.executeCommand(CommandId.PreviewSchedules, { zone: 'Europe/Berlin', start: '2027-03-22', range: 'week' });
    const tab = await waitFor('the preview tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PREVIEW_VIEW_TYPE)));
    assert.strictEqual(tab.label, 'Preview Schedules');
  });
});
