// What is under the cursor, found in the text alone: task files (literals, lists, structured objects,
// half-typed values) and .scheduler.yaml (jobs, overrides, flow and block style, keys being typed).
import * as assert from 'assert';
import { readLiteral } from '../../src/core/cursor/literal';
import { taskFileTarget } from '../../src/core/cursor/taskFileTargets';
import type { CursorTarget } from '../../src/core/cursor/targets';
import { yamlTarget } from '../../src/core/cursor/yamlTargets';

/** The text with `|` marking the cursor, and the cursor's offset. */
function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function inTask(marked: string, mode: 'hover' | 'completion' = 'hover'): CursorTarget | undefined {
  const { text, offset } = at(marked);
  return taskFileTarget(text, offset, mode, 'tasks/x');
}

function inYaml(marked: string, mode: 'hover' | 'completion' = 'hover'): CursorTarget | undefined {
  const { text, offset } = at(marked);
  return yamlTarget(text, offset, mode);
}

const brief = (t: CursorTarget | undefined) => {
  if (!t) return undefined;
  const { span, ...rest } = t;
  return { ...rest, text: span.start <= span.end ? `${span.quote}…${span.quote}` : '' };
};

describe('cursor: literals', () => {
  it('reads strings, numbers, lists and objects; code is not a literal', () => {
    const read = (s: string) => readLiteral(s, 0, s.length);
    assert.deepStrictEqual(read('"a\\"b"'), { ok: true, value: 'a"b' });
    assert.deepStrictEqual(read("['x', `y`, 3, true, null] as const"), { ok: true, value: ['x', 'y', 3, true, null] });
    assert.deepStrictEqual(read('{ task: "a", "on": \'failure\', } // trailing'), { ok: true, value: { task: 'a', on: 'failure' } });
    assert.deepStrictEqual(read('{ constructor: 1 }'), { ok: true, value: { constructor: 1 } });
    for (const code of ['`every ${n} minutes`', 'SCHEDULE', 'make()', '{ ...base }', '{ schedule }', '"unterminated', '[1, 2']) {
      assert.deepStrictEqual(read(code), { ok: false }, code);
    }
  });
});

describe('cursor: targets in a task file', () => {
  const head = 'import { defineTask } from "task-scheduler";\nexport default defineTask({\n';

  it('a schedule string, an item of a list, a structured object', () => {
    assert.deepStrictEqual(brief(inTask(`${head}  schedule: "0 9 * |* 1-5",\n  run() {},\n});`)),
      { kind: 'schedule', input: '0 9 * * 1-5', index: undefined, count: 1, source: 'task', taskId: 'tasks/x', text: '"…"' });
    const list = inTask(`${head}  schedule: ["daily at 01:00", 'daily at |13:00'],\n});`);
    assert.deepStrictEqual([list?.kind, (list as { index?: number }).index, (list as { count?: number }).count, list?.span.quote], ['schedule', 1, 2, "'"]);
    const structured = inTask(`${head}  schedule: { type: "monthly", day_of_month: |15, hour: 12 },\n});`);
    assert.deepStrictEqual((structured as { input: unknown }).input, { type: 'monthly', day_of_month: 15, hour: 12 });
  });

  it('the span is the text inside the quotes', () => {
    const { text, offset } = at(`${head}  schedule: "every |5 minutes",\n});`);
    const t = taskFileTarget(text, offset, 'hover', 'tasks/x')!;
    assert.strictEqual(text.slice(t.span.start, t.span.end), 'every 5 minutes');
    assert.strictEqual(text.slice(t.span.outerStart, t.span.outerEnd), '"every 5 minutes"');
  });

  it('a timezone, dependsOn ids in every form, one-word values', () => {
    assert.deepStrictEqual(brief(inTask(`${head}  timezone: "Europe/Ber|lin",\n});`)), { kind: 'timezone', zone: 'Europe/Berlin', taskId: 'tasks/x', text: '"…"' });
    for (const form of ['dependsOn: "tasks/|a"', 'dependsOn: ["tasks/|a"]', 'dependsOn: [{ task: "tasks/|a", on: "success" }]']) {
      assert.deepStrictEqual(brief(inTask(`${head}  ${form},\n});`)), { kind: 'taskId', role: 'dependsOn', id: 'tasks/a', taskId: 'tasks/x', text: '"…"' }, form);
    }
    assert.deepStrictEqual(brief(inTask(`${head}  dependsOn: [{ task: "a", on: "fail|ure" }],\n});`)), { kind: 'value', option: 'on', value: 'failure', taskId: 'tasks/x', text: '"…"' });
    assert.deepStrictEqual(brief(inTask(`${head}  retries: { max: 3, backoff: "lin|ear" },\n});`)), { kind: 'value', option: 'backoff', value: 'linear', taskId: 'tasks/x', text: '"…"' });
    assert.strictEqual(inTask(`${head}  name: "daily at |09:00",\n});`), undefined, 'a name is not a schedule');
    assert.strictEqual(inTask(`${head}  run() { const schedule = "0 |9 * * *"; },\n});`), undefined, 'code in run is not an option');
  });

  it('completion: inside an empty string, right after a key with nothing written, in a list being written', () => {
    assert.deepStrictEqual(brief(inTask(`${head}  schedule: "|",\n});`, 'completion')), { kind: 'schedule', input: '', index: undefined, count: 1, source: 'task', taskId: 'tasks/x', text: '"…"' });
    assert.deepStrictEqual(brief(inTask(`${head}  overlap: |\n  run() {},\n});`, 'completion')), { kind: 'value', option: 'overlap', value: '', taskId: 'tasks/x', text: '…' });
    assert.deepStrictEqual(inTask(`${head}  dependsOn: ["tasks/a", |],\n});`, 'completion')?.kind, 'taskId');
    assert.deepStrictEqual(inTask(`${head}  schedule: "daily|`, 'completion')?.kind, 'schedule', 'an unterminated string at the end of the file');
  });
});

describe('cursor: targets in .scheduler.yaml', () => {
  const config = (body: string) => `timezone: Europe/Berlin\n${body}`;

  it('a job\'s and an override\'s schedule, plain and quoted, flow and block', () => {
    const job = inYaml(config('jobs:\n  du: { command: "du", schedule: hourly at |:15 }\n'));
    assert.deepStrictEqual(brief(job), { kind: 'schedule', input: 'hourly at :15', index: undefined, count: 1, source: 'task', taskId: 'du', text: '…' });
    const override = inYaml(config('overrides:\n  tasks/report:\n    schedule: "0 9 * |* *"\n'));
    assert.deepStrictEqual(brief(override), { kind: 'schedule', input: '0 9 * * *', index: undefined, count: 1, source: 'override', taskId: 'tasks/report', text: '"…"' });
    const list = inYaml(config('jobs:\n  du:\n    command: du\n    schedule:\n      - daily at 01:00\n      - "daily at |13:00"\n'));
    assert.deepStrictEqual([list?.kind, (list as { index?: number }).index, (list as { count?: number }).count], ['schedule', 1, 2]);
  });

  it('the top-level and a job\'s timezone, dependsOn ids, override keys, one-word values', () => {
    assert.deepStrictEqual(brief(inYaml('timezone: Europe/Ber|lin\n')), { kind: 'timezone', zone: 'Europe/Berlin', taskId: undefined, text: '…' });
    assert.deepStrictEqual(brief(inYaml(config('jobs:\n  du: { command: du, dependsOn: [tasks/|a] }\n'))), { kind: 'taskId', role: 'dependsOn', id: 'tasks/a', taskId: 'du', text: '…' });
    assert.deepStrictEqual(brief(inYaml(config('jobs:\n  du: { command: du, dependsOn: [{ task: tasks/|a }] }\n'))), { kind: 'taskId', role: 'dependsOn', id: 'tasks/a', taskId: 'du', text: '…' });
    assert.deepStrictEqual(brief(inYaml(config('overrides:\n  tasks/re|port: { timeout: 1m }\n'))), { kind: 'taskId', role: 'override', id: 'tasks/report', taskId: 'tasks/report', text: '…' });
    assert.deepStrictEqual(brief(inYaml(config('defaults:\n  overlap: qu|eue\n'))), { kind: 'value', option: 'overlap', value: 'queue', taskId: undefined, text: '…' });
    assert.strictEqual(inYaml(config('jobs:\n  du: { command: "daily at |09:00" }\n')), undefined, 'a command is not a schedule');
  });

  it('completion: an empty value, a new override key being typed', () => {
    const { text, offset } = at(config('jobs:\n  x:\n    command: du\n    schedule: |\n'));
    const t = yamlTarget(text, offset, 'completion');
    assert.deepStrictEqual([t?.kind, t?.span.start, t?.span.end], ['schedule', offset, offset]);
    const key = inYaml(config('overrides:\n  tasks/a: { timeout: 1m }\n  tasks/da|\n'), 'completion');
    assert.deepStrictEqual([key?.kind, (key as { role?: string }).role, (key as { id?: string }).id], ['taskId', 'override', 'tasks/da']);
    const fresh = inYaml(config('overrides:\n  tasks/a: { timeout: 1m }\n  |\n'), 'completion');
    assert.deepStrictEqual([fresh?.kind, (fresh as { role?: string }).role], ['taskId', 'override']);
    assert.strictEqual(inYaml(config('jobs:\n  |\n'), 'completion'), undefined, 'a new job id is the user\'s to choose');
  });
});
