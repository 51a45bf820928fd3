// One validator for a task's options, wherever they are written: a `*.task.ts` file (read in a child
// process and handed over as plain data), a job, an override or the defaults in `.scheduler.yaml`.
// And the one place that layers them into a TaskSpec: built-in < config defaults < task file or job
// < config override.

import * as path from 'path';
import {
  BACKOFFS, CATCH_UP_POLICIES, DEPENDENCY_OUTCOMES, OVERLAP_POLICIES, PRIORITIES, SCHEDULE_WARNINGS,
  type Dependency, type Diagnostic, type OutputOptions, type RetryPolicy, type ScheduleInput, type ScheduleWarningName, type StructuredSchedule,
  type TaskKind, type TaskSpec,
} from './model';
import { TASK_DEFAULTS } from './config/defaults';
import {
  readBoolean, readDuration, readEnum, readInteger, readObject, readString, readStringList, readTimezone,
} from './config/fields';
import {
  DEFAULTS_KEYS, DEPENDENCY_KEYS, JOB_KEYS, JOB_OWN_KEYS, OUTPUT_KEYS, OUTPUT_MODES, RETRY_KEYS, STRUCTURED_SCHEDULE_KEYS,
  STRUCTURED_SCHEDULE_TYPES, TASK_FILE_CODE_KEYS, TASK_OPTION_KEYS,
} from './config/keys';
import { didYouMean } from './config/didYouMean';
import { describeValue, formatPath, isPlainObject, Reporter, setOwn } from './config/report';
import { parseSchedule } from './config/schedule';
import { JOB_KINDS, type JobKind, type JobOptions, type Path, type PositionResolver, type TaskOptions } from './config/types';

/** Where the options are written; it decides which keys are allowed. */
export type OptionsContext = 'taskFile' | 'job' | 'override' | 'defaults';

const SCHEDULE_FORM = 'a schedule like "daily at 09:30" or "0 2 * * *", a { type: daily, hour: 9, minute: 30 } object, or a list of them';

/** Keys valid at another level, and what to do instead, per context. */
function misplacedKeys(context: OptionsContext): Record<string, string> {
  const out: Record<string, string> = {};
  const needsCode = 'it needs code: write a *.task.ts file';
  if (context !== 'taskFile') for (const key of TASK_FILE_CODE_KEYS) out[key] = needsCode;
  if (context === 'taskFile') for (const key of JOB_OWN_KEYS) out[key] = 'it belongs to a job under `jobs:` in .scheduler.yaml; a task file runs its `run` function';
  if (context === 'override' || context === 'defaults') {
    for (const key of JOB_OWN_KEYS) out[key] = 'an override changes how a task runs, not what it runs; define a job under `jobs:`';
  }
  if (context === 'defaults') {
    for (const key of TASK_OPTION_KEYS) {
      if ((DEFAULTS_KEYS as readonly string[]).includes(key)) continue;
      out[key] = key === 'timezone'
        ? 'set `timezone` at the top level of .scheduler.yaml'
        : `\`${key}\` belongs to one task: set it in the task or under \`overrides:\``;
    }
  }
  return out;
}

function allowedKeys(context: OptionsContext): readonly string[] {
  switch (context) {
    case 'taskFile': return [...TASK_OPTION_KEYS, ...TASK_FILE_CODE_KEYS];
    case 'job': return JOB_KEYS;
    case 'override': return TASK_OPTION_KEYS;
    case 'defaults': return DEFAULTS_KEYS;
  }
}

/**
 * Validates a task's options. `at` maps a path inside `raw` to its place in `file`. Bad values are
 * dropped with an error (the task is then invalid: an error carries `taskId`), unknown keys warned.
 */
export function validateTaskOptions(
  raw: unknown, at: PositionResolver, file: string, taskId?: string, context: OptionsContext = 'taskFile',
): { options: JobOptions; diagnostics: Diagnostic[] } {
  const r = new Reporter(file, at, taskId);
  return { options: readTaskOptions(r, raw, context), diagnostics: r.diagnostics };
}

/** The same, reporting into an existing reporter (the YAML loader validates many tasks in one pass). */
export function readTaskOptions(r: Reporter, raw: unknown, context: OptionsContext): JobOptions {
  const out: JobOptions = {};
  const obj = readObject(r, [], raw, 'an object of task options');
  if (!obj) return out;
  r.unknownKeys(obj, [], allowedKeys(context), misplacedKeys(context));
  const allowed = new Set(allowedKeys(context));
  // A key whose value is absent (an unresolved YAML alias, already reported) is not set.
  const has = (key: string) => allowed.has(key) && obj[key] !== undefined;

  if (has('name')) out.name = readString(r, ['name'], obj.name);
  if (has('description')) out.description = readString(r, ['description'], obj.description, { allowEmpty: true });
  // The timezone first: a schedule string is checked in it.
  if (has('timezone')) out.timezone = readTimezone(r, ['timezone'], obj.timezone);
  if (has('schedule')) out.schedule = readSchedules(r, ['schedule'], obj.schedule, out.timezone);
  if (has('timeout')) out.timeout = readDuration(r, ['timeout'], obj.timeout, { min: 1 });
  if (has('retries')) out.retries = readRetries(r, ['retries'], obj.retries);
  if (has('overlap')) out.overlap = readEnum(r, ['overlap'], obj.overlap, OVERLAP_POLICIES);
  if (has('catchUp')) out.catchUp = readEnum(r, ['catchUp'], obj.catchUp, CATCH_UP_POLICIES);
  if (has('catchUpWindow')) out.catchUpWindow = readDuration(r, ['catchUpWindow'], obj.catchUpWindow);
  if (has('priority')) out.priority = readEnum(r, ['priority'], obj.priority, PRIORITIES);
  if (has('dependsOn')) out.dependsOn = readDependsOn(r, ['dependsOn'], obj.dependsOn);
  if (has('tags')) out.tags = readStringList(r, ['tags'], obj.tags, 'a tag (a non-empty string)');
  if (has('enabled')) out.enabled = readBoolean(r, ['enabled'], obj.enabled);
  if (has('env')) out.env = readEnv(r, ['env'], obj.env);
  if (has('params')) out.params = readObject(r, ['params'], obj.params, 'an object of parameters');
  if (has('memoryLimit')) out.memoryLimitMb = readMemoryLimit(r, ['memoryLimit'], obj.memoryLimit);
  if (has('output')) out.output = readOutput(r, ['output'], obj.output);
  if (has('pauseAfterFailures')) out.pauseAfterFailures = readInteger(r, ['pauseAfterFailures'], obj.pauseAfterFailures, 0);
  if (has('ignoreWarnings')) out.ignoreWarnings = readIgnoreWarnings(r, ['ignoreWarnings'], obj.ignoreWarnings);
  if (context === 'job') readJobKind(r, obj, out);

  for (const key of Object.keys(out) as (keyof JobOptions)[]) if (out[key] === undefined) delete out[key];
  return out;
}

// ---- schedule ---------------------------------------------------------------------------------

function readSchedules(r: Reporter, p: Path, value: unknown, timezone: string | undefined): ScheduleInput[] | undefined {
  if (Array.isArray(value)) {
    const out: ScheduleInput[] = [];
    value.forEach((item, i) => {
      if (Array.isArray(item)) r.invalid([...p, i], 'a schedule string or a { type, … } object', item);
      else { const s = readSchedule(r, [...p, i], item, timezone); if (s !== undefined) out.push(s); }
    });
    return out;
  }
  const one = readSchedule(r, p, value, timezone);
  return one === undefined ? undefined : [one];
}

function readSchedule(r: Reporter, p: Path, value: unknown, timezone: string | undefined): ScheduleInput | undefined {
  let input: ScheduleInput;
  if (typeof value === 'string' && value.trim() !== '') input = value;
  else if (isPlainObject(value)) {
    const structured = readStructured(r, p, value);
    if (!structured) return undefined;
    input = structured;
  } else {
    r.invalid(p, SCHEDULE_FORM, value);
    return undefined;
  }
  const parsed = parseSchedule(input, { timezone });
  if (parsed.ok) return input;
  const { message, offset, length, expected } = parsed.error;
  const where = typeof input === 'string' ? { offset, length } : undefined;
  const tail = expected && !message.includes('expected') ? `; expected ${expected}` : '';
  const quoted = typeof input === 'string' ? ` ${describeValue(input)}` : '';
  r.error(p, 'schedule.invalid', `\`${formatPath(p)}\`${quoted} is not a valid schedule: ${message}${tail}`, where);
  return undefined;
}

/** The seeds' structured form: shape and ranges here; which fields each type needs is the schedule module's call. */
function readStructured(r: Reporter, p: Path, obj: Record<string, unknown>): StructuredSchedule | undefined {
  r.unknownKeys(obj, p, STRUCTURED_SCHEDULE_KEYS);
  const type = obj.type === undefined
    ? (r.error(p, 'config.missing-key', `\`${formatPath(p)}\` needs \`type\`: one of ${STRUCTURED_SCHEDULE_TYPES.join(', ')}`, { key: true }), undefined)
    : readEnum(r, [...p, 'type'], obj.type, STRUCTURED_SCHEDULE_TYPES);
  const ranges: [keyof StructuredSchedule, number, number][] = [
    ['interval', 1, Infinity], ['hour', 0, 23], ['minute', 0, 59], ['day_of_week', 0, 6], ['day_of_month', 1, 31],
  ];
  const out: StructuredSchedule = { type: type ?? 'daily' };
  let ok = type !== undefined;
  for (const [key, min, max] of ranges) {
    if (obj[key] === undefined) continue;
    const n = readInteger(r, [...p, key], obj[key], min, max);
    if (n === undefined) ok = false;
    else (out as unknown as Record<string, number>)[key] = n;
  }
  return ok ? out : undefined;
}

// ---- retries, dependencies, env, memory, output -----------------------------------------------

function readRetries(r: Reporter, p: Path, value: unknown): Partial<RetryPolicy> | undefined {
  if (typeof value === 'number') {
    const max = readInteger(r, p, value, 0);
    return max === undefined ? undefined : { max };
  }
  const obj = readObject(r, p, value, 'a number of retries or { max, backoff, delay, maxDelay, jitter }');
  if (!obj) return undefined;
  r.unknownKeys(obj, p, RETRY_KEYS);
  const out: Partial<RetryPolicy> = {};
  if (obj.max !== undefined) out.max = readInteger(r, [...p, 'max'], obj.max, 0);
  if (obj.backoff !== undefined) out.backoff = readEnum(r, [...p, 'backoff'], obj.backoff, BACKOFFS);
  if (obj.delay !== undefined) out.delay = readDuration(r, [...p, 'delay'], obj.delay);
  if (obj.maxDelay !== undefined) out.maxDelay = readDuration(r, [...p, 'maxDelay'], obj.maxDelay);
  if (obj.jitter !== undefined) out.jitter = readBoolean(r, [...p, 'jitter'], obj.jitter);
  if (out.delay !== undefined && out.maxDelay !== undefined && out.maxDelay < out.delay) {
    r.error([...p, 'maxDelay'], 'config.invalid-value', `\`${formatPath([...p, 'maxDelay'])}\` must be at least \`delay\` (${describeValue(obj.delay)}); got ${describeValue(obj.maxDelay)}`);
    delete out.maxDelay;
  }
  for (const key of Object.keys(out) as (keyof RetryPolicy)[]) if (out[key] === undefined) delete out[key];
  return out;
}

const DEPENDENCY_FORM = 'a task id or { task: id, on: success | failure | completion }';

function readDependsOn(r: Reporter, p: Path, value: unknown): Dependency[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const out: Dependency[] = [];
  items.forEach((item, i) => {
    const ip = Array.isArray(value) ? [...p, i] : p;
    let dep: Dependency | undefined;
    if (typeof item === 'string' && item.trim() !== '') dep = { task: item, on: 'success' };
    else if (isPlainObject(item)) {
      r.unknownKeys(item, ip, DEPENDENCY_KEYS);
      const task = item.task === undefined
        ? (r.error(ip, 'config.missing-key', `\`${formatPath(ip)}\` needs \`task\`: the id of the task it waits for`), undefined)
        : readString(r, [...ip, 'task'], item.task);
      const on = item.on === undefined ? 'success' : readEnum(r, [...ip, 'on'], item.on, DEPENDENCY_OUTCOMES);
      if (task !== undefined && on !== undefined) dep = { task, on };
    } else r.invalid(ip, DEPENDENCY_FORM, item);
    if (!dep) return;
    if (out.some((d) => d.task === dep.task)) {
      r.warning(ip, 'config.duplicate-dependency', `\`${formatPath(ip)}\`: \`${dep.task}\` is already listed; this entry is ignored`);
      return;
    }
    out.push(dep);
  });
  return out;
}

/**
 * One warning name or a list of them. An unknown name is only warned about: a typo in what to keep quiet
 * must not stop the task from running.
 */
function readIgnoreWarnings(r: Reporter, p: Path, value: unknown): ScheduleWarningName[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const out: ScheduleWarningName[] = [];
  items.forEach((item, i) => {
    const ip = Array.isArray(value) ? [...p, i] : p;
    if (typeof item === 'string' && (SCHEDULE_WARNINGS as readonly string[]).includes(item)) {
      if (!out.includes(item as ScheduleWarningName)) out.push(item as ScheduleWarningName);
      return;
    }
    const near = typeof item === 'string' ? didYouMean(item, SCHEDULE_WARNINGS) : undefined;
    r.warning(ip, 'config.unknown-warning', `\`${formatPath(ip)}\` names no schedule warning${near ? ` (did you mean "${near}"?)` : ''}: expected ${SCHEDULE_WARNINGS.join(', ')}; got ${describeValue(item)}`);
  });
  return out;
}

/** Values are strings in the process; YAML's unquoted numbers and booleans are taken as their text. */
function readEnv(r: Reporter, p: Path, value: unknown): Record<string, string> | undefined {
  const obj = readObject(r, p, value, 'an object of NAME: value pairs');
  if (!obj) return undefined;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (!/^[^=\0]+$/.test(key)) { r.error([...p, key], 'config.invalid-value', `\`${formatPath(p)}\` names must not be empty or contain "="; got ${describeValue(key)}`, { key: true }); continue; }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') setOwn(out, key, String(v));
    else if (v !== undefined) r.invalid([...p, key], 'a string', v);
  }
  return out;
}

/** Below this Node cannot even start its own runtime, and the failure would look like the task's. */
const MIN_MEMORY_MB = 16;

function readMemoryLimit(r: Reporter, p: Path, value: unknown): number | undefined {
  let mb: number | undefined;
  if (typeof value === 'number') mb = value;
  else if (typeof value === 'string') {
    const m = /^\s*(\d+)\s*(mb|m|gb|g)?\s*$/i.exec(value);
    if (m) mb = Number(m[1]) * (m[2] && m[2].toLowerCase().startsWith('g') ? 1024 : 1);
  }
  if (mb !== undefined && Number.isInteger(mb) && (mb === 0 || mb >= MIN_MEMORY_MB)) return mb;
  r.invalid(p, `megabytes: a whole number ≥ ${MIN_MEMORY_MB} (or "512MB", "1GB"; 0 = no limit)`, value);
  return undefined;
}

function readOutput(r: Reporter, p: Path, value: unknown): OutputOptions | undefined {
  if (typeof value === 'string' && value.trim() !== '') return { file: value, mode: 'append' };
  const obj = readObject(r, p, value, 'a file path or { file, mode: append | overwrite }');
  if (!obj) return undefined;
  r.unknownKeys(obj, p, OUTPUT_KEYS);
  const file = obj.file === undefined
    ? (r.error(p, 'config.missing-key', `\`${formatPath(p)}\` needs \`file\`: where the output is written`), undefined)
    : readString(r, [...p, 'file'], obj.file);
  const mode = obj.mode === undefined ? 'append' : readEnum(r, [...p, 'mode'], obj.mode, OUTPUT_MODES);
  return file !== undefined && mode !== undefined ? { file, mode } : undefined;
}

// ---- jobs --------------------------------------------------------------------------------------

/** Exactly one of command / vscodeCommand / vscodeTask, and the keys that go with it. */
function readJobKind(r: Reporter, obj: Record<string, unknown>, out: JobOptions): void {
  const given = JOB_KINDS.filter((k) => obj[k] !== undefined);
  if (given.length === 0) {
    r.error([], 'config.job-kind', `a job needs one of \`command\` (a shell command), \`vscodeCommand\` (a VS Code command id) or \`vscodeTask\` (a tasks.json label)`, { key: true });
  } else if (given.length > 1) {
    r.error([given[1]], 'config.job-kind', `a job runs one thing: \`${given[0]}\` and \`${given[1]}\` are both given; keep one`, { key: true });
  } else {
    const kind: JobKind = given[0];
    const text = readString(r, [kind], obj[kind]);
    if (text !== undefined) { out.kind = kind; out[kind] = text; }
  }
  if (obj.cwd !== undefined) {
    if (!given.includes('command')) r.warning(['cwd'], 'config.unused-key', '`cwd` is only used with `command`', { key: true });
    else out.cwd = readString(r, ['cwd'], obj.cwd);
  }
  if (obj.args !== undefined) {
    if (!given.includes('vscodeCommand')) r.warning(['args'], 'config.unused-key', '`args` is only used with `vscodeCommand`', { key: true });
    else if (Array.isArray(obj.args)) out.args = obj.args;
    else r.invalid(['args'], 'a list of arguments for the command', obj.args);
  }
}

// ---- resolution --------------------------------------------------------------------------------

/**
 * A task's options with every level applied: built-in < config `defaults` (which carry the config's
 * top-level timezone) < the task file or job < config `overrides[id]`. Scalars and lists: the last
 * level that sets one wins. `retries`, `env`, `params` merge field by field. `tags` from the defaults
 * are added to the task's own. Relative `cwd` and `output.file` are resolved from the workspace folder.
 */
export function resolveTaskSpec(
  id: string, kind: TaskKind, file: string, workspaceFolder: string,
  fromFile: JobOptions, defaults: TaskOptions = {}, override: TaskOptions = {},
): TaskSpec {
  const levels: TaskOptions[] = [defaults, fromFile, override];
  const last = <K extends keyof TaskOptions>(key: K): TaskOptions[K] | undefined => {
    for (let i = levels.length - 1; i >= 0; i--) if (levels[i][key] !== undefined) return levels[i][key];
    return undefined;
  };
  const merged = <T extends object>(key: 'retries' | 'env' | 'params', base: T): T =>
    Object.assign({}, base, ...levels.map((l) => l[key] ?? {}));
  const own = override.tags ?? fromFile.tags ?? [];
  const memory = last('memoryLimitMb') ?? TASK_DEFAULTS.memoryLimitMb;
  const output = last('output');

  const spec: TaskSpec = {
    id,
    name: last('name') ?? id,
    kind,
    file,
    workspaceFolder,
    schedule: last('schedule') ?? [...TASK_DEFAULTS.schedule],
    timeout: last('timeout') ?? TASK_DEFAULTS.timeout,
    retries: merged('retries', TASK_DEFAULTS.retries),
    overlap: last('overlap') ?? TASK_DEFAULTS.overlap,
    catchUp: last('catchUp') ?? TASK_DEFAULTS.catchUp,
    catchUpWindow: last('catchUpWindow') ?? TASK_DEFAULTS.catchUpWindow,
    priority: last('priority') ?? TASK_DEFAULTS.priority,
    dependsOn: last('dependsOn') ?? [],
    tags: [...new Set([...(defaults.tags ?? []), ...own])],
    enabled: last('enabled') ?? TASK_DEFAULTS.enabled,
    env: merged('env', TASK_DEFAULTS.env),
    params: merged('params', TASK_DEFAULTS.params),
    pauseAfterFailures: last('pauseAfterFailures') ?? TASK_DEFAULTS.pauseAfterFailures,
  };
  const description = last('description');
  if (description !== undefined) spec.description = description;
  // Silencing adds up: the defaults' for every task, then the task's own and an override's.
  const ignored = [...new Set(levels.flatMap((l) => l.ignoreWarnings ?? []))];
  if (ignored.length) spec.ignoreWarnings = ignored;
  const timezone = last('timezone');
  if (timezone !== undefined) spec.timezone = timezone;
  if (memory > 0) spec.memoryLimitMb = memory; // 0 = no limit: Node's own heap size
  if (output) spec.output = { file: path.resolve(workspaceFolder, output.file), mode: output.mode };
  if (kind === 'command') { spec.command = fromFile.command; spec.cwd = path.resolve(workspaceFolder, fromFile.cwd ?? '.'); }
  if (kind === 'vscodeCommand') { spec.vscodeCommand = fromFile.vscodeCommand; spec.args = fromFile.args ?? []; }
  if (kind === 'vscodeTask') spec.vscodeTask = fromFile.vscodeTask;
  return spec;
}
