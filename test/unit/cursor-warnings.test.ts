// Schedule warnings (valid but probably not meant) over a workspace read from text alone: each kind, where
// it points, its quick fixes applied to the text, silencing per task, herds and dead dependencies.
import * as assert from 'assert';
import * as path from 'path';
import { readFolderTexts } from '../../src/core/cursor/readFolder';
import { readStaticWorkspace, type SourceText } from '../../src/core/cursor/staticWorkspace';
import { scheduleErrors } from '../../src/core/cursor/scheduleErrors';
import { scheduleWarnings, type ScheduleWarning } from '../../src/core/cursor/warnings';
import type { TextEdit } from '../../src/core/cursor/fixes';

const WS = '/ws';
const NOW = Date.parse('2026-12-05T20:00:00Z');

function task(name: string, body: string): SourceText {
  return { file: `${WS}/tasks/${name}.task.ts`, text: `import { defineTask } from "task-scheduler";\nexport default defineTask({\n${body}\n  run() {},\n});\n` };
}

function warningsOf(files: SourceText[], config?: string, now = NOW): ScheduleWarning[] {
  const ws = readStaticWorkspace({ folder: WS, taskFiles: files, config: config === undefined ? undefined : { file: `${WS}/.scheduler.yaml`, text: config } });
  return scheduleWarnings(ws, now);
}

/** The text after applying edits (one file). */
function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  for (const e of [...edits].sort((a, b) => offset(b.range.line, b.range.column) - offset(a.range.line, a.range.column))) {
    const start = offset(e.range.line, e.range.column);
    const end = offset(e.range.endLine ?? e.range.line, e.range.endColumn ?? e.range.column);
    text = text.slice(0, start) + e.newText + text.slice(end);
  }
  return text;
}

const names = (ws: ScheduleWarning[]) => ws.map((w) => `${w.taskId} ${w.name}`).sort();

describe('cursor: schedule warnings', () => {
  it('says nothing about ordinary schedules, nor about the examples', () => {
    const files = [
      task('a', '  schedule: "every 10 minutes",'), task('b', '  schedule: "0 9 * * 1-5",'), task('c', '  schedule: "daily at 09:30",\n  timezone: "Europe/Berlin",'),
      task('d', '  schedule: { type: "monthly", day_of_month: 15, hour: 12, minute: 0 },'), task('e', '  schedule: "manual",'),
    ];
    assert.deepStrictEqual(names(warningsOf(files)), []);
  });

  it('reads examples/ from disk: every task and job, none warned about', async () => {
    const ws = readStaticWorkspace(await readFolderTexts(path.join(__dirname, '../../examples')));
    assert.deepStrictEqual(ws.tasks.map((t) => t.id), [
      'disk-usage', 'save-all', 'tasks/daily-report', 'tasks/flaky-api-ping', 'tasks/hello-world', 'tasks/monthly-invoice',
      'tasks/pipeline/fetch-data', 'tasks/pipeline/process-data', 'tasks/pipeline/report', 'tasks/sync-twice-daily',
      'tasks/weekday-standup', 'tasks/weekly-cleanup',
    ]);
    const report = ws.byId.get('tasks/daily-report')!;
    assert.strictEqual(report.overriddenBy?.file, path.join(__dirname, '../../examples/.scheduler.yaml'));
    assert.deepStrictEqual([report.spec.schedule, report.spec.timezone, report.schedule?.kind], [['daily at 09:30'], 'Europe/Berlin', 'cron']);
    assert.deepStrictEqual(scheduleWarnings(ws, NOW), []);
  });

  it('a year field in the past never fires; Feb 29 is more than a year away', () => {
    const w = warningsOf([task('past', '  schedule: "0 0 12 * * * 2025",'), task('leap', '  schedule: "0 0 29 2 *",')]);
    assert.deepStrictEqual(names(w), ['tasks/leap far-next', 'tasks/past never-fires']);
    const leap = w.find((x) => x.name === 'far-next')!;
    assert.match(leap.message, /2028-02-29/);
    assert.deepStrictEqual({ line: leap.range.line, column: leap.range.column }, { line: 3, column: 13 });
    assert.deepStrictEqual(names(warningsOf([task('later', '  schedule: "once at 2029-06-01 09:00",')])), [], 'a one-time date far ahead is meant');
  });

  it('a time in the spring gap and in the repeated autumn hour of the task\'s zone', () => {
    const w = warningsOf([task('gap', '  schedule: "30 2 * * *",\n  timezone: "Europe/Berlin",'), task('utc', '  schedule: "30 2 * * *",\n  timezone: "UTC",'),
      task('hourly', '  schedule: "30 * * * *",\n  timezone: "Europe/Berlin",')]);
    assert.deepStrictEqual(names(w), ['tasks/gap dst-gap', 'tasks/gap dst-repeat']);
    const gap = w.find((x) => x.name === 'dst-gap')!;
    assert.match(gap.message, /02:30 does not exist on 2027-03-28 in Europe\/Berlin \(UTC\+01:00 → UTC\+02:00\): clocks jump from 02:00 to 03:00/);
    assert.match(w.find((x) => x.name === 'dst-repeat')!.message, /02:30 happens twice on 2027-10-31/);
  });

  it('both day fields restricted are OR\'d: fixes write "+" or "*" in the same quotes', () => {
    const file = task('or', "  schedule: '0 9 1,15 * 1',");
    const [w] = warningsOf([file]);
    assert.strictEqual(w.name, 'day-or');
    assert.deepStrictEqual(w.fixes().map((f) => f.title), ['Run only when both match: "0 9 1,15 * +1"', 'Day of the week only: "0 9 * * 1"', 'Don\'t warn about "day-or" for tasks/or']);
    assert.match(apply(file.text, w.fixes()[0].edits), /schedule: '0 9 1,15 \* \+1',/);
    assert.match(apply(file.text, w.fixes()[1].edits), /schedule: '0 9 \* \* 1',/);
  });

  it('a step that does not divide its field, with the divisors either side as fixes', () => {
    const file = task('seven', '  schedule: "*/7 * * * *",');
    const [w] = warningsOf([file]);
    assert.strictEqual(w.name, 'uneven-step');
    assert.match(w.message, /runs at :56 and again at :00, 4 minutes later, not 7/);
    assert.deepStrictEqual(w.fixes().slice(0, 2).map((f) => apply(file.text, f.edits).split('\n')[2]), ['  schedule: "*/6 * * * *",', '  schedule: "*/10 * * * *",']);
    assert.deepStrictEqual(names(warningsOf([task('ok', '  schedule: "*/15 * * * *",'), task('h', '  schedule: "0 */6 * * *",')])), []);
    assert.match(warningsOf([task('h5', '  schedule: "0 */5 * * *",')])[0].message, /runs at 20:00 and again at 0:00, 4 hours later, not 5/);
  });

  it('a past one-time date, in a list: the warning points at that item', () => {
    const [w] = warningsOf([task('once', '  schedule: ["daily at 08:00", "once at 2026-01-01 09:00"],')]);
    assert.strictEqual(w.name, 'past-once');
    assert.strictEqual(w.range.column, 32);
  });

  it('every second with overlap "allow": the fix sets "skip"', () => {
    const file = task('fast', '  schedule: "every second",\n  overlap: "allow",');
    const [w] = warningsOf([file]);
    assert.strictEqual(w.name, 'overlap-every-second');
    assert.ok(w.fixes()[0].preferred);
    assert.match(apply(file.text, w.fixes()[0].edits), /overlap: "skip",/);
    assert.deepStrictEqual(names(warningsOf([task('fast', '  schedule: "every second",')])), []);
  });

  it('a herd: five tasks in one second, each told who else; four are not a herd', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((n) => task(n, '  schedule: "0 * * * *",'));
    const w = warningsOf(five);
    assert.deepStrictEqual(names(w), five.map((_, i) => `tasks/${'abcde'[i]} herd`));
    assert.match(w[0].message, /same second as 4 other tasks \(`tasks\/b`, `tasks\/c`, `tasks\/d`, `tasks\/e`\) at Sat 2026-12-05 21:00/);
    assert.deepStrictEqual(names(warningsOf(five.slice(0, 4))), []);
    // Different zones, the same instant: 10:00 in Berlin (winter) is 09:00 UTC.
    const mixed = [...five.slice(0, 4), task('berlin', '  schedule: "0 10 * * *",\n  timezone: "Europe/Berlin",')];
    assert.deepStrictEqual(names(warningsOf(mixed)).length, 5);
  });

  it('a herd made on the day clocks go forward: four at 03:00 and one at 02:30, which happens at 03:00 that day', () => {
    const four = ['a', 'b', 'c', 'd'].map((n) => task(n, '  schedule: "0 3 * * *",\n  timezone: "Europe/Berlin",'));
    const late = task('late', '  schedule: "30 2 28 3 *",\n  timezone: "Europe/Berlin",\n  ignoreWarnings: ["dst-gap", "dst-repeat"],');
    const w = warningsOf([...four, late], undefined, Date.parse('2027-03-20T12:00:00Z'));
    assert.deepStrictEqual(names(w), ['tasks/a herd', 'tasks/b herd', 'tasks/c herd', 'tasks/d herd', 'tasks/late herd']);
    for (const x of w) assert.match(x.message, /at Sun 2027-03-28 03:00 CEST/, x.taskId);
    assert.deepStrictEqual(names(warningsOf([...four, late], undefined, Date.parse('2027-03-29T12:00:00Z'))), []);
  });

  it('a dependency that never runs: manual all the way up, or disabled', () => {
    const w = warningsOf([
      task('manual', '  schedule: "manual",'),
      task('fed', '  schedule: "manual",\n  dependsOn: ["tasks/daily"],'),
      task('daily', '  schedule: "daily at 06:00",'),
      task('dead', '  schedule: "manual",\n  dependsOn: ["tasks/daily", { task: "tasks/manual", on: "success" }],'),
      task('off', '  schedule: "daily",\n  enabled: false,'),
      task('waits', '  schedule: "hourly",\n  dependsOn: "tasks/off",'),
      task('chain', '  dependsOn: ["tasks/fed"],'),
    ]);
    assert.deepStrictEqual(names(w), ['tasks/dead dependency-never-runs', 'tasks/waits dependency-never-runs']);
    const dead = w.find((x) => x.taskId === 'tasks/dead')!;
    assert.match(dead.message, /`tasks\/manual`, which runs only when started by hand/);
    assert.strictEqual(dead.range.column, 30, 'points at the second entry');
    assert.match(w.find((x) => x.taskId === 'tasks/waits')!.message, /is disabled/);
  });

  it('ignoreWarnings silences a warning for that task only; the silence fix writes it', () => {
    const file = task('seven', '  schedule: "*/7 * * * *",');
    const [w] = warningsOf([file]);
    const silence = w.fixes()[w.fixes().length - 1];
    const silenced = apply(file.text, silence.edits);
    assert.match(silenced, /\n {2}ignoreWarnings: \["uneven-step"\],\n {2}schedule: "\*\/7 \* \* \* \*",/);
    assert.deepStrictEqual(warningsOf([{ file: file.file, text: silenced }]), []);
    // A second name goes into the same list.
    const listed = task('listed', '  ignoreWarnings: ["herd"],\n  schedule: "*/7 * * * *",');
    const [again] = warningsOf([listed]);
    assert.match(apply(listed.text, again.fixes()[again.fixes().length - 1].edits), /ignoreWarnings: \["herd", "uneven-step"\],/);
  });

  it('a schedule that is not valid at all ("0 0 30 2 *") is an error at its character, in a task file and in YAML', () => {
    const file = task('feb30', '  schedule: "0 0 30 2 *",');
    const config = 'jobs:\n  du: { command: du, schedule: "every 7 minutes" }\n';
    const ws = readStaticWorkspace({ folder: WS, taskFiles: [file, task('ok', '  schedule: "daily",')], config: { file: `${WS}/.scheduler.yaml`, text: config } });
    const errors = scheduleErrors(ws);
    assert.deepStrictEqual(errors.map((e) => [e.file.replace(WS, ''), e.line, e.column, e.code, e.severity]), [
      ['/tasks/feb30.task.ts', 3, 18, 'schedule.invalid', 'error'],
      ['/.scheduler.yaml', 2, 39, 'schedule.invalid', 'error'],
    ]);
    assert.match(errors[0].message, /day 30 does not exist in February/);
    assert.deepStrictEqual(scheduleWarnings(ws, NOW), [], 'an invalid schedule is not warned about as well');
  });

  it('keeps what each file said between reads: an unchanged file is not read again, an edited one is, a gone one is forgotten', () => {
    const readings = new Map();
    const a = task('a', '  schedule: "daily at 01:00",');
    const b = task('b', '  schedule: "daily at 02:00",');
    const first = readStaticWorkspace({ folder: WS, taskFiles: [a, b] }, readings);
    const edited = { file: b.file, text: b.text.replace('02:00', '03:00') };
    const second = readStaticWorkspace({ folder: WS, taskFiles: [a, edited] }, readings);
    assert.strictEqual(second.byId.get('tasks/a')!.spec.schedule, first.byId.get('tasks/a')!.spec.schedule, 'the same reading');
    assert.deepStrictEqual(second.byId.get('tasks/b')!.spec.schedule, ['daily at 03:00']);
    readStaticWorkspace({ folder: WS, taskFiles: [a] }, readings);
    assert.deepStrictEqual([...readings.keys()], [a.file]);
  });

  it('reads overrides and jobs in .scheduler.yaml, and silences there (block and flow style)', () => {
    const config = [
      'timezone: Europe/Berlin',
      'overrides:',
      '  tasks/report:',
      '    schedule: "30 2 * * *"',
      'jobs:',
      '  du: { command: "du -sh .", schedule: "*/7 * * * *" }',
      '',
    ].join('\n');
    const w = warningsOf([task('report', '  schedule: "daily at 09:30",')], config);
    assert.deepStrictEqual(names(w), ['du uneven-step', 'tasks/report dst-gap', 'tasks/report dst-repeat']);
    const gap = w.find((x) => x.name === 'dst-gap')!;
    assert.strictEqual(gap.file, `${WS}/.scheduler.yaml`);
    assert.deepStrictEqual([gap.range.line, gap.range.column], [4, 15]);
    const block = apply(config, gap.fixes()[gap.fixes().length - 1].edits);
    assert.match(block, /\n {4}ignoreWarnings: \[dst-gap\]\n {4}schedule: "30 2 \* \* \*"/);
    const du = w.find((x) => x.name === 'uneven-step')!;
    const flow = apply(config, du.fixes()[du.fixes().length - 1].edits);
    assert.match(flow, /du: \{ command: "du -sh \.", ignoreWarnings: \[uneven-step\], schedule: "\*\/7 \* \* \* \*" \}/);
    const fixed = apply(config, du.fixes()[0].edits);
    assert.match(fixed, /schedule: "\*\/6 \* \* \* \*"/);
    assert.deepStrictEqual(names(warningsOf([task('report', '  schedule: "daily at 09:30",')], flow)).filter((n) => n.startsWith('du')), []);
  });
});
