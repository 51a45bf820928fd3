// What hover, completion and inlay hints say, from the text and the workspace read statically: next runs
// in the task's zone and local time, DST notes, zones' next changes, task ids, option values.
import * as assert from 'assert';
import { completionsFor, insertText, SCHEDULE_SUGGESTIONS, zoneDetail } from '../../src/core/cursor/completion';
import { hoverFor, type HoverInput } from '../../src/core/cursor/hover';
import { scheduleHints } from '../../src/core/cursor/inlayHints';
import { VALUE_WORDS, WARNING_WORDS } from '../../src/core/cursor/optionWords';
import { readStaticWorkspace, type StaticWorkspace } from '../../src/core/cursor/staticWorkspace';
import { taskFileContext, yamlContext } from '../../src/core/cursor/taskContext';
import { taskFileTarget } from '../../src/core/cursor/taskFileTargets';
import type { CursorTarget } from '../../src/core/cursor/targets';
import { yamlTarget } from '../../src/core/cursor/yamlTargets';
import { BACKOFFS, CATCH_UP_POLICIES, DEPENDENCY_OUTCOMES, OVERLAP_POLICIES, PRIORITIES, SCHEDULE_WARNINGS } from '../../src/core/model';

const NOW = Date.parse('2026-12-05T20:00:00Z'); // a Saturday, 21:00 in Berlin
const CONFIG = '/ws/.scheduler.yaml';
const CONFIG_TEXT = 'timezone: Europe/Berlin\noverrides:\n  tasks/report:\n    schedule: "daily at 09:30"\njobs:\n  du: { command: du, schedule: "15 * * * *", timezone: UTC }\n';
const REPORT = '/ws/tasks/report.task.ts';
const REPORT_TEXT = 'export default {\n  name: "Daily report",\n  schedule: "daily at 08:00",\n  run() {},\n};\n';
const BACKUP = '/ws/tasks/backup.task.ts';
const BACKUP_TEXT = 'export default {\n  schedule: "30 2 * * *",\n  timezone: "America/New_York",\n  dependsOn: ["tasks/report", "du"],\n  run() {},\n};\n';

function workspace(): StaticWorkspace {
  return readStaticWorkspace({ folder: '/ws', config: { file: CONFIG, text: CONFIG_TEXT }, taskFiles: [{ file: REPORT, text: REPORT_TEXT }, { file: BACKUP, text: BACKUP_TEXT }] });
}

function taskHover(file: string, text: string, needle: string, taskId: string, extra: Partial<HoverInput> = {}) {
  const ws = workspace();
  const target = taskFileTarget(text, text.indexOf(needle) + 1, 'hover', taskId)!;
  assert.ok(target, needle);
  return hoverFor(target, { now: NOW, localZone: 'UTC', context: taskFileContext(text, taskId, ws), workspace: ws, ...extra })!;
}

describe('cursor: hover', () => {
  it('a schedule: its words, the next 5 runs in the task\'s zone and in local time, the DST note, where the zone comes from', () => {
    const h = taskHover(BACKUP, BACKUP_TEXT, '30 2', 'tasks/backup');
    const text = h.sections.join('\n\n');
    assert.match(text, /\*\*At 02:30/);
    assert.match(text, /\| Next runs \| America\/New_York \| local \(UTC\) \|/);
    assert.match(text, /\| in 12 h \| Sun 2026-12-06 02:30 EST \| 07:30 UTC \|/);
    assert.strictEqual(text.split('\n').filter((l) => l.startsWith('| in ')).length, 5);
    assert.match(text, /DST: on Sun 2027-03-14 clocks jump 02:00 → 03:00 in America\/New_York; the 02:30 run happens at 03:00/);
    assert.match(text, /Zone: America\/New_York \(from the task\)/);
    assert.strictEqual(h.taskId, 'tasks/backup');
    assert.ok(h.previewable);
  });

  it('a schedule the config overrides says so; the zone falls back to the config\'s', () => {
    const text = taskHover(REPORT, REPORT_TEXT, 'daily at 08', 'tasks/report').sections.join('\n\n');
    assert.match(text, /Not in effect: `overrides` in \.scheduler\.yaml sets this task's schedule \(Daily at 09:30/);
    assert.match(text, /Zone: Europe\/Berlin \(from timezone in \.scheduler\.yaml\)/);
    assert.match(text, /Sun 2026-12-06 08:00 CET \| 07:00 UTC/);
  });

  it('an invalid schedule gives the parser\'s error, with its column', () => {
    const text = 'export default { schedule: "every 7 minutes", run() {} };';
    const [first] = taskHover('/ws/tasks/bad.task.ts', text, 'every 7', 'tasks/bad').sections;
    assert.match(first, /\*\*Not a valid schedule\.\*\* "every 7 minutes" at column 7 does not divide the hour evenly/);
  });

  it('in .scheduler.yaml: a job\'s own zone; a phrase shows the cron it compiles to', () => {
    const ws = workspace();
    const offset = CONFIG_TEXT.indexOf('15 * *') + 1;
    const target = yamlTarget(CONFIG_TEXT, offset, 'hover')!;
    const text = hoverFor(target, { now: NOW, localZone: 'UTC', context: yamlContext(CONFIG, CONFIG_TEXT, 'du', ws), workspace: ws })!.sections.join('\n');
    assert.match(text, /\| Next runs \| UTC \|\n/);
    assert.match(text, /\| in 15 min \| Sat 2026-12-05 20:15 UTC \|/);
    const phrase = yamlTarget(CONFIG_TEXT, CONFIG_TEXT.indexOf('daily at') + 2, 'hover')!;
    const words = hoverFor(phrase, { now: NOW, localZone: 'UTC', context: yamlContext(CONFIG, CONFIG_TEXT, 'tasks/report', ws), workspace: ws })!.sections[0];
    assert.match(words, /\*\*Daily at 09:30 \(Europe\/Berlin\)\*\* · cron `30 9 \* \* \*`/);
  });

  it('a timezone: its offset now and its next change; an unknown one with "did you mean"', () => {
    const h = taskHover(BACKUP, BACKUP_TEXT, 'America/New', 'tasks/backup').sections.join('\n');
    assert.match(h, /\*\*America\/New_York\*\* — now UTC-05:00 \(EST\), Sat 2026-12-05 15:00/);
    assert.match(h, /Next change: Sun 2027-03-14, clocks go forward 02:00 → 03:00 \(EDT, UTC-04:00\), in 98 d\./);
    const bad = 'export default { timezone: "Europe/Berln", run() {} };';
    assert.match(taskHover('/ws/tasks/z.task.ts', bad, 'Berln', 'tasks/z').sections[0], /Unknown time zone\*\* "Europe\/Berln" \(did you mean "Europe\/Berlin"\?\)/);
    const utc = 'export default { timezone: "UTC", run() {} };';
    assert.match(taskHover('/ws/tasks/z.task.ts', utc, 'UTC', 'tasks/z').sections[1], /No daylight saving change in the coming year/);
  });

  it('a dependsOn id: that task\'s schedule, next run and last result; an unknown id', () => {
    const h = taskHover(BACKUP, BACKUP_TEXT, 'tasks/report', 'tasks/backup', { lastResult: (id) => (id === 'tasks/report' ? '✓ 2 min ago' : undefined) }).sections.join('\n');
    assert.match(h, /\*\*Daily report\*\* `tasks\/report`/);
    assert.match(h, /Schedule: Daily at 09:30 \(Europe\/Berlin\) · next Sun 2026-12-06 09:30 CET \(in 13 h\)/);
    assert.match(h, /Last result: ✓ 2 min ago/);
    const du = taskHover(BACKUP, BACKUP_TEXT, '"du"', 'tasks/backup').sections.join('\n');
    assert.match(du, /Last result: none known in this window/);
    const typo = 'export default { dependsOn: ["tasks/reprot"], run() {} };';
    assert.match(taskHover('/ws/tasks/z.task.ts', typo, 'reprot', 'tasks/z').sections[0], /No task has the id `tasks\/reprot` \(did you mean `tasks\/report`\?\)/);
  });

  it('an option value says what it does; text from files cannot become links', () => {
    const text = 'export default { overlap: "queue", run() {} };';
    assert.match(taskHover('/ws/tasks/z.task.ts', text, 'queue', 'tasks/z').sections[0], /`overlap: queue` — It waits/);
    const evil = 'export default { dependsOn: ["[x](command:evil)"], run() {} };';
    assert.match(taskHover('/ws/tasks/z.task.ts', evil, 'x]', 'tasks/z').sections[0], /^No task has the id `\[x\]\(command:evil\)`\. /, 'inside a code span');
    const name = 'export default { name: "**`[y](command:evil)`**", run() {} };';
    const ws = readStaticWorkspace({ folder: '/ws', taskFiles: [{ file: '/ws/tasks/n.task.ts', text: name }] });
    const dep = 'export default { dependsOn: ["tasks/n"], run() {} };';
    const target = taskFileTarget(dep, dep.indexOf('tasks/n') + 1, 'hover', 'tasks/d')!;
    const shown = hoverFor(target, { now: NOW, localZone: 'UTC', context: taskFileContext(dep, 'tasks/d', ws), workspace: ws })!.sections[0];
    assert.strictEqual(shown, '**\\*\\*\\`\\[y\\](command:evil)\\`\\*\\*** `tasks/n`');
  });

  it('the option words cover exactly the model\'s values', () => {
    assert.deepStrictEqual(Object.keys(VALUE_WORDS.overlap), [...OVERLAP_POLICIES]);
    assert.deepStrictEqual(Object.keys(VALUE_WORDS.catchUp), [...CATCH_UP_POLICIES]);
    assert.deepStrictEqual(Object.keys(VALUE_WORDS.priority), [...PRIORITIES]);
    assert.deepStrictEqual(Object.keys(VALUE_WORDS.backoff), [...BACKOFFS]);
    assert.deepStrictEqual(Object.keys(VALUE_WORDS.on), [...DEPENDENCY_OUTCOMES]);
    assert.deepStrictEqual(Object.keys(WARNING_WORDS), [...SCHEDULE_WARNINGS]);
  });
});

describe('cursor: completion', () => {
  const ws = workspace();
  const complete = (target: CursorTarget, taskId?: string) => completionsFor(target, { now: NOW, context: taskFileContext(BACKUP_TEXT, taskId, ws), workspace: ws });

  it('schedules: every suggestion is valid, with its words and next runs in the task\'s zone', () => {
    const target = taskFileTarget(BACKUP_TEXT, BACKUP_TEXT.indexOf('30 2') + 1, 'completion', 'tasks/backup')!;
    const items = complete(target, 'tasks/backup');
    assert.strictEqual(items.length, SCHEDULE_SUGGESTIONS.length + 1, 'each suggestion parses, plus a one-time date');
    const weekdays = items.find((i) => i.label === '0 9 * * 1-5')!;
    assert.strictEqual(weekdays.detail, 'At 09:00, Monday through Friday (America/New_York)');
    assert.match(weekdays.documentation!, /Next runs in America\/New_York:\n- Mon 2026-12-07 09:00 EST/);
    assert.ok(items.some((i) => i.label === 'once at 2026-12-06 09:00'), 'tomorrow in the task\'s zone');
    assert.match(items.find((i) => i.label === 'every 15 minutes')!.documentation!, /cron `\*\/15 \* \* \* \*`/);
  });

  it('zones: all IANA zones with their offset now, the workspace\'s first', () => {
    const target = taskFileTarget(BACKUP_TEXT, BACKUP_TEXT.indexOf('America') + 1, 'completion', 'tasks/backup')!;
    const items = complete(target, 'tasks/backup');
    assert.ok(items.length > 300);
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).slice(0, 3).map((i) => i.label);
    assert.deepStrictEqual(sorted, ['America/New_York', 'Europe/Berlin', 'UTC']);
    assert.strictEqual(items.find((i) => i.label === 'Europe/Berlin')!.detail, 'UTC+01:00 now');
    assert.strictEqual(items.find((i) => i.label === 'Asia/Tokyo')!.detail, undefined, 'filled in when shown');
    assert.deepStrictEqual(zoneDetail('Asia/Tokyo', NOW), { detail: 'UTC+09:00 now', documentation: 'Asia/Tokyo: UTC+09:00 now' });
    assert.deepStrictEqual(zoneDetail('Europe/Berlin', NOW).documentation, 'Europe/Berlin: UTC+01:00 (CET) now');
  });

  it('task ids for dependsOn (not itself) and for new override keys (not already overridden)', () => {
    const dep = taskFileTarget(BACKUP_TEXT, BACKUP_TEXT.indexOf('"du"') + 1, 'completion', 'tasks/backup')!;
    assert.deepStrictEqual(complete(dep, 'tasks/backup').map((i) => i.label), ['du', 'tasks/report']);
    const text = `${CONFIG_TEXT.replace('jobs:', 'jobs:')}overrides2: x\n`;
    void text;
    const key = yamlTarget('overrides:\n  tasks/report: {}\n  ta\n', 'overrides:\n  tasks/report: {}\n  ta'.length, 'completion')!;
    const items = completionsFor(key, { now: NOW, context: yamlContext(CONFIG, CONFIG_TEXT, undefined, ws), workspace: ws }).map((i) => i.label);
    assert.deepStrictEqual(items, ['du', 'tasks/backup']);
  });

  it('option values with what each means', () => {
    const text = 'export default { retries: { backoff: "" }, run() {} };';
    const target = taskFileTarget(text, text.indexOf('""') + 1, 'completion', 'tasks/z')!;
    assert.deepStrictEqual(complete(target).map((i) => `${i.label}: ${i.detail}`), Object.entries(VALUE_WORDS.backoff).map(([k, v]) => `${k}: ${v}`));
  });

  it('quotes what it inserts as the place needs', () => {
    const span = (quote: string) => ({ kind: 'schedule', input: '', count: 1, source: 'task', span: { start: 0, end: 0, quote, outerStart: 0, outerEnd: 0 } }) as CursorTarget;
    assert.strictEqual(insertText('*/5 * * * *', span(''), 'yaml'), '"*/5 * * * *"');
    assert.strictEqual(insertText('@daily', span(''), 'yaml'), '"@daily"');
    assert.strictEqual(insertText('hourly at :15', span(''), 'yaml'), '"hourly at :15"');
    assert.strictEqual(insertText('daily at 09:00', span(''), 'yaml'), '"daily at 09:00"');
    assert.strictEqual(insertText('weekdays', span(''), 'yaml'), 'weekdays');
    assert.strictEqual(insertText('daily', span(''), 'task'), '"daily"');
    assert.strictEqual(insertText("it's", span("'"), 'task'), "it\\'s");
    assert.strictEqual(insertText("it's", span("'"), 'yaml'), "it''s");
  });
});

describe('cursor: inlay hints', () => {
  it('cron strings get their words after them; phrases only when asked; none when off', () => {
    const text = 'export default {\n  schedule: ["0 9 * * 1-5", "daily at 10:00", "@hourly"],\n  run() {},\n};\n';
    const hints = scheduleHints(text, 'task', 'cron');
    assert.deepStrictEqual(hints.map((h) => [text.slice(h.offset - 4, h.offset), h.label]), [['1-5"', 'At 09:00, Monday through Friday'], ['rly"', 'Every hour']]);
    assert.strictEqual(scheduleHints(text, 'task', 'all').length, 3);
    assert.deepStrictEqual(scheduleHints(text, 'task', 'off'), []);
    assert.deepStrictEqual(scheduleHints('export default { schedule: "not a schedule", run() {} };', 'task', 'all'), []);
  });

  it('in .scheduler.yaml, for jobs and overrides', () => {
    const hints = scheduleHints(CONFIG_TEXT, 'yaml', 'cron');
    assert.deepStrictEqual(hints.map((h) => [CONFIG_TEXT.slice(h.offset - 3, h.offset), h.label]), [[' *"', 'At 15 minutes past the hour']]);
    assert.deepStrictEqual(scheduleHints(CONFIG_TEXT, 'yaml', 'all').map((h) => h.label), ['At 15 minutes past the hour', 'Daily at 09:30']);
  });
});
