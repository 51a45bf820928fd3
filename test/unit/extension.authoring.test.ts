// What the extension writes for the user: the New Task… templates (each compiles and its options
// validate, with the real compiler and options reader), the Open Config skeleton (commented out it
// changes nothing; uncommented it is a valid config), and the JSON check of Run with Parameters….
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readConfig } from '../../src/core/config';
import { createCompiler } from '../../src/core/tasks/compile';
import { loadTaskFiles } from '../../src/core/tasks/load';
import { parseParams } from '../../src/extension/params';
import { CONFIG_SKELETON, checkTaskName, displayName, TASK_TEMPLATES } from '../../src/extension/taskTemplates';

const API = path.join(__dirname, '../../src/api/index.ts');
const DESCRIBE = path.join(__dirname, '../../src/runner/describe.ts');
const REGISTER = path.join(__dirname, '../register.js');

describe('extension: New Task templates', function () {
  this.timeout(30_000);

  it('offers 4 templates, each a task file that compiles and whose options validate', async () => {
    assert.strictEqual(TASK_TEMPLATES.length, 4);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-templates-'));
    const ws = path.join(root, 'ws');
    for (const t of TASK_TEMPLATES) {
      fs.mkdirSync(path.join(ws, 'tasks'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'tasks', `${t.id}.task.ts`), t.text(`My "${t.label}" task`));
    }
    const compiler = createCompiler({ workspaceFolder: ws, cacheDir: path.join(root, 'cache'), apiModulePath: API });
    const r = await loadTaskFiles(ws, { compiler, describe: { args: ['-r', REGISTER, DESCRIBE, '--describe'], timeoutMs: 5_000 } });
    assert.deepStrictEqual(r.invalid.map((i) => `${i.id}: ${i.reason}`), []);
    assert.deepStrictEqual(r.diagnostics.map((d) => d.message), []);
    assert.deepStrictEqual(r.tasks.map((t) => t.id).sort(), TASK_TEMPLATES.map((t) => `tasks/${t.id}`).sort());
    const hello = r.tasks.find((t) => t.id === 'tasks/hello')!;
    assert.strictEqual(hello.options.name, 'My "Every few minutes" task', 'the name is a safe string literal');
  });

  it('checks the name and turns it into a display name', () => {
    assert.strictEqual(checkTaskName('tasks/nightly-backup'), undefined);
    assert.strictEqual(checkTaskName('nightly_backup.task.ts'), undefined);
    assert.match(checkTaskName('../outside') ?? '', /\.\./);
    assert.match(checkTaskName('/abs/path') ?? '', /absolute/);
    assert.match(checkTaskName('tasks/x y') ?? '', /Letters/);
    assert.match(checkTaskName('  ') ?? '', /name/);
    assert.strictEqual(displayName('tasks/nightly-backup'), 'Nightly backup');
  });
});

describe('extension: the Open Config skeleton', () => {
  const write = (text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-skeleton-'));
    fs.writeFileSync(path.join(dir, '.scheduler.yaml'), text);
    return dir;
  };

  it('changes nothing as written (every key commented out)', async () => {
    const r = await readConfig(write(CONFIG_SKELETON));
    assert.deepStrictEqual(r.diagnostics, []);
    assert.deepStrictEqual(r.config.jobs, {});
  });

  it('is a valid config with every key uncommented', async () => {
    const uncommented = CONFIG_SKELETON.split('\n')
      .map((l) => (/^# (?!Task Scheduler settings)/.test(l) ? l.slice(2) : l)).join('\n');
    const r = await readConfig(write(uncommented));
    assert.deepStrictEqual(r.diagnostics.map((d) => `${d.line}: ${d.message}`), []);
    assert.strictEqual(r.config.timezone, 'Europe/Berlin');
    assert.deepStrictEqual(Object.keys(r.config.jobs).sort(), ['disk-usage', 'save-all']);
  });
});

describe('extension: Run with Parameters JSON', () => {
  it('accepts an object (or nothing) and refuses anything else', () => {
    assert.deepStrictEqual(parseParams('{"a": 1, "b": [true, null]}'), { ok: true, params: { a: 1, b: [true, null] } });
    assert.deepStrictEqual(parseParams('  '), { ok: true, params: {} });
    assert.deepStrictEqual(parseParams('[1]'), { ok: false, error: 'parameters must be a JSON object like {"name": "value"}, not an array' });
    assert.match((parseParams('"x"') as { error: string }).error, /not string/);
  });

  it('names the line and column of a syntax error', () => {
    const cases: Array<[string, string]> = [
      ['{"who": }', 'line 1, column 9: expected a value, found "}"'],
      ['{\n  "a": 1,\n}', 'line 3, column 1: a comma before "}" (JSON allows no trailing comma)'],
      ["{'a': 1}", 'line 1, column 2: expected a "quoted" property name, found "\'"'],
      ['{"a": 1', 'line 1, column 8: expected "," or "}", found the end'],
      ['{"a": "x\\q"}', 'line 1, column 10: unknown escape \\q'],
      ['{"a": 1} 2', 'line 1, column 10: unexpected "2" after the value'],
    ];
    for (const [text, error] of cases) assert.deepStrictEqual(parseParams(text), { ok: false, error: `not valid JSON at ${error}` }, text);
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = ['{}', '{"a":-0.5e3}', '{"u":"\\u00e9"}', '{"a":01}', '{"a":.5}', '{"a":1e}', '{"a":"\t"}', '{"a":tru}', '{"a":[1,]}', '{"a":{"b":{}}}'];
    for (const s of samples) {
      let valid = true;
      try { JSON.parse(s); } catch { valid = false; }
      assert.strictEqual(parseParams(s).ok, valid, s);
    }
  });

  it('survives absurd nesting', () => {
    const r = parseParams('{"a":' + '['.repeat(100_000));
    assert.strictEqual(r.ok, false);
  });
});
