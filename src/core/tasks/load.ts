// From a workspace folder to its task files' validated options: discover → compile (cached) → read
// the options in a child process → validate each. A task that fails at any step is listed as invalid
// with the reason and its diagnostics; the others are unaffected.
import * as fs from 'fs';
import * as path from 'path';
import { TASK_OPTION_KEYS } from '../config/keys';
import { ownValue } from '../config/report';
import type { JobOptions, PositionResolver, SchedulerConfig } from '../config/types';
import type { Diagnostic, TaskSpec } from '../model';
import { resolveTaskSpec, validateTaskOptions } from '../options';
import type { CompileResult, Compiler } from './compile';
import { discoverTaskFiles, taskIdOf, type DiscoverOptions } from './discover';
import { taskFilePositions } from './optionPositions';
import { readTaskOptions, type DescribeLauncher, type TaskDescription } from './readOptions';

export interface LoadedTask {
  id: string;
  file: string;
  compiledPath: string;
  /** The file's own options, validated (config defaults and overrides not applied). */
  options: JobOptions;
  /** Function options present, `run` included. */
  hooks: string[];
  /** With the config's defaults and override applied, when a config was given. */
  spec?: TaskSpec;
}

export interface InvalidTask {
  id: string;
  file: string;
  /** One line for people: the first error. */
  reason: string;
  diagnostics: Diagnostic[];
}

export interface LoadedTaskFiles {
  tasks: LoadedTask[];
  invalid: InvalidTask[];
  /** Everything to show in Problems: compile errors and warnings, load failures, option errors and warnings. */
  diagnostics: Diagnostic[];
  compile: CompileResult['stats'];
}

export interface TaskFileLoader {
  compiler: Compiler;
  /** How to start the options reader; its working directory is the workspace folder. */
  describe: Omit<DescribeLauncher, 'cwd'>;
}

/** Discovery globs from the config's `tasks:` when given; its defaults and overrides go into `spec`. */
export async function loadTaskFiles(
  folder: string, loader: TaskFileLoader, config?: Pick<SchedulerConfig, 'tasks' | 'defaults' | 'overrides'>,
): Promise<LoadedTaskFiles> {
  const discovery: DiscoverOptions = config ? { include: config.tasks.include, exclude: config.tasks.exclude } : {};
  const files = await discoverTaskFiles(folder, discovery);
  const compiled = await loader.compiler.compile(files);
  const out: LoadedTaskFiles = { tasks: [], invalid: [], diagnostics: [], compile: compiled.stats };
  const ownFile = (id: string, file: string) => (d: Diagnostic): Diagnostic => (d.file === file ? { ...d, taskId: id } : d);

  for (const d of compiled.diagnostics) {
    const id = compiled.outputs.has(d.file) || compiled.failed.has(d.file) ? taskIdOf(folder, d.file) : undefined;
    out.diagnostics.push(id ? { ...d, taskId: id } : d);
  }
  for (const [file, errors] of compiled.failed) {
    const id = taskIdOf(folder, file);
    const first = errors[0];
    const where = first && first.file !== file ? ` (in ${path.relative(folder, first.file).split(path.sep).join('/')})` : '';
    out.invalid.push({
      id, file, reason: first ? `does not compile${where}: ${first.message}` : 'does not compile', diagnostics: errors.map(ownFile(id, file)),
    });
  }

  const described = await readTaskOptions(compiled.outputs, { ...loader.describe, cwd: folder });
  for (const [file, compiledPath] of compiled.outputs) {
    const id = taskIdOf(folder, file);
    const result = checkTask(folder, file, id, described.get(file)!);
    out.diagnostics.push(...result.diagnostics);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !result.options) {
      out.invalid.push({ id, file, reason: errors[0]?.message ?? 'invalid options', diagnostics: result.diagnostics });
      continue;
    }
    const task: LoadedTask = { id, file, compiledPath, options: result.options, hooks: result.hooks };
    if (config) task.spec = resolveTaskSpec(id, 'module', file, folder, result.options, config.defaults, ownValue(config.overrides, id));
    out.tasks.push(task);
  }
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  out.tasks.sort(byId);
  out.invalid.sort(byId);
  return out;
}

/** One described task file: load errors, a missing `run`, functions where data belongs, then the options. */
function checkTask(
  folder: string, file: string, id: string, description: TaskDescription,
): { options?: JobOptions; hooks: string[]; diagnostics: Diagnostic[] } {
  let positions: PositionResolver | undefined;
  // The source is read only when something is to be reported in it.
  const at: PositionResolver = (p, where) => {
    if (!positions) {
      let source = '';
      try { source = fs.readFileSync(file, 'utf8'); } catch { /* gone since compiling: line 1 */ }
      positions = taskFilePositions(source);
    }
    return positions(p, where);
  };
  const error = (code: string, message: string, range = at([])): Diagnostic =>
    ({ file, ...range, severity: 'error', code, message, taskId: id });

  if (description.error || !description.options) {
    const site = description.errorAt;
    const inFolder = site && !path.relative(folder, site.file).startsWith('..') && fs.existsSync(site.file);
    const d = inFolder
      ? { file: site.file, line: site.line, column: site.column, severity: 'error' as const, code: 'task.load-failed', message: description.error ?? 'could not be loaded', taskId: id }
      : error('task.load-failed', description.error ?? 'could not be loaded', { line: 1, column: 1 });
    return { hooks: [], diagnostics: [d] };
  }
  const hooks = description.hooks;
  const diagnostics: Diagnostic[] = [];
  if (!hooks.includes('run')) {
    diagnostics.push(error('task.no-run', 'a task file must export a `run` function: export default defineTask({ schedule, run(ctx) { … } })'));
  }
  const raw: Record<string, unknown> = { ...description.options };
  for (const name of hooks) {
    if ((TASK_OPTION_KEYS as readonly string[]).includes(name)) {
      diagnostics.push(error('config.invalid-value', `\`${name}\` must be a value, not a function`, at([name])));
    } else {
      // Functions are not sent over; a placeholder lets the validator warn about a misspelt hook.
      raw[name] = '[function]';
    }
  }
  const validated = validateTaskOptions(raw, at, file, id, 'taskFile');
  diagnostics.push(...validated.diagnostics);
  return { options: validated.options, hooks, diagnostics };
}
