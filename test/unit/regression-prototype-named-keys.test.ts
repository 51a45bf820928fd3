// Regression (fuzz battery): `.scheduler.yaml` keys and ids that are also names every JS object has
// (`constructor`, `toString`, `__proto__`, …) were looked up on plain objects:
//   - an unknown key `constructor` was "not allowed here: function Object() { [native code] }";
//   - a `__proto__:` key was taken as the object's prototype: no warning, and a job of that id vanished;
//   - a job (or task) with id `constructor` took Function `Object` as its override: it was named "Object".
import * as assert from 'assert';
import { jobSpecs, loadConfig } from '../../src/core/config';
import { validateTaskOptions } from '../../src/core/options';

const FILE = '/ws/.scheduler.yaml';

describe('regression: keys named like Object.prototype members', () => {
  it('are unknown keys like any other, with the list of known ones', () => {
    const { diagnostics } = loadConfig(FILE, 'constructor: 1\ndefaults: { toString: 1 }\nhistory: { hasOwnProperty: 3 }\n');
    assert.strictEqual(diagnostics.length, 3);
    for (const d of diagnostics) {
      assert.strictEqual(d.code, 'config.unknown-key', d.message);
      assert.match(d.message, /expected one of/);
      assert.doesNotMatch(d.message, /native code|function/);
    }
  });

  it('`__proto__:` is warned about at its key, and changes nothing', () => {
    const { config, diagnostics } = loadConfig(FILE, 'version: 1\n__proto__: { timezone: Europe/Berlin }\n');
    assert.strictEqual(config.timezone, undefined);
    assert.deepStrictEqual(diagnostics.map((d) => [d.line, d.column, d.code]), [[2, 1, 'config.unknown-key']]);
  });

  it('jobs named constructor, toString and __proto__ are jobs with their own names', () => {
    const loaded = loadConfig(FILE, [
      'jobs:',
      '  constructor: { command: "echo a", schedule: hourly }',
      '  toString: { command: "echo b" }',
      '  __proto__: { command: "echo c" }',
      '',
    ].join('\n'));
    assert.deepStrictEqual(loaded.diagnostics, []);
    assert.deepStrictEqual(Object.keys(loaded.config.jobs), ['constructor', 'toString', '__proto__']);
    const specs = jobSpecs(loaded.config, FILE, '/ws');
    assert.deepStrictEqual(specs.map((s) => [s.id, s.name]), [['constructor', 'constructor'], ['toString', 'toString'], ['__proto__', '__proto__']]);
  });

  it('a task option named constructor is an unknown key', () => {
    const { diagnostics } = validateTaskOptions({ constructor: 1, schedule: 'hourly' }, () => ({ line: 1, column: 1 }), '/ws/a.task.ts', 'a', 'job');
    const unknown = diagnostics.find((d) => d.code === 'config.unknown-key');
    assert.ok(unknown, JSON.stringify(diagnostics));
    assert.doesNotMatch(unknown.message, /native code/);
  });
});
