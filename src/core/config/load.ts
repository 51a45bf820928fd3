// `.scheduler.yaml` → SchedulerConfig plus positioned diagnostics. Never throws: a bad part is dropped
// with a diagnostic and everything else is kept, so one typo changes nothing else.

import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { Diagnostic } from '../model';
import { readTaskOptions } from '../options';
import { CONFIG_DEFAULTS, defaultConfig } from './defaults';
import { readBoolean, readInteger, readObject, readStringList, readTimezone } from './fields';
import { readStore } from './store';
import {
  DEFAULTS_KEYS, DISCOVERY_KEYS, HISTORY_KEYS, JOB_OWN_KEYS, NOTIFICATION_KEYS, TASK_OPTION_KEYS, TOP_LEVEL_KEYS,
} from './keys';
import { createResolver } from './positions';
import { toPlain } from './plain';
import { describeValue, isPlainObject, ownValue, Reporter, setOwn } from './report';
import type { ConfigLocations, LoadedConfig, PositionResolver, SchedulerConfig } from './types';

/** Task ids are also file paths (`scripts/nightly-backup`), so a job id looks like one too. */
const JOB_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;

export function loadConfig(file: string, text: string): LoadedConfig {
  const doc = parseDocument(text, { prettyErrors: false, merge: true });
  const lines = lineCounterOf(text);
  const at = createResolver(doc, lines, text);
  const diagnostics = syntaxDiagnostics(file, text, lines, doc.errors, 'error');
  diagnostics.push(...syntaxDiagnostics(file, text, lines, doc.warnings, 'warning'));
  const r = new Reporter(file, at, undefined, diagnostics);
  const config = defaultConfig();
  const locations: ConfigLocations = { jobs: {}, overrides: {}, dependsOn: {} };

  const errorLines = new Set(diagnostics.map((d) => d.line));
  const raw = toPlain(doc, doc.contents,
    (alias) => {
      const pos = lines.linePos(alias.range?.[0] ?? 0);
      if (errorLines.has(pos.line)) return; // `*/5 …` unquoted: already reported as a syntax error
      diagnostics.push({
        file, line: pos.line, column: pos.col, severity: 'error', code: 'config.syntax',
        message: `\`*${alias.source}\` refers to no anchor \`&${alias.source}\`; a value that starts with \`*\` must be quoted`,
      });
    },
    () => r.error([], 'config.too-large', 'the file\'s aliases expand to too large a value; the rest is ignored'));
  if (raw === null || raw === undefined) return { file, config, diagnostics, locations }; // empty or only comments
  if (!isPlainObject(raw)) {
    r.invalid([], 'a mapping of settings (timezone, defaults, jobs, …)', raw, 'config.invalid-value');
    return { file, config, diagnostics, locations };
  }
  readTopLevel(r, raw, config, locations, at);
  // On a line the parser could not read, what it made of the line is a guess: the syntax error says it all.
  const kept = diagnostics.filter((d) => d.code === 'config.syntax' || !errorLines.has(d.line));
  kept.sort((a, b) => a.line - b.line || a.column - b.column); // stable: equal places keep their order
  return { file, config, diagnostics: kept, locations };
}

/** Keys of a nested level written at the top, and where they go. */
function misplacedAtTop(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of TASK_OPTION_KEYS) {
    out[key] = (DEFAULTS_KEYS as readonly string[]).includes(key)
      ? `put it under \`defaults:\` (for every task) or under a task in \`overrides:\``
      : `it belongs to one task: put it under that task in \`overrides:\` or \`jobs:\``;
  }
  for (const key of JOB_OWN_KEYS) out[key] = 'it belongs to a job: put it under `jobs: { my-job: { … } }`';
  for (const key of DISCOVERY_KEYS) out[key] = `put it under \`tasks:\``;
  for (const key of HISTORY_KEYS) out[key] = `put it under \`history:\``;
  for (const key of NOTIFICATION_KEYS) out[key] = `put it under \`notifications:\``;
  delete out.timezone; // valid at the top
  return out;
}

function readTopLevel(r: Reporter, raw: Record<string, unknown>, config: SchedulerConfig, locations: ConfigLocations, at: PositionResolver): void {
  // `x-…` keys are the user's own (a place for anchors, as in docker compose): never warned about.
  const own = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('x-')));
  r.unknownKeys(own, [], TOP_LEVEL_KEYS, misplacedAtTop(), ' (or start it with `x-` to keep it for anchors)');
  const has = (key: string) => raw[key] !== undefined;
  // An empty section (`jobs:` with every job commented out) is an empty section, not a mistake.
  const section = (key: string) => raw[key] !== undefined && raw[key] !== null;

  if (has('version') && raw.version !== 1) {
    r.error(['version'], 'config.version', `\`version\` must be 1 (the version this extension reads); got ${describeValue(raw.version)}`);
  }
  if (has('timezone')) {
    const tz = readTimezone(r, ['timezone'], raw.timezone);
    if (tz !== undefined) config.timezone = config.defaults.timezone = tz;
  }
  if (has('concurrency')) config.concurrency = readInteger(r, ['concurrency'], raw.concurrency, 1) ?? config.concurrency;
  if (has('paused')) config.paused = readBoolean(r, ['paused'], raw.paused) ?? config.paused;
  if (section('tasks')) readDiscovery(r.scoped(['tasks']), raw.tasks, config);
  if (section('defaults')) Object.assign(config.defaults, readTaskOptions(r.scoped(['defaults']), raw.defaults, 'defaults'));

  const history = section('history') ? readObject(r, ['history'], raw.history) : undefined;
  if (history) {
    r.unknownKeys(history, ['history'], HISTORY_KEYS);
    // 0 = no limit, for those who keep everything; the file then grows with every run.
    if (history.retentionDays !== undefined) config.history.retentionDays = readInteger(r, ['history', 'retentionDays'], history.retentionDays, 0) ?? config.history.retentionDays;
    if (history.maxRunsPerTask !== undefined) config.history.maxRunsPerTask = readInteger(r, ['history', 'maxRunsPerTask'], history.maxRunsPerTask, 0) ?? config.history.maxRunsPerTask;
  }
  const notifications = section('notifications') ? readObject(r, ['notifications'], raw.notifications) : undefined;
  if (notifications) {
    r.unknownKeys(notifications, ['notifications'], NOTIFICATION_KEYS);
    for (const key of NOTIFICATION_KEYS) {
      if (notifications[key] !== undefined) config.notifications[key] = readBoolean(r, ['notifications', key], notifications[key]) ?? config.notifications[key];
    }
  }

  if (section('store')) config.store = readStore(r, raw.store);

  const overrides = section('overrides') ? readObject(r, ['overrides'], raw.overrides, 'an object of task id: options') : undefined;
  for (const [id, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) continue;
    // Ids are the user's: set them as own properties, so `__proto__` or `constructor` is an id like any other.
    setOwn(locations.overrides, id, at(['overrides', id], { key: true }));
    const options = readTaskOptions(r.scoped(['overrides', id], id), value, 'override');
    setOwn(config.overrides, id, options);
    if (options.dependsOn) setOwn(locations.dependsOn, id, dependencyPositions(at, ['overrides', id], value));
  }

  const jobs = section('jobs') ? readObject(r, ['jobs'], raw.jobs, 'an object of job id: { command | vscodeCommand | vscodeTask, schedule, … }') : undefined;
  for (const [id, value] of Object.entries(jobs ?? {})) {
    if (value === undefined) continue;
    if (!JOB_ID.test(id)) {
      r.error(['jobs', id], 'config.invalid-id', `job id ${describeValue(id)} must be letters, digits, ".", "_", "-" and "/" between names (like "cleanup-tmp" or "db/backup")`, { key: true });
      continue;
    }
    setOwn(locations.jobs, id, at(['jobs', id], { key: true }));
    const options = readTaskOptions(r.scoped(['jobs', id], id), value, 'job');
    setOwn(config.jobs, id, options);
    // An override's dependsOn replaces the job's, so its positions win too.
    if (options.dependsOn && !ownValue(config.overrides, id)?.dependsOn) setOwn(locations.dependsOn, id, dependencyPositions(at, ['jobs', id], value));
  }
}

/** `tasks:` says which files are tasks. A job written here by mistake gets pointed to `jobs:`. */
function readDiscovery(r: Reporter, value: unknown, config: SchedulerConfig): void {
  const obj = readObject(r, [], value, '{ include: globs, exclude: globs } (tasks with no TypeScript go under `jobs:`)');
  if (!obj) return;
  const looksLikeJobs: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (isPlainObject(v) && !(DISCOVERY_KEYS as readonly string[]).includes(key)) {
      looksLikeJobs[key] = 'tasks with no TypeScript go under `jobs:`; `tasks:` only says which files are tasks (include, exclude)';
    }
  }
  r.unknownKeys(obj, [], DISCOVERY_KEYS, looksLikeJobs);
  if (obj.include !== undefined) config.tasks.include = readStringList(r, ['include'], obj.include, 'a glob like "**/*.task.ts"') ?? config.tasks.include;
  if (obj.exclude !== undefined) {
    const extra = readStringList(r, ['exclude'], obj.exclude, 'a glob like "**/fixtures/**"') ?? [];
    config.tasks.exclude = [...new Set([...CONFIG_DEFAULTS.exclude, ...extra])];
  }
}

/** Where each entry of `dependsOn` is written, in list order (a single entry is index 0). */
function dependencyPositions(at: PositionResolver, base: (string | number)[], value: unknown) {
  const deps = isPlainObject(value) ? value.dependsOn : undefined;
  if (!Array.isArray(deps)) return [at([...base, 'dependsOn'])];
  return deps.map((_, i) => at([...base, 'dependsOn', i]));
}

/**
 * Line starts read from the text itself. The parser's own counter (`lineCounter` option) can miss the
 * newline after a broken flow collection (`[1, 2,] 3]`), and every position below it is then a line
 * off (found by the fuzz check).
 */
function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/**
 * YAML syntax problems, one per line (a broken line often yields several), with a hint for the
 * mistakes this file invites: unquoted cron starting with `*`, `@daily`, and `: ` inside a value.
 */
function syntaxDiagnostics(file: string, text: string, lines: LineCounter, errors: YAMLError[], severity: 'error' | 'warning'): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  const textLines = errors.length ? text.split(/\r?\n/) : [];
  for (const e of errors) {
    const pos = lines.linePos(e.pos[0]);
    if (seen.has(pos.line)) continue;
    seen.add(pos.line);
    const lineText = textLines[pos.line - 1] ?? '';
    let { line, col } = pos;
    let message = e.message;
    const reserved = /^(\s*(?:-\s+)?(?:[^\s#'"][^#'"]*?:\s+)?)([*@`])/.exec(lineText);
    if (reserved && (e.code === 'UNEXPECTED_TOKEN' || e.code === 'BAD_SCALAR_START')) {
      col = reserved[1].length + 1;
      const value = lineText.slice(reserved[1].length).replace(/\s+#.*$/, '').trim();
      message = reserved[2] === '*'
        ? `YAML reads a value starting with \`*\` as an alias; quote it: "${value}"`
        : `YAML reserves \`${reserved[2]}\` at the start of a value; quote it: "${value}"`;
    } else if (e.code === 'BLOCK_AS_IMPLICIT_KEY') {
      message += '; a value containing ": " must be quoted';
    }
    out.push({ file, line, column: col, severity, message, code: 'config.syntax' });
  }
  return out;
}
