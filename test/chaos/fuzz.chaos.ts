// Property-based fuzzing (fast-check) of everything a user writes: `.scheduler.yaml` text, schedule
// strings and task options. Each case must not throw, must finish within CASE_BOUND_MS, and every
// rejection must be positioned (inside the text, at the offending key/value where the generator knows
// which one it broke) with a message that names the expected form.
//
// Generators are structured, built from the real keys, then broken on purpose:
//   yaml       a config tree of real keys with good, bad (wrong type/value) and unknown keys, rendered
//              by hand so each entry's line is known; half the cases then get random text mutations
//              (bad indentation, tabs, stray YAML syntax, unicode, truncation, huge values)
//   schedules  every phrase form and cron with exactly one word/field replaced by a wrong one (the
//              error must point there), plus random strings, unicode and non-string inputs
//   options    option objects of real keys (good/bad/unknown values, huge and odd numbers), rendered
//              as a task file so the real position resolver (taskFilePositions) maps paths to places
import fc from 'fast-check';
import { loadConfig } from '../../src/core/config';
import {
  DEFAULTS_KEYS, DISCOVERY_KEYS, HISTORY_KEYS, JOB_OWN_KEYS, NOTIFICATION_KEYS, TASK_FILE_CODE_KEYS, TASK_OPTION_KEYS, TOP_LEVEL_KEYS,
} from '../../src/core/config/keys';
import type { Diagnostic } from '../../src/core/model';
import { validateTaskOptions, type OptionsContext } from '../../src/core/options';
import { parseSchedule } from '../../src/core/schedule';
import { taskFilePositions } from '../../src/core/tasks/optionPositions';
import type { ChaosCheck } from './check';

/**
 * A case that takes more CPU than this is a hang (each is text of at most a few hundred KB). CPU time,
 * not wall time: the machine is shared, and a busy neighbour must not pass for a slow parser.
 */
const CASE_BOUND_MS = 200;
const FILE = '/ws/.scheduler.yaml';
const TASK_FILE = '/ws/fuzz.task.ts';

// ---- shared ------------------------------------------------------------------------------------

interface Tally {
  cases: number;
  crashes: string[];
  hangs: string[];
  unpositioned: string[];
  /** A broken entry the validator did not report (a silent acceptance). */
  unreported: string[];
  /** A good entry reported as an error (a false rejection). */
  falseRejections: string[];
  maxMs: number;
  /** Cases re-timed after one slow run (a GC pause, not a hang: the retry is what counts). */
  retimed: number;
  /** The longest wall time of a case, for comparison (includes waiting for a shared CPU). */
  maxWallMs: number;
}

function tally(): Tally {
  return { cases: 0, crashes: [], hangs: [], unpositioned: [], unreported: [], falseRejections: [], maxMs: 0, retimed: 0, maxWallMs: 0 };
}

/** Runs `fn`, timing its CPU; a slow first run is repeated once so a GC pause does not count as a hang. */
function timed<T>(t: Tally, label: string, fn: () => T): T | undefined {
  let result: T | undefined;
  let ms = Infinity;
  for (let attempt = 0; attempt < 2 && ms > CASE_BOUND_MS; attempt++) {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    try {
      result = fn();
    } catch (e) {
      t.crashes.push(`${label}: ${(e as Error)?.stack ?? String(e)}`);
      return undefined;
    }
    const used = process.cpuUsage(cpu);
    ms = Math.min(ms, (used.user + used.system) / 1000);
    t.maxWallMs = Math.max(t.maxWallMs, performance.now() - wall);
    if (attempt === 1) t.retimed++;
  }
  t.maxMs = Math.max(t.maxMs, ms);
  if (ms > CASE_BOUND_MS) t.hangs.push(`${label}: ${ms.toFixed(0)} ms`);
  return result;
}

const show = (s: string, n = 160): string => JSON.stringify(s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

/**
 * A validation message names what was expected (or what to write instead). Syntax errors come from the
 * YAML parser and are only required to be positioned.
 */
const NAMES_EXPECTED = /expected|must be|did you mean|use `|is not allowed here|needs `|needs exactly|needs one of|only used with|keep one|quote it|refers to no anchor|too large|already listed|\bwrite\b|\buse\b|would never run|must not|out of range \d|only allowed in/i;

/** Where a (line, column) can be in a text: a character, or just after the last one of a line. */
function inBounds(text: string, line: number, column: number): boolean {
  const lines = text.split('\n');
  return Number.isInteger(line) && Number.isInteger(column) && line >= 1 && line <= lines.length && column >= 1 && column <= lines[line - 1].length + 1;
}

function checkDiagnostics(t: Tally, label: string, text: string, diagnostics: Diagnostic[], file: string): void {
  for (const d of diagnostics) {
    const where = `${label}: ${d.line}:${d.column}${d.endLine ? `-${d.endLine}:${d.endColumn}` : ''} ${show(d.message, 200)}`;
    if (d.file !== file || !inBounds(text, d.line, d.column)) { t.unpositioned.push(`outside the text: ${where}`); continue; }
    if (d.endLine !== undefined && (!inBounds(text, d.endLine, d.endColumn ?? 1) || d.endLine < d.line || (d.endLine === d.line && (d.endColumn ?? 0) < d.column))) {
      t.unpositioned.push(`end outside the text: ${where}`);
      continue;
    }
    if (!d.message.trim()) t.unpositioned.push(`empty message: ${where}`);
    else if (d.code !== 'config.syntax' && !NAMES_EXPECTED.test(d.message)) t.unpositioned.push(`message names no expected form: ${where}`);
    else if (/\[native code\]|function \w*\(/.test(d.message)) t.unpositioned.push(`message quotes code: ${where}`);
  }
}

// ---- values and keys ---------------------------------------------------------------------------

/** A value as YAML text (`y`) and as data (`v`, for the options fuzzer). */
interface Sample { y: string; v: unknown }
const s = (y: string, v: unknown): Sample => ({ y, v });

const GOOD: Record<string, Sample[]> = {
  name: [s('Nightly backup', 'Nightly backup'), s('"Ünïcode ✓ name"', 'Ünïcode ✓ name')],
  description: [s('does things', 'does things'), s('""', '')],
  schedule: [s('"daily at 09:30"', 'daily at 09:30'), s('"0 2 * * *"', '0 2 * * *'), s('"every 5 minutes"', 'every 5 minutes'),
    s('["daily at 01:00", "daily at 13:00"]', ['daily at 01:00', 'daily at 13:00']), s('{ type: weekly, day_of_week: 0, hour: 10, minute: 0 }', { type: 'weekly', day_of_week: 0, hour: 10, minute: 0 }),
    s('manual', 'manual'), s('"once at 2026-12-01 09:00"', 'once at 2026-12-01 09:00'), s('"0 9 * * 5#L"', '0 9 * * 5#L')],
  timezone: [s('Europe/Berlin', 'Europe/Berlin'), s('UTC', 'UTC'), s('America/New_York', 'America/New_York')],
  timeout: [s('10m', '10m'), s('"1h30m"', '1h30m'), s('5000', 5000)],
  retries: [s('3', 3), s('{ max: 3, backoff: exponential, delay: 30s, maxDelay: 10m, jitter: true }', { max: 3, backoff: 'exponential', delay: '30s', maxDelay: '10m', jitter: true })],
  overlap: ['skip', 'queue', 'allow', 'replace'].map((x) => s(x, x)),
  catchUp: ['skip', 'latest', 'all'].map((x) => s(x, x)),
  catchUpWindow: [s('1d', '1d'), s('2h', '2h')],
  priority: ['critical', 'high', 'normal', 'low', 'background'].map((x) => s(x, x)),
  dependsOn: [s('[other]', ['other']), s('{ task: other, on: failure }', { task: 'other', on: 'failure' }), s('other', 'other')],
  tags: [s('[a, b]', ['a', 'b']), s('maintenance', 'maintenance')],
  enabled: [s('true', true), s('false', false)],
  env: [s('{ A: "1", B: 2 }', { A: '1', B: 2 })],
  params: [s('{ x: 1, y: [a] }', { x: 1, y: ['a'] })],
  memoryLimit: [s('512', 512), s('"1GB"', '1GB'), s('0', 0)],
  output: [s('logs/x.log', 'logs/x.log'), s('{ file: logs/x.log, mode: overwrite }', { file: 'logs/x.log', mode: 'overwrite' })],
  pauseAfterFailures: [s('3', 3)],
  command: [s('"echo hi"', 'echo hi')],
  cwd: [s('sub', 'sub')],
  vscodeCommand: [s('workbench.action.files.saveAll', 'workbench.action.files.saveAll')],
  args: [s('[1, "a"]', [1, 'a'])],
  vscodeTask: [s('"npm: build"', 'npm: build')],
  version: [s('1', 1)],
  concurrency: [s('2', 2)],
  paused: [s('false', false)],
  retentionDays: [s('30', 30)],
  maxRunsPerTask: [s('500', 500)],
  onFailure: [s('true', true)],
  onSuccess: [s('false', false)],
  include: [s('["**/*.task.ts"]', ['**/*.task.ts'])],
  exclude: [s('"**/fixtures/**"', '**/fixtures/**')],
  // Code a task file exports: the child process hands functions over as this placeholder.
  run: [s('"[function]"', '[function]')],
};

const NOT_A_STRING = [s('[1]', [1]), s('{ a: 1 }', { a: 1 }), s('42', 42), s('true', true)];
const NOT_A_WHOLE = [s('-1', -1), s('1.5', 1.5), s('"3"', '3'), s('.inf', Infinity), s('.nan', NaN), s('[2]', [2]), s('1e400', Infinity)];
const NOT_A_BOOL = [s('"true"', 'true'), s('yes', 'yes'), s('1', 1), s('~', null)];
const NOT_AN_ENUM = [s('sometimes', 'sometimes'), s('1', 1), s('[skip]', ['skip']), s('Skip', 'Skip'), s('constructor', 'constructor')];

const BAD: Record<string, Sample[]> = {
  name: [...NOT_A_STRING, s('""', ''), s('~', null)],
  description: [s('[a]', ['a']), s('42', 42)],
  schedule: [s('"every 7 minutes"', 'every 7 minutes'), s('"61 * * * *"', '61 * * * *'), s('"dayly at 09:00"', 'dayly at 09:00'), s('42', 42),
    s('true', true), s('[[a]]', [['a']]), s('{ type: sometimes }', { type: 'sometimes' }), s('"once at 2026-13-01"', 'once at 2026-13-01'),
    s('""', ''), s('"every constructor"', 'every constructor'), s('"weekly on toString"', 'weekly on toString'), s('{ hour: 9 }', { hour: 9 })],
  timezone: [s('Mars/Olympus', 'Mars/Olympus'), s('42', 42), s('[UTC]', ['UTC']), s('constructor', 'constructor')],
  timeout: [s('-5', -5), s('"10 minutes"', '10 minutes'), s('abc', 'abc'), s('0', 0), s('true', true), s('.nan', NaN)],
  retries: [s('-1', -1), s('1.5', 1.5), s('{ max: -1 }', { max: -1 }), s('{ backoff: random }', { backoff: 'random' }), s('{ delay: soon }', { delay: 'soon' }), s('"three"', 'three'),
    s('{ delay: 10m, maxDelay: 1m }', { delay: '10m', maxDelay: '1m' })],
  overlap: NOT_AN_ENUM,
  catchUp: NOT_AN_ENUM,
  priority: NOT_AN_ENUM,
  catchUpWindow: [s('forever', 'forever'), s('-1', -1), s('[1d]', ['1d'])],
  dependsOn: [s('[1]', [1]), s('{ on: success }', { on: 'success' }), s('{ task: x, on: maybe }', { task: 'x', on: 'maybe' }), s('42', 42), s('[""]', [''])],
  tags: [s('[1, 2]', [1, 2]), s('42', 42), s('{ a: 1 }', { a: 1 })],
  enabled: NOT_A_BOOL,
  env: [s('[a]', ['a']), s('"A=1"', 'A=1'), s('{ A: [1] }', { A: [1] }), s('{ "A=B": x }', { 'A=B': 'x' })],
  params: [s('[1]', [1]), s('"x"', 'x'), s('42', 42)],
  memoryLimit: [s('8', 8), s('"lots"', 'lots'), s('-1', -1), s('1.5', 1.5)],
  output: [s('{ mode: append }', { mode: 'append' }), s('{ file: x, mode: truncate }', { file: 'x', mode: 'truncate' }), s('42', 42)],
  pauseAfterFailures: NOT_A_WHOLE,
  command: [s('42', 42), s('""', ''), s('[echo]', ['echo'])],
  vscodeCommand: [s('42', 42), s('""', '')],
  vscodeTask: [s('[x]', ['x'])],
  version: [s('2', 2), s('"1"', '1')],
  concurrency: [s('0', 0), ...NOT_A_WHOLE],
  paused: NOT_A_BOOL,
  retentionDays: NOT_A_WHOLE,
  maxRunsPerTask: NOT_A_WHOLE,
  onFailure: NOT_A_BOOL,
  onSuccess: NOT_A_BOOL,
  include: [s('42', 42), s('[1]', [1]), s('""', '')],
  exclude: [s('42', 42), s('[{ a: 1 }]', [{ a: 1 }])],
};

const KNOWN_KEYS = new Set<string>([...TOP_LEVEL_KEYS, ...TASK_OPTION_KEYS, ...JOB_OWN_KEYS, ...TASK_FILE_CODE_KEYS, ...DISCOVERY_KEYS, ...HISTORY_KEYS, ...NOTIFICATION_KEYS]);

/** Keys no level knows: random names, typos, other schedulers' names, unicode, and names that exist on every JS object. */
const UNKNOWN_KEYS = fc.oneof(
  fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf'),
  fc.constantFrom('cron', 'maxRetries', 'frequency', 'handler', 'title', 'dependencies'),
  fc.constantFrom('schedul', 'timezon', 'retires', 'overlpa', 'catchup', 'depends_on', 'Tags', 'zeitplän', 'ключ', '計画', '🚀', '42'),
  fc.stringMatching(/^[a-z][a-zA-Z]{2,12}$/),
).filter((k) => !KNOWN_KEYS.has(k));

/** A value whose validity nobody claims: random data, unicode, huge, deep. */
const RANDOM_SCALAR: fc.Arbitrary<Sample> = fc.oneof(
  fc.string({ maxLength: 30 }).map((x) => s(JSON.stringify(x), x)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((x) => s(JSON.stringify(x), x)),
  fc.integer().map((n) => s(String(n), n)),
  fc.double({ noNaN: true }).filter(Number.isFinite).map((n) => s(String(n), n)),
  fc.constantFrom(s('~', null), s('true', true), s('.inf', Infinity), s('-.inf', -Infinity), s('.nan', NaN), s('-0', -0),
    s('1e308', 1e308), s('9007199254740993', 9007199254740993), s('0x1F', 31), s('0o17', 15), s('"\\u0000"', '\u0000'), s('"\\uFEFF"', '\uFEFF')),
  fc.constantFrom(10_000, 100_000).map((n) => s(JSON.stringify('x'.repeat(n)), 'x'.repeat(n))),
  fc.constantFrom(100, 1_000).map((n) => s(`[${Array.from({ length: n }, (_, i) => i).join(', ')}]`, Array.from({ length: n }, (_, i) => i))),
  fc.constantFrom(10, 60, 200).map((n) => s(`${'['.repeat(n)}1${']'.repeat(n)}`, nested(n))),
);

function nested(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

// ---- YAML --------------------------------------------------------------------------------------

type Tag = 'good' | 'bad' | 'unknown' | 'random';
type YNode = { kind: 'map'; entries: YEntry[]; flow: boolean } | { kind: 'scalar'; sample: Sample };
interface YEntry { key: string; value: YNode; tag: Tag; label: string }

const scalar = (sample: Sample): YNode => ({ kind: 'scalar', sample });
const pick = <T>(list: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...list);

/** An entry of `key` with a good, bad or random value (bad/good only where the lists have one). */
function valueEntry(key: string, where: string): fc.Arbitrary<YEntry> {
  const options: Array<fc.Arbitrary<YEntry>> = [];
  if (GOOD[key]) options.push(pick(GOOD[key]).map((v) => ({ key, value: scalar(v), tag: 'good' as Tag, label: `${where}.${key}` })));
  if (BAD[key]) options.push(pick(BAD[key]).map((v) => ({ key, value: scalar(v), tag: 'bad' as Tag, label: `${where}.${key}` })));
  options.push(RANDOM_SCALAR.map((v) => ({ key, value: scalar(v), tag: 'random' as Tag, label: `${where}.${key}` })));
  return fc.oneof(...options);
}

function unknownEntry(where: string): fc.Arbitrary<YEntry> {
  return fc.tuple(UNKNOWN_KEYS, RANDOM_SCALAR).map(([key, v]) => ({ key, value: scalar(v), tag: 'unknown' as Tag, label: `${where}.${key}` }));
}

/** A mapping of some of `keys` (each once), plus unknown keys now and then. */
function mapOf(keys: readonly string[], where: string, extra: Array<fc.Arbitrary<YEntry>> = []): fc.Arbitrary<YNode> {
  return fc.tuple(
    fc.subarray([...keys], { maxLength: Math.min(8, keys.length) }).chain((ks) => ks.length ? fc.tuple(...ks.map((k) => valueEntry(k, where))) : fc.constant([] as YEntry[])),
    fc.array(unknownEntry(where), { maxLength: 2 }),
    extra.length ? fc.tuple(...extra) : fc.constant([] as YEntry[]),
    fc.boolean(),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ).map(([known, unknown, more, flow, mix]) => {
    const entries = dedupe([...known, ...unknown, ...more]);
    // Shuffle deterministically from the sampled number so key order varies.
    entries.sort((a, b) => hash(a.key + mix) - hash(b.key + mix));
    return { kind: 'map' as const, entries, flow: flow && entries.every((e) => e.value.kind === 'scalar') && entries.length <= 4 };
  });
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function dedupe(entries: YEntry[]): YEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.key) && seen.add(e.key));
}

const JOB_KIND_KEYS = ['command', 'vscodeCommand', 'vscodeTask'] as const;

/** A job: zero, one or two kinds, options, and an id that may be invalid. */
const jobEntry: fc.Arbitrary<YEntry> = fc.tuple(
  fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\/[a-z0-9]{1,5})?$/), pick(['constructor', '__proto__', 'toString', 'db/backup', 'bad id!', 'a//b', '.hidden', '-x', 'ünï'])),
  fc.integer({ min: 0, max: 2 }),
  pick(JOB_KIND_KEYS),
  mapOf([...TASK_OPTION_KEYS, 'cwd', 'args'], 'job'),
  fc.boolean(),
).map(([id, kinds, first, options, goodKind]) => {
  const map = options as Extract<YNode, { kind: 'map' }>;
  const entries = map.entries.filter((e) => !(JOB_KIND_KEYS as readonly string[]).includes(e.key));
  const kindKeys = JOB_KIND_KEYS.filter((k) => k !== first);
  // Two kinds are the mistake ("keep one", at one of them): the job is the broken entry then.
  if (kinds >= 1) entries.unshift({ key: first, value: scalar(goodKind ? GOOD[first][0] : BAD[first][0]), tag: kinds === 2 ? 'random' : goodKind ? 'good' : 'bad', label: `job.${first}` });
  if (kinds === 2) entries.push({ key: kindKeys[0], value: scalar(GOOD[kindKeys[0]][0]), tag: 'random', label: `job.${kindKeys[0]} (second kind)` });
  const validId = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/.test(id);
  // A job whose id is invalid is reported once, at its id; what is inside is not looked at.
  if (!validId) for (const e of entries) e.tag = 'random';
  // No kind, two kinds, or an invalid id: the job itself is the broken entry.
  const tag: Tag = !validId || kinds !== 1 ? 'bad' : 'random';
  const job: YEntry = { key: id, value: { kind: 'map', entries, flow: map.flow }, tag, label: `jobs.${id}` };
  return job;
});

const overrideEntry: fc.Arbitrary<YEntry> = fc.tuple(
  fc.oneof(fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,6})?$/), pick(['constructor', 'toString'])),
  mapOf(TASK_OPTION_KEYS, 'override'),
).map(([id, value]) => ({ key: id, value, tag: 'random' as Tag, label: `overrides.${id}` }));

function section(key: string, node: fc.Arbitrary<YNode>): fc.Arbitrary<YEntry> {
  return node.map((value) => ({ key, value, tag: 'random' as Tag, label: key }));
}

const configTree: fc.Arbitrary<YNode> = fc.tuple(
  fc.subarray(['version', 'timezone', 'concurrency', 'paused']).chain((ks) => ks.length ? fc.tuple(...ks.map((k) => valueEntry(k, 'top'))) : fc.constant([] as YEntry[])),
  fc.option(section('tasks', mapOf(DISCOVERY_KEYS, 'tasks')), { nil: undefined }),
  fc.option(section('defaults', mapOf([...DEFAULTS_KEYS, 'schedule', 'command'], 'defaults')), { nil: undefined }),
  fc.option(section('history', mapOf(HISTORY_KEYS, 'history')), { nil: undefined }),
  fc.option(section('notifications', mapOf(NOTIFICATION_KEYS, 'notifications')), { nil: undefined }),
  fc.option(fc.array(overrideEntry, { maxLength: 3 }).map((es) => ({ key: 'overrides', value: { kind: 'map' as const, entries: dedupe(es), flow: false }, tag: 'random' as Tag, label: 'overrides' })), { nil: undefined }),
  fc.option(fc.array(jobEntry, { maxLength: 4 }).map((es) => ({ key: 'jobs', value: { kind: 'map' as const, entries: dedupe(es), flow: false }, tag: 'random' as Tag, label: 'jobs' })), { nil: undefined }),
  fc.array(unknownEntry('top'), { maxLength: 2 }),
).map(([top, ...rest]) => {
  const extra = rest.pop() as YEntry[];
  const sections = (rest as Array<YEntry | undefined>).filter((e): e is YEntry => e !== undefined);
  return { kind: 'map' as const, entries: dedupe([...top, ...sections, ...extra.filter((e) => !(TOP_LEVEL_KEYS as readonly string[]).includes(e.key))]), flow: false };
});

interface Placed { entry: YEntry; line: number; column: number; lastLine: number; parentFlow: boolean }

const yamlKey = (key: string): string => (/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(key) ? key : JSON.stringify(key));

/** YAML text for a tree, with the line/column of every entry's key and the last line of its value. */
function renderYaml(root: YNode): { text: string; placed: Placed[] } {
  const lines: string[] = [];
  const placed: Placed[] = [];
  const walk = (node: Extract<YNode, { kind: 'map' }>, indent: number): void => {
    for (const entry of node.entries) {
      const line = lines.length + 1;
      const pad = ' '.repeat(indent);
      const v = entry.value;
      if (v.kind === 'scalar') lines.push(`${pad}${yamlKey(entry.key)}: ${v.sample.y}`);
      else if (v.flow || v.entries.length === 0) {
        lines.push(`${pad}${yamlKey(entry.key)}: {${v.entries.map((e) => ` ${yamlKey(e.key)}: ${(e.value as { sample: Sample }).sample.y}`).join(',')} }`);
        for (const e of v.entries) placed.push({ entry: e, line, column: 0, lastLine: line, parentFlow: true });
      } else {
        lines.push(`${pad}${yamlKey(entry.key)}:`);
        walk(v, indent + 2);
      }
      placed.push({ entry, line, column: indent + 1, lastLine: lines.length, parentFlow: false });
    }
  };
  walk(root as Extract<YNode, { kind: 'map' }>, 0);
  return { text: `${lines.join('\n')}\n`, placed };
}

/** Text mutations: what an editor, a paste or a half-finished edit leaves in the file. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ op: fc.constant('tab' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(
    fc.constantFrom(':', ': ', '- ', '*', '&a ', '*a', '@', '!', '|', '>', '%', '`', '"', '\'', '{', '}', '[', ']', ',', '#', '? ', '<<: *a', '\r', '\0', '\uFEFF', '\u202E', '🚀', 'é', '\t', '\n  ', '\n- ', '---\n', '...\n'),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
  ) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('huge' as const), at: fc.nat(), n: fc.constantFrom(1_000, 50_000) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const li = (n: number) => n % Math.max(1, lines.length);
  switch (m.op) {
    case 'indent': {
      const i = li(m.at);
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
    case 'tab': { const i = li(m.at); lines[i] = lines[i].replace(/^ */, '\t'); return lines.join('\n'); }
    case 'delete': { const at = m.at % Math.max(1, text.length); return text.slice(0, at) + text.slice(at + m.n); }
    case 'insert': { const at = m.at % (text.length + 1); return text.slice(0, at) + m.text + text.slice(at); }
    case 'duplicate': { const i = li(m.at); lines.splice(i, 0, lines[i]); return lines.join('\n'); }
    case 'swap': { const i = li(m.at); const j = li(m.with); [lines[i], lines[j]] = [lines[j], lines[i]]; return lines.join('\n'); }
    case 'truncate': return text.slice(0, m.at % (text.length + 1));
    case 'huge': { const i = li(m.at); lines.splice(i, 0, `x-huge${m.at}: "${'y'.repeat(m.n)}"`); return lines.join('\n'); }
  }
}

const yamlCase = fc.tuple(configTree, fc.oneof(fc.constant([] as Mutation[]), fc.array(mutation, { minLength: 1, maxLength: 3 })));

/** The YAML texts a run with this seed tries, for looking into a slow or failing one. */
export function yamlTexts(n: number, seed: number): string[] {
  return fc.sample(yamlCase, { numRuns: n, seed }).map(([tree, mutations]) => mutations.reduce(mutate, renderYaml(tree).text));
}

function fuzzYaml(n: number, seed: number, t: Tally): void {
  for (const [tree, mutations] of fc.sample(yamlCase, { numRuns: n, seed })) {
    t.cases++;
    const { text: clean, placed } = renderYaml(tree);
    const text = mutations.reduce(mutate, clean);
    const label = `yaml ${show(text, 300)}`;
    const loaded = timed(t, label, () => loadConfig(FILE, text));
    if (!loaded) continue;
    checkDiagnostics(t, label, text, loaded.diagnostics, FILE);
    if (mutations.length) continue;
    // The text is as rendered: each broken entry must be reported on its lines, each unknown key at the key.
    for (const p of placed) {
      const onIt = loaded.diagnostics.filter((d) => d.line >= p.line && d.line <= p.lastLine);
      if (p.entry.tag === 'bad' && !onIt.length) {
        t.unreported.push(`${p.entry.label} = ${show(p.entry.value.kind === 'scalar' ? p.entry.value.sample.y : '{…}')} at line ${p.line}: no diagnostic in ${show(text, 400)}`);
      }
      if (p.entry.tag === 'unknown' && !p.parentFlow && !onIt.some((d) => d.severity === 'warning' && d.line === p.line && d.column === p.column && /unknown key|not allowed here/.test(d.message))) {
        t.unreported.push(`unknown key ${show(p.entry.key)} (${p.entry.label}) at ${p.line}:${p.column} not warned there: ${show(JSON.stringify(onIt.map((d) => `${d.line}:${d.column} ${d.message}`)), 300)}`);
      }
      if (p.entry.tag === 'good' && !p.parentFlow && p.entry.value.kind === 'scalar') {
        const errors = onIt.filter((d) => d.severity === 'error' && d.line === p.line);
        if (errors.length) t.falseRejections.push(`${p.entry.label} = ${p.entry.value.sample.y}: ${errors.map((d) => d.message).join(' | ')} in ${show(text, 400)}`);
      }
    }
    // A job with a valid id and exactly one good kind is a job, whatever its id spells.
    for (const p of placed) {
      if (!p.entry.label.startsWith('jobs.') || p.entry.tag === 'bad' || p.entry.value.kind !== 'map') continue;
      const kinds = p.entry.value.entries.filter((e) => (JOB_KIND_KEYS as readonly string[]).includes(e.key));
      if (kinds.length === 1 && kinds[0].tag === 'good' && !Object.prototype.hasOwnProperty.call(loaded.config.jobs, p.entry.key)) {
        t.unreported.push(`job ${show(p.entry.key)} with one good kind is missing from config.jobs (keys: ${JSON.stringify(Object.keys(loaded.config.jobs))})`);
      }
    }
  }
}

// ---- schedules ---------------------------------------------------------------------------------

/** Every phrase form, as tokens (one is replaced by a wrong word in a near miss). */
const PHRASES = [
  'every 30 seconds', 'every 5 minutes', 'every 2 hours', 'every 2 hours at 15', 'every hour', 'every monday at 09:00', 'every weekday at 8am',
  'hourly', 'hourly at :15', 'daily', 'daily at 09:30', 'daily at 9:30pm', 'daily at noon', 'twice daily', 'twice daily at 1:00 and 13:00',
  'weekdays at 09:00', 'weekends at 10:00', 'weekly', 'weekly on monday at 09:00', 'weekly on monday and thursday at 18:00',
  'monthly', 'monthly on 15 at 12:00', 'monthly on the 1st and 15th', 'monthly on last day', 'quarterly', 'quarterly on 15 at 08:00',
  'yearly', 'yearly on january 1 at 08:00', 'annually on 1 march', 'once at 2026-12-01 09:00', 'once at 2026-12-01T09:00', 'now', 'manual',
].map((p) => p.split(' '));

/** Words the phrase grammar knows (a replacement must not be one, or the "near miss" may be valid). */
const GRAMMAR_WORDS = new Set(('every hourly daily twice weekdays weekday weekends weekend weekly monthly quarterly yearly annually once now manual '
  + 'at on and of the each past minutes minute day days a last first noon midday midnight s sec secs second seconds m min mins hours hour h hr hrs d '
  + 'week weeks month months year years am pm').split(' ')
  .concat(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].flatMap((d) => [d, `${d}s`, d.slice(0, 3)]), ['tues', 'weds', 'thur', 'thurs'])
  .concat(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].flatMap((m) => [m, m.slice(0, 3)])));

const WRONG_WORD = fc.oneof(
  fc.stringMatching(/^[a-z]{3,10}$/),
  fc.constantFrom('constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'täglich', '毎日', '🚀', 'mondey', 'minuets', 'dayly', 'evry'),
).filter((w) => !GRAMMAR_WORDS.has(w.toLowerCase()));

const phraseNearMiss = fc.tuple(pick(PHRASES), fc.nat(), WRONG_WORD).map(([tokens, i, word]) => {
  const at = i % tokens.length;
  const replaced = [...tokens];
  replaced[at] = word;
  const start = replaced.slice(0, at).join(' ').length + (at ? 1 : 0);
  return { text: replaced.join(' '), start, end: start + word.length };
});

type CronField = 'second' | 'minute' | 'hour' | 'dom' | 'month' | 'dow' | 'year';
const CRON_GOOD: Record<CronField, string[]> = {
  second: ['0', '*/10', '5,35', '*'], minute: ['0', '*/15', '5-10', '*', '30'], hour: ['9', '*', '0-23/2', '9-17'],
  dom: ['1', '*', '15', '?', 'L', '1-7', '15W', 'LW'], month: ['*', '1', 'JAN', '1-6', '*/3'], dow: ['*', '1-5', 'MON', 'FRI#2', '5#L', '?', 'SUN,SAT'],
  year: ['*', '2027', '2026-2030', '2026/2'],
};
const CRON_BAD: Record<CronField, string[]> = {
  second: ['60', '-1', '*/0', '*/61', '5-2', '1,,2', 'L', '15W', '?', 'x'],
  minute: ['60', '99', '*/0', '40-20', ',', '1-', 'L', '#', 'JAN', '?', '*/x'],
  hour: ['24', '25', '*/25', '12-1', 'W', 'MON', '1/a', '?'],
  dom: ['0', '32', '*/32', '20-10', 'L-2', '15W,1', '40W', '1#2', 'x'],
  month: ['0', '13', 'FOO', 'MON', '12-1', '*/13', 'L'],
  dow: ['8', '9', 'FOO', 'JAN', '5#6', '5#0', '6-2', '*/8', 'W', '#'],
  year: ['1969', '3000', '2030-2026', 'x', '*/0'],
};
const LAYOUT: Record<number, CronField[]> = {
  5: ['minute', 'hour', 'dom', 'month', 'dow'],
  6: ['second', 'minute', 'hour', 'dom', 'month', 'dow'],
  7: ['second', 'minute', 'hour', 'dom', 'month', 'dow', 'year'],
};

const cronNearMiss = fc.tuple(fc.constantFrom(5, 6, 7), fc.array(fc.nat(), { minLength: 7, maxLength: 7 }), fc.nat(), fc.nat()).map(([n, picks, which, bad]) => {
  const layout = LAYOUT[n];
  // W needs day-of-week "*", and a day-of-month W or # needs no other day field: keep the good fields simple around them.
  const fields = layout.map((f, i) => CRON_GOOD[f][f === 'dom' || f === 'dow' ? 0 : picks[i] % CRON_GOOD[f].length]);
  const at = which % n;
  fields[at] = CRON_BAD[layout[at]][bad % CRON_BAD[layout[at]].length];
  const start = fields.slice(0, at).join(' ').length + (at ? 1 : 0);
  return { text: fields.join(' '), start, end: start + fields[at].length };
});

const goodCron = fc.tuple(fc.constantFrom(5, 6, 7), fc.array(fc.nat(), { minLength: 7, maxLength: 7 })).map(([n, picks]) => {
  const fields = LAYOUT[n].map((f, i) => CRON_GOOD[f][picks[i] % CRON_GOOD[f].length]);
  // "W" (nearest weekday) takes no day-of-week.
  const dom = LAYOUT[n].indexOf('dom');
  if (fields[dom].endsWith('W')) fields[dom + 2] = '*';
  return fields.join(' ');
});

/** Valid crons that fire rarely or far ahead: evaluating them must stay prompt too. */
const rareCron = fc.tuple(
  fc.constantFrom('0 0 0', '0 30 2', '* * *', '0 0 *'),
  fc.constantFrom('29', '31', 'L', 'LW', '15W', '1', '*', '13'),
  fc.constantFrom('2', '*', '2,11', 'FEB', '3', '10'),
  fc.constantFrom('*', '+1', '+MON', '+5', '5#L', '+0#1', '+5#5'),
  fc.constantFrom('', ' 2999', ' 2100-2999/4', ' 2100/4', ' 2027', ' 2026-2999/97', ' 1970-2025'),
).map(([time, dom, month, dow, year]) => {
  const day = dom.endsWith('W') ? '*' : dow;
  return `${time} ${dom} ${month} ${day}${year}`;
});

const randomSchedule: fc.Arbitrary<unknown> = fc.oneof(
  rareCron,
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('*', '/', '-', ',', ' ', '?', 'L', 'W', '#', '0', '1', '5', '9', '@', 'x'), maxLength: 40 }),
  fc.tuple(pick(PHRASES.map((p) => p.join(' '))), fc.nat(), fc.string({ maxLength: 3 })).map(([p, i, x]) => p.slice(0, i % (p.length + 1)) + x + p.slice(i % (p.length + 1))),
  fc.constantFrom('@yearly', '@reboot', '@dialy', '@', '@ hourly', 'x'.repeat(100_000), '5 '.repeat(5_000), 'every ' + '9'.repeat(400) + ' minutes',
    '0 0 29 2 +1', '0 0 29 2 1 * 2999', '* * * * * * 2999', '0 0 31 2 *', 'once at 99999-01-01', 'once at 2026-02-29', '2026-03-08T02:30', '\u0000', ' '),
  fc.record({ type: fc.oneof(fc.constantFrom('minutes', 'hourly', 'daily', 'weekly', 'monthly', 'constructor'), fc.string()), interval: fc.oneof(fc.integer(), fc.string()), hour: fc.integer({ min: -2, max: 30 }), minute: fc.integer({ min: -2, max: 70 }), day_of_week: fc.integer({ min: -1, max: 8 }), day_of_month: fc.integer({ min: 0, max: 33 }) }, { requiredKeys: [] }),
  fc.constantFrom(42, null, true, [] as unknown[], ['daily'], { type: 'daily', extra: 1 }, undefined),
);

type ScheduleCase = { kind: 'near-miss'; text: string; start: number; end: number } | { kind: 'valid'; text: string } | { kind: 'random'; input: unknown };

const scheduleCase: fc.Arbitrary<ScheduleCase> = fc.oneof(
  phraseNearMiss.map((c) => ({ kind: 'near-miss' as const, ...c })),
  cronNearMiss.map((c) => ({ kind: 'near-miss' as const, ...c })),
  fc.oneof(goodCron, pick(PHRASES.map((p) => p.join(' ')))).map((text) => ({ kind: 'valid' as const, text })),
  randomSchedule.map((input) => ({ kind: 'random' as const, input })),
);

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const FROM = [Date.parse('2026-03-08T06:59:59Z'), Date.parse('2026-10-25T00:30:00Z'), Date.parse('2026-06-15T12:00:00Z')];

function fuzzSchedules(n: number, seed: number, t: Tally): void {
  for (const [c, z] of fc.sample(fc.tuple(scheduleCase, fc.nat()), { numRuns: n, seed })) {
    t.cases++;
    const input = c.kind === 'random' ? c.input : c.text;
    const text = typeof input === 'string' ? input : undefined;
    const zone = ZONES[z % ZONES.length];
    const from = FROM[z % FROM.length];
    const label = `schedule ${typeof input === 'string' ? show(input) : JSON.stringify(input)} in ${zone} from ${new Date(from).toISOString()}`;
    const result = timed(t, label, () => {
      const r = parseSchedule(input as string, { timezone: zone });
      // Evaluating is part of the case: a schedule that parses must also answer next/previous promptly.
      if (r.ok) { r.schedule.nextRuns(from, 3); r.schedule.previous(from); r.schedule.describe(); }
      return r;
    });
    if (!result) continue;
    if (c.kind === 'valid' && !result.ok) t.falseRejections.push(`${label}: ${result.error.message}`);
    if (result.ok) {
      if (c.kind === 'near-miss') t.unreported.push(`${label}: accepted as ${result.schedule.describe()}`);
      continue;
    }
    const { message, offset, length, expected } = result.error;
    // A structured (object) schedule has no text of its own: its offsets are into the phrase it stands for.
    const limit = text?.length ?? Infinity;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > limit) {
      t.unpositioned.push(`${label}: offset ${offset} length ${length} outside 0..${limit}: ${show(message)}`);
    } else if (/^could not read schedule/.test(message)) {
      t.unpositioned.push(`${label}: an internal failure, not a position: ${show(message)}`);
    } else if (!expected || !NAMES_EXPECTED.test(message)) {
      t.unpositioned.push(`${label}: message names no expected form: ${show(message)}`);
    } else if (c.kind === 'near-miss' && !(offset <= c.end && offset + length >= c.start)) {
      t.unpositioned.push(`${label}: the error at ${offset}+${length} does not point at the wrong part (${c.start}-${c.end}): ${show(message)}`);
    }
  }
}

// ---- task options ------------------------------------------------------------------------------

interface OEntry { key: string; value: unknown; tag: Tag }

/** JS source for a value (what a task file could write; NaN and Infinity included). */
function js(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(js).join(', ')}]`;
  if (value && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${js(v)}`).join(', ')} }`;
  return JSON.stringify(value);
}

const CONTEXT_KEYS: Record<OptionsContext, readonly string[]> = {
  taskFile: [...TASK_OPTION_KEYS, ...TASK_FILE_CODE_KEYS],
  job: [...TASK_OPTION_KEYS, ...JOB_OWN_KEYS],
  override: TASK_OPTION_KEYS,
  defaults: DEFAULTS_KEYS,
};

const randomValue: fc.Arbitrary<unknown> = fc.oneof(RANDOM_SCALAR.map((x) => x.v), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, Number.MAX_SAFE_INTEGER + 2));

function optionEntry(key: string, context: OptionsContext): fc.Arbitrary<OEntry> {
  const options: Array<fc.Arbitrary<OEntry>> = [randomValue.map((value) => ({ key, value, tag: 'random' as Tag }))];
  // In a task file, hooks are code: task-file loading checks them, not the options validator.
  const code = context === 'taskFile' && (TASK_FILE_CODE_KEYS as readonly string[]).includes(key);
  if (GOOD[key] && !code) options.push(pick(GOOD[key]).map((x) => ({ key, value: x.v, tag: 'good' as Tag })));
  if (BAD[key] && !code) options.push(pick(BAD[key]).map((x) => ({ key, value: x.v, tag: 'bad' as Tag })));
  return fc.oneof(...options);
}

const optionsCase = fc.constantFrom<OptionsContext>('taskFile', 'job', 'override', 'defaults').chain((context) => fc.tuple(
  fc.constant(context),
  fc.subarray([...CONTEXT_KEYS[context]], { maxLength: Math.min(10, CONTEXT_KEYS[context].length) }).chain((ks) => ks.length ? fc.tuple(...ks.map((k) => optionEntry(k, context))) : fc.constant([] as OEntry[])),
  fc.array(fc.tuple(UNKNOWN_KEYS, randomValue).map(([key, value]) => ({ key, value, tag: 'unknown' as Tag })), { maxLength: 2 }),
  fc.option(fc.constantFrom<unknown>(null, 42, 'daily', [1, 2], true), { nil: undefined, freq: 20 }),
));

function fuzzOptions(n: number, seed: number, t: Tally): void {
  for (const [context, known, unknown, notAnObject] of fc.sample(optionsCase, { numRuns: n, seed })) {
    t.cases++;
    const entries = dedupeOptions([...known, ...unknown]);
    // Two kinds in one job are one mistake ("keep one"), reported at either.
    if (context === 'job' && entries.filter((e) => (JOB_KIND_KEYS as readonly string[]).includes(e.key)).length > 1) {
      for (const e of entries) if ((JOB_KIND_KEYS as readonly string[]).includes(e.key)) e.tag = 'random';
    }
    const lines = ['import { defineTask } from "task-scheduler";', ''];
    const places: Array<{ e: OEntry; line: number; column: number }> = [];
    if (notAnObject !== undefined) lines.push(`export default defineTask(${js(notAnObject)});`);
    else {
      lines.push('export default defineTask({');
      for (const e of entries) {
        places.push({ e, line: lines.length + 1, column: 3 });
        lines.push(`  ${JSON.stringify(e.key)}: ${js(e.value)},`);
      }
      lines.push('});');
    }
    const source = `${lines.join('\n')}\n`;
    const raw = notAnObject !== undefined ? notAnObject : Object.fromEntries(entries.map((e) => [e.key, e.value]));
    if (notAnObject === undefined) for (const e of entries) if (e.key === '__proto__') Object.defineProperty(raw, '__proto__', { value: e.value, enumerable: true, writable: true, configurable: true });
    const label = `options (${context}) ${show(source.split('\n').slice(2).join(' '), 300)}`;
    const result = timed(t, label, () => validateTaskOptions(raw, taskFilePositions(source), TASK_FILE, 'fuzz', context));
    if (!result) continue;
    checkDiagnostics(t, label, source, result.diagnostics, TASK_FILE);
    if (notAnObject !== undefined) {
      if (!result.diagnostics.some((d) => d.severity === 'error')) t.unreported.push(`${label}: a non-object was accepted`);
      continue;
    }
    for (const p of places) {
      const onIt = result.diagnostics.filter((d) => d.line === p.line);
      if (p.e.tag === 'bad' && !onIt.length) t.unreported.push(`${label}: ${p.e.key} = ${show(js(p.e.value))} not reported on line ${p.line}`);
      if (p.e.tag === 'unknown' && !onIt.some((d) => d.severity === 'warning' && d.column === p.column && /unknown key|not allowed here/.test(d.message))) {
        t.unreported.push(`${label}: unknown key ${show(p.e.key)} not warned at ${p.line}:${p.column}: ${show(JSON.stringify(onIt.map((d) => d.message)))}`);
      }
      if (p.e.tag === 'good') {
        const errors = onIt.filter((d) => d.severity === 'error');
        if (errors.length) t.falseRejections.push(`${label}: ${p.e.key} = ${js(p.e.value)}: ${errors.map((d) => d.message).join(' | ')}`);
      }
    }
  }
}

function dedupeOptions(entries: OEntry[]): OEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.key) && seen.add(e.key));
}

// ---- the check ---------------------------------------------------------------------------------

export const check: ChaosCheck = {
  name: 'fuzz',
  quickTimeoutMs: 60_000,
  async run({ full, log }) {
    const n = full ? 1_000 : 100;
    const seed = Number(process.env.CHAOS_SEED) || Date.now() % 2 ** 31;
    log(`seed ${seed} (CHAOS_SEED=${seed} repeats this run)`);
    const yaml = tally();
    const schedules = tally();
    const options = tally();
    fuzzYaml(n, seed, yaml);
    log(`yaml: ${yaml.cases} cases, max ${yaml.maxMs.toFixed(0)} ms`);
    fuzzSchedules(n, seed + 1, schedules);
    log(`schedules: ${schedules.cases} cases, max ${schedules.maxMs.toFixed(0)} ms`);
    fuzzOptions(n, seed + 2, options);
    log(`options: ${options.cases} cases, max ${options.maxMs.toFixed(0)} ms`);

    const all = [yaml, schedules, options];
    const sum = (f: (t: Tally) => number) => all.reduce((a, t) => a + f(t), 0);
    const crashes = sum((t) => t.crashes.length);
    const hangs = sum((t) => t.hangs.length);
    const unpositioned = sum((t) => t.unpositioned.length);
    const unreported = sum((t) => t.unreported.length);
    const falseRejections = sum((t) => t.falseRejections.length);
    const maxMs = Math.max(...all.map((t) => t.maxMs));
    for (const [name, t] of [['yaml', yaml], ['schedules', schedules], ['options', options]] as const) {
      for (const [what, list] of [['crash', t.crashes], ['hang', t.hangs], ['unpositioned', t.unpositioned], ['unreported', t.unreported], ['false rejection', t.falseRejections]] as const) {
        for (const item of list.slice(0, 5)) log(`${name} ${what}: ${item}`);
        if (list.length > 5) log(`${name} ${what}: … ${list.length - 5} more`);
      }
    }
    const retimed = sum((t) => t.retimed);
    log(`slowest case: ${maxMs.toFixed(0)} ms of CPU, ${Math.max(...all.map((t) => t.maxWallMs)).toFixed(0)} ms of wall time; ${retimed} re-timed after a slow first run`);
    const line = `fuzz: yaml ${yaml.cases}, schedules ${schedules.cases}, options ${options.cases}; ${crashes} crashes, ${hangs} hangs (max ${maxMs.toFixed(0)} ms CPU), `
      + `${unpositioned} unpositioned rejections, ${unreported} unreported faults, ${falseRejections} false rejections (seed ${seed})`;
    return { line, ok: crashes + hangs + unpositioned + unreported + falseRejections === 0 };
  },
};
