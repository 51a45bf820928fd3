// The JSON Schema shipped for editor completion (schemas/scheduler.schema.json) must agree with the
// validator: it accepts every good fixture and example, rejects every bad fixture (unless the mistake
// is beyond JSON Schema, which the fixture says), and names exactly the keys the validator accepts.

import * as assert from 'assert';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { CONFIG_DEFAULTS, TASK_DEFAULTS } from '../../src/core/config/defaults';
import {
  DEFAULTS_KEYS, DEPENDENCY_KEYS, DISCOVERY_KEYS, HISTORY_KEYS, JOB_KEYS, NOTIFICATION_KEYS, OUTPUT_KEYS, OUTPUT_MODES,
  RETRY_KEYS, STORE_KEYS, STRUCTURED_SCHEDULE_KEYS, STRUCTURED_SCHEDULE_TYPES, TASK_OPTION_KEYS, TOP_LEVEL_KEYS,
} from '../../src/core/config/keys';
import { parseDuration } from '../../src/core/duration';
import { BACKOFFS, CATCH_UP_POLICIES, DEPENDENCY_OUTCOMES, OVERLAP_POLICIES, PRIORITIES, SCHEDULE_WARNINGS } from '../../src/core/model';
import { examples, fixtures } from './config.fixtures.test';

const ROOT = path.join(__dirname, '../..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/scheduler.schema.json'), 'utf8'));
// `strictRequired` off: `oneOf: [{ required: [command] }, …]` names properties defined beside it, as JSON Schema intends.
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);

type Schema = Record<string, any>;
/** Follows `$ref` and a lone `allOf: [{ $ref }]` to the schema that holds the properties/enum. */
function deref(s: Schema): Schema {
  if (s.$ref) return deref(schema.definitions[s.$ref.replace('#/definitions/', '')]);
  return s;
}
/** The object form inside `s` (direct, or the object alternative of an anyOf). */
function objectForm(s: Schema): Schema {
  const d = deref(s);
  if (d.properties) return d;
  const alt = (d.anyOf ?? []).map(deref).find((a: Schema) => a.properties);
  assert.ok(alt, `no object form in ${JSON.stringify(s).slice(0, 80)}`);
  return alt;
}
const keysOf = (s: Schema) => Object.keys(objectForm(s).properties).sort();
const sorted = (keys: readonly string[]) => [...keys].sort();
const prop = (s: Schema, key: string) => objectForm(s).properties[key] as Schema;
const def = (name: string) => schema.definitions[name] as Schema;

/** The YAML as data, the way the editor's YAML support reads it; undefined when it is not valid YAML. */
function yamlData(file: string): unknown {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { merge: true });
  if (doc.errors.length) return undefined;
  try { return doc.toJS(); } catch { return undefined; } // an alias without its anchor
}
const errorsOf = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');


describe('config: JSON Schema', () => {
  for (const file of [...fixtures('good'), ...examples()]) {
    it(`accepts ${path.relative(ROOT, file)}`, () => {
      const data = yamlData(file) ?? {};
      assert.ok(validate(data), errorsOf());
    });
  }

  for (const file of fixtures('bad')) {
    const accepts = /^# schema: accepts — (.+)$/m.exec(fs.readFileSync(file, 'utf8'));
    it(`${accepts ? 'accepts (knowingly)' : 'rejects'} bad/${path.basename(file)}`, () => {
      const data = yamlData(file);
      if (data === undefined) { assert.ok(!accepts, 'not YAML at all, so nothing can accept it'); return; }
      assert.strictEqual(validate(data), !!accepts, accepts ? `marked as beyond the schema (${accepts[1]}) but rejected: ${errorsOf()}` : 'accepted');
    });
  }

  it('names exactly the keys the validator accepts, at every level', () => {
    const pairs: [string, Schema, readonly string[]][] = [
      ['top level', schema, TOP_LEVEL_KEYS],
      ['tasks', prop(schema, 'tasks'), DISCOVERY_KEYS],
      ['history', prop(schema, 'history'), HISTORY_KEYS],
      ['notifications', prop(schema, 'notifications'), NOTIFICATION_KEYS],
      ['store', prop(schema, 'store'), STORE_KEYS],
      ['defaults', prop(schema, 'defaults'), DEFAULTS_KEYS],
      ['overrides.*', def('override'), TASK_OPTION_KEYS],
      ['jobs.*', def('job'), JOB_KEYS],
      ['retries', def('option.retries'), RETRY_KEYS],
      ['dependsOn entry', def('dependency'), DEPENDENCY_KEYS],
      ['output', def('option.output'), OUTPUT_KEYS],
      ['structured schedule', def('structuredSchedule'), STRUCTURED_SCHEDULE_KEYS],
    ];
    for (const [where, s, keys] of pairs) assert.deepStrictEqual(keysOf(s), sorted(keys), where);
    assert.deepStrictEqual(prop(schema, 'overrides').additionalProperties, { $ref: '#/definitions/override' });
    assert.deepStrictEqual(prop(schema, 'jobs').additionalProperties, { $ref: '#/definitions/job' });
  });

  it('offers exactly the values the validator accepts', () => {
    const enums: [string, Schema, readonly string[]][] = [
      ['overlap', def('option.overlap'), OVERLAP_POLICIES],
      ['catchUp', def('option.catchUp'), CATCH_UP_POLICIES],
      ['priority', def('option.priority'), PRIORITIES],
      ['retries.backoff', prop(def('option.retries'), 'backoff'), BACKOFFS],
      ['dependsOn.on', prop(def('dependency'), 'on'), DEPENDENCY_OUTCOMES],
      ['output.mode', prop(def('option.output'), 'mode'), OUTPUT_MODES],
      ['schedule.type', prop(def('structuredSchedule'), 'type'), STRUCTURED_SCHEDULE_TYPES],
      ['ignoreWarnings', def('scheduleWarning'), SCHEDULE_WARNINGS],
    ];
    for (const [where, s, values] of enums) assert.deepStrictEqual(s.enum, [...values], where);
  });

  it('documents every property, and its default is the built-in one', () => {
    const defaults: Record<string, unknown> = {
      concurrency: CONFIG_DEFAULTS.concurrency, paused: CONFIG_DEFAULTS.paused, version: 1,
      retentionDays: CONFIG_DEFAULTS.retentionDays, maxRunsPerTask: CONFIG_DEFAULTS.maxRunsPerTask,
      onFailure: CONFIG_DEFAULTS.onFailure, onSuccess: CONFIG_DEFAULTS.onSuccess,
      include: [...CONFIG_DEFAULTS.include], exclude: [],
      overlap: TASK_DEFAULTS.overlap, catchUp: TASK_DEFAULTS.catchUp, priority: TASK_DEFAULTS.priority,
      enabled: TASK_DEFAULTS.enabled, pauseAfterFailures: TASK_DEFAULTS.pauseAfterFailures, memoryLimit: TASK_DEFAULTS.memoryLimitMb,
      env: {}, params: {}, tags: [], dependsOn: [], description: '', args: [], cwd: '.', on: 'success', mode: 'append',
      ignoreWarnings: [...TASK_DEFAULTS.ignoreWarnings],
      tasks: {}, defaults: {}, history: {}, notifications: {}, overrides: {}, jobs: {},
      max: TASK_DEFAULTS.retries.max, backoff: TASK_DEFAULTS.retries.backoff, jitter: TASK_DEFAULTS.retries.jitter,
    };
    const durations: Record<string, number> = {
      timeout: TASK_DEFAULTS.timeout, catchUpWindow: TASK_DEFAULTS.catchUpWindow,
      delay: TASK_DEFAULTS.retries.delay, maxDelay: TASK_DEFAULTS.retries.maxDelay,
    };
    // No fixed default: derived (name = the id, timezone = the machine's), or what the task is.
    const noDefault = new Set(['timezone', 'name', 'output', 'command', 'vscodeCommand', 'vscodeTask', 'task', 'file',
      'type', 'interval', 'hour', 'minute', 'day_of_week', 'day_of_month']);

    const seen = new Set<string>();
    const walk = (s: Schema, where: string): void => {
      for (const [key, raw] of Object.entries(objectForm(s).properties as Record<string, Schema>)) {
        const p = deref(raw);
        const at = `${where}.${key}`;
        assert.ok(typeof p.description === 'string' && p.description.length > 10, `${at} has a description`);
        seen.add(key);
        if (noDefault.has(key)) assert.strictEqual(p.default, undefined, `${at} has no fixed default`);
        else if (key in durations) assert.strictEqual(parseDuration(p.default), durations[key], `${at} default`);
        else if (key === 'schedule') assert.strictEqual(p.default, 'manual', 'no schedule = manual');
        else if (key === 'retries') assert.deepStrictEqual(p.default, { max: 0, backoff: 'exponential', delay: '30s', maxDelay: '10m', jitter: true });
        else assert.deepStrictEqual(p.default, defaults[key], `${at} default`);
      }
    };
    walk(schema, '');
    for (const name of ['tasks', 'defaults', 'history', 'notifications']) walk(prop(schema, name), name);
    for (const name of ['override', 'job', 'option.retries', 'dependency', 'option.output', 'structuredSchedule']) walk(def(name), name);
    assert.strictEqual(parseDuration(schema.definitions['option.retries'].default.delay), TASK_DEFAULTS.retries.delay);
    assert.strictEqual(parseDuration(schema.definitions['option.retries'].default.maxDelay), TASK_DEFAULTS.retries.maxDelay);
    assert.ok(seen.size > 40);
  });

  it('names every built-in exclude where `exclude` is described', () => {
    const text = prop(prop(schema, 'tasks'), 'exclude').description as string;
    for (const glob of CONFIG_DEFAULTS.exclude) assert.ok(text.includes(glob.replace(/^\*\*\/|\/\*\*$/g, '')), glob);
  });

  it('reads durations as the validator does', () => {
    const d = (value: unknown) => validate({ defaults: { timeout: value } });
    for (const ok of ['30s', '10m', '1h30m', '1h 30m', '500ms', '2D', '1.5h', '1500', 1500]) {
      assert.strictEqual(d(ok), true, String(ok));
      assert.notStrictEqual(parseDuration(ok), undefined, String(ok));
    }
    for (const bad of ['10 minutes', 'soon', '-5s', 'm10', '']) {
      assert.strictEqual(d(bad), false, String(bad));
      assert.strictEqual(parseDuration(bad), undefined, String(bad));
    }
  });
});
