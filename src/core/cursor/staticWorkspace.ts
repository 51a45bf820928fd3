// A workspace folder's tasks read from their text alone: `.scheduler.yaml` as the engine reads it, and
// each task file's options where they are written as literals (schedule, timezone, dependsOn, …). No
// task code is compiled, imported or run, so this works before esbuild is installed and in an untrusted
// window. What code computes (a schedule built by a function) is marked unknown; the editor may fill it
// from the engine's plan where one exists.
import { LineCounter, parseDocument } from 'yaml';
import { defaultConfig, jobSpecs, loadConfig, ownValue } from '../config';
import { createResolver } from '../config/positions';
import type { JobOptions, Path, PositionResolver, SchedulerConfig } from '../config/types';
import { TASK_FILE_CODE_KEYS } from '../config/keys';
import type { TaskSpec } from '../model';
import { resolveTaskSpec, validateTaskOptions } from '../options';
import { parseSchedules, type Schedule } from '../schedule';
import { taskIdOf } from '../tasks/discover';
import { scanOptions, taskFilePositions, type OptionPlace } from '../tasks/optionPositions';
import { readLiteral } from './literal';

export interface SourceText {
  file: string;
  text: string;
}

export interface StaticInput {
  folder: string;
  /** `.scheduler.yaml` (or `.yml`), when the folder has one. */
  config?: SourceText;
  taskFiles: SourceText[];
}

/** Where an option is written: a file, how to find places in it, and the path of the option there. */
export interface WrittenAt {
  file: string;
  /** 'task' for a `*.task.ts` file, 'yaml' for `.scheduler.yaml`. */
  kind: 'task' | 'yaml';
  path: Path;
}

export interface StaticTask {
  id: string;
  spec: TaskSpec;
  /** The effective schedule; undefined when manual, unreadable or invalid. */
  schedule?: Schedule;
  /** The schedule as written is not valid (the Problems panel says why once the task is loaded). */
  scheduleInvalid: boolean;
  /** The schedule is built by code: only the engine knows it. */
  scheduleComputed: boolean;
  /** Where its effective schedule is written (an override's wins over the task's own). */
  scheduleAt?: WrittenAt;
  /** Where the override in `.scheduler.yaml` sets the schedule, when one does (it replaces the task's own). */
  overriddenBy?: WrittenAt;
  /** Where its effective `dependsOn`, `overlap` are written, when they are. */
  dependsOnAt?: WrittenAt;
  overlapAt?: WrittenAt;
}

export interface StaticWorkspace {
  folder: string;
  configFile?: string;
  config: SchedulerConfig;
  tasks: StaticTask[];
  byId: Map<string, StaticTask>;
  /** Every text read, by file, and a position resolver for each (task file or YAML). */
  texts: Map<string, string>;
  resolver(file: string): PositionResolver;
}

/**
 * The options read from a task file's text: what schedules, zones, dependencies and warnings need. The rest
 * (timeouts, retries, env, …) is the engine's business, checked when the task is loaded.
 */
const READ_KEYS = ['name', 'description', 'schedule', 'timezone', 'overlap', 'catchUp', 'priority', 'dependsOn', 'tags', 'enabled', 'ignoreWarnings'] as const;

/** Positions are only wanted for the few places a warning points at: none are resolved here. */
const NOWHERE: PositionResolver = () => ({ line: 1, column: 1 });

/** What one task file says, read from its text: kept by text, so an unchanged file is not read again. */
interface FileReading {
  text: string;
  places: Map<string, OptionPlace>;
  options: JobOptions;
  computed: Set<string>;
  scheduleInvalid: boolean;
}

/**
 * Readings of task files by path, kept between reads of one folder (the editor reads it again after every
 * pause in typing, when one file at most has changed). Pass the same object to each readStaticWorkspace.
 */
export type FileReadings = Map<string, FileReading>;

function readTaskFile(source: SourceText, id: string, readings: FileReadings | undefined): FileReading {
  const known = readings?.get(source.file);
  if (known && known.text === source.text) return known;
  const places = scanOptions(source.text);
  const { options: raw, computed } = literalOptions(source.text, places);
  const validated = validateTaskOptions(raw, NOWHERE, source.file, id, 'taskFile');
  const reading: FileReading = {
    text: source.text, places, options: validated.options, computed,
    scheduleInvalid: validated.diagnostics.some((d) => d.code === 'schedule.invalid' || (d.severity === 'error' && /^`schedule/.test(d.message))),
  };
  readings?.set(source.file, reading);
  return reading;
}

export function readStaticWorkspace(input: StaticInput, readings?: FileReadings): StaticWorkspace {
  const loaded = input.config ? loadConfig(input.config.file, input.config.text) : undefined;
  const config = loaded?.config ?? defaultConfig();
  const configFile = input.config?.file;
  const texts = new Map<string, string>();
  const resolvers = new Map<string, PositionResolver>();
  const placesOf = new Map<string, Map<string, OptionPlace>>();
  if (input.config) texts.set(input.config.file, input.config.text);

  const overrideAt = (id: string, key: string): WrittenAt | undefined =>
    configFile && ownValue(config.overrides, id)?.[key as 'schedule'] !== undefined ? { file: configFile, kind: 'yaml', path: ['overrides', id, key] } : undefined;

  const tasks: StaticTask[] = [];
  for (const source of input.taskFiles) {
    texts.set(source.file, source.text);
    const id = taskIdOf(input.folder, source.file);
    const { places, options, computed, scheduleInvalid } = readTaskFile(source, id, readings);
    placesOf.set(source.file, places);
    const spec = resolveTaskSpec(id, 'module', source.file, input.folder, options, config.defaults, ownValue(config.overrides, id));
    const own = (key: string): WrittenAt | undefined => (places.has(key) ? { file: source.file, kind: 'task', path: [key] } : undefined);
    const overriddenBy = overrideAt(id, 'schedule');
    tasks.push(withSchedule({
      id, spec,
      scheduleInvalid: !overriddenBy && scheduleInvalid,
      scheduleComputed: !overriddenBy && computed.has('schedule'),
      scheduleAt: overriddenBy ?? own('schedule'),
      overriddenBy,
      dependsOnAt: overrideAt(id, 'dependsOn') ?? own('dependsOn'),
      overlapAt: overrideAt(id, 'overlap') ?? own('overlap'),
    }));
  }
  if (configFile) {
    const broken = new Set(loaded!.diagnostics.filter((d) => d.severity === 'error' && d.taskId).map((d) => d.taskId));
    for (const spec of jobSpecs(config, configFile, input.folder)) {
      const own = (key: string): WrittenAt | undefined =>
        ownValue(config.jobs, spec.id)?.[key as 'schedule'] !== undefined ? { file: configFile, kind: 'yaml', path: ['jobs', spec.id, key] } : undefined;
      const overriddenBy = overrideAt(spec.id, 'schedule');
      tasks.push(withSchedule({
        id: spec.id, spec, scheduleInvalid: broken.has(spec.id), scheduleComputed: false,
        scheduleAt: overriddenBy ?? own('schedule'), overriddenBy,
        dependsOnAt: overrideAt(spec.id, 'dependsOn') ?? own('dependsOn'),
        overlapAt: overrideAt(spec.id, 'overlap') ?? own('overlap'),
      }));
    }
  }
  // Files no longer in the folder are forgotten.
  if (readings) for (const file of readings.keys()) if (!texts.has(file)) readings.delete(file);
  tasks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byId = new Map<string, StaticTask>();
  for (const t of tasks) if (!byId.has(t.id)) byId.set(t.id, t);

  return {
    folder: input.folder, configFile, config, tasks, byId, texts,
    resolver(file) {
      let r = resolvers.get(file);
      if (!r) {
        const text = texts.get(file) ?? '';
        if (file === configFile) {
          const lines = new LineCounter();
          r = createResolver(parseDocument(text, { lineCounter: lines, merge: true }), lines, text);
        } else {
          r = taskFilePositions(text, placesOf.get(file));
        }
        resolvers.set(file, r);
      }
      return r;
    },
  };
}

function withSchedule(task: Omit<StaticTask, 'schedule'>): StaticTask {
  if (task.scheduleInvalid || task.scheduleComputed) return task;
  const { schedule, errors } = parseSchedules(task.spec.schedule, { timezone: task.spec.timezone });
  if (errors.length) return { ...task, scheduleInvalid: true };
  return schedule && schedule.kind !== 'manual' ? { ...task, schedule } : task;
}

/**
 * The task file's options written as literals, and the keys whose values are code (a variable, a call,
 * a spread): those are left to the engine. Functions (`run`, hooks) are neither.
 */
export function literalOptions(source: string, places: Map<string, OptionPlace>): { options: Record<string, unknown>; computed: Set<string> } {
  const options: Record<string, unknown> = {};
  const computed = new Set<string>();
  for (const place of places.values()) {
    if (place.path.length !== 1) continue;
    const key = String(place.path[0]);
    if ((TASK_FILE_CODE_KEYS as readonly string[]).includes(key) || !(READ_KEYS as readonly string[]).includes(key)) continue;
    const literal = readLiteral(source, place.valueStart, place.valueEnd);
    if (literal.ok && literal.value !== undefined) Object.defineProperty(options, key, { value: literal.value, enumerable: true, writable: true, configurable: true });
    else computed.add(key);
  }
  return { options, computed };
}
