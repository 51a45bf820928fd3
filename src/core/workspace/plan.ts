// From a workspace folder to the plan the engine runs: `.scheduler.yaml`, the task files (compiled,
// options read in a child, validated), the YAML jobs, every schedule parsed, and the dependency graph
// checked. Nothing here runs task code in this process. A task with any error is listed as invalid
// with its reason; the rest of the workspace is unaffected.
import * as fs from 'fs';
import { checkDependencies, checkDuplicateIds, checkOverrideTargets, configDependencyLocator, jobSpecs, ownValue, readConfig } from '../config';
import type { DependencyLocator, LoadedConfig, SchedulerConfig } from '../config';
import type { InvalidTask, LoadPlan, PlannedTask } from '../engine';
import type { Diagnostic, TaskSpec } from '../model';
import { parseSchedules, type Schedule } from '../schedule';
import { loadTaskFiles, type TaskFileLoader } from '../tasks/load';
import { taskFilePositions } from '../tasks/optionPositions';

export interface PlannedWorkspaceTask extends PlannedTask {
  schedule?: Schedule;
}

export interface WorkspacePlan extends LoadPlan {
  folder: string;
  /** The `.scheduler.yaml` read, if the folder has one. */
  configFile?: string;
  config: SchedulerConfig;
  tasks: PlannedWorkspaceTask[];
  invalid: InvalidTask[];
  /** Everything for the Problems panel and `validate`: errors and warnings with positions. */
  diagnostics: Diagnostic[];
  compile: { built: number; cached: number; failed: number; ms: number };
}

export async function planWorkspace(folder: string, loader: TaskFileLoader): Promise<WorkspacePlan> {
  const loaded = await readConfig(folder);
  const config = loaded.config;
  const files = await loadTaskFiles(folder, loader, config);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...files.diagnostics];
  const invalid: InvalidTask[] = files.invalid.map((t) => ({ id: t.id, name: t.id, file: t.file, reason: t.reason }));

  // A YAML job with an error in its own entry is listed as invalid, not run with the rest of its options.
  const brokenJobs = new Map<string, Diagnostic>();
  for (const d of loaded.diagnostics) {
    if (d.severity === 'error' && d.taskId && ownValue(config.jobs, d.taskId) && !brokenJobs.has(d.taskId)) brokenJobs.set(d.taskId, d);
  }
  for (const [id, d] of brokenJobs) invalid.push({ id, name: config.jobs[id].name ?? id, file: d.file, reason: d.message });
  const specs: TaskSpec[] = [
    ...files.tasks.map((t) => t.spec!),
    ...(loaded.file ? jobSpecs(config, loaded.file, folder).filter((s) => !brokenJobs.has(s.id)) : []),
  ];
  const allIds = [...specs.map((s) => s.id), ...invalid.map((t) => t.id)];
  const locate = configDependencyLocator(loaded, taskFileLocator());
  const graphProblems = [...checkDuplicateIds(specs, locate), ...checkDependencies(specs, locate)];
  diagnostics.push(...checkOverrideTargets(loaded, allIds), ...graphProblems);

  const compiledPath = new Map(files.tasks.map((t) => [t.id, t.compiledPath]));
  const tasks: PlannedWorkspaceTask[] = [];
  for (const spec of specs) {
    const problem = graphProblems.find((d) => d.severity === 'error' && d.taskId === spec.id)
      ?? scheduleProblem(spec, loaded);
    if (problem) {
      invalid.push({ id: spec.id, name: spec.name, file: spec.file, reason: problem.message });
      if (problem.code === 'schedule.invalid' && !diagnostics.some((d) => d.taskId === spec.id && d.code === problem.code)) diagnostics.push(problem);
      continue;
    }
    const { schedule } = parseSchedules(spec.schedule, { timezone: spec.timezone });
    tasks.push({ spec, schedule: schedule?.kind === 'manual' ? undefined : schedule, compiledPath: compiledPath.get(spec.id) });
  }
  tasks.sort((a, b) => compareIds(a.spec.id, b.spec.id));
  invalid.sort((a, b) => compareIds(a.id, b.id));

  return {
    folder,
    configFile: loaded.file,
    config,
    tasks,
    invalid,
    diagnostics,
    compile: files.compile,
    settings: {
      concurrency: config.concurrency,
      paused: config.paused,
      retentionDays: config.history.retentionDays,
      maxRunsPerTask: config.history.maxRunsPerTask,
    },
  };
}

/**
 * Schedules were validated with the options, each error at its place; this catches what only shows
 * once everything is merged (an override's timezone with the file's schedule, say).
 */
function scheduleProblem(spec: TaskSpec, loaded: LoadedConfig): Diagnostic | undefined {
  const { errors } = parseSchedules(spec.schedule, { timezone: spec.timezone });
  if (!errors.length) return undefined;
  const file = loaded.file && spec.file === loaded.file ? loaded.file : spec.file;
  return { file, line: 1, column: 1, severity: 'error', code: 'schedule.invalid', taskId: spec.id, message: `${spec.id}: ${errors[0].message}` };
}

/** Where a task file writes its `dependsOn` entries (read only when something must be reported). */
function taskFileLocator(): DependencyLocator {
  const cache = new Map<string, ReturnType<typeof taskFilePositions>>();
  return (_taskId, depIndex, spec) => {
    let positions = cache.get(spec.file);
    if (!positions) {
      let source = '';
      try { source = fs.readFileSync(spec.file, 'utf8'); } catch { /* gone: line 1 */ }
      positions = taskFilePositions(source);
      cache.set(spec.file, positions);
    }
    return { file: spec.file, ...positions(depIndex >= 0 ? ['dependsOn', depIndex] : []) };
  };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
