// What is under the cursor in a task file or `.scheduler.yaml`: a schedule, a time zone, a task id, or
// an option's value — with where it is written, so hover knows what to explain and completion what to
// replace. Found in the text alone (nothing is run), and tolerant of half-typed files.

import type { ScheduleInput } from '../model';

/** Options whose values are one of a few words, offered by completion. */
export const VALUE_OPTIONS = ['overlap', 'catchUp', 'priority', 'backoff', 'on', 'ignoreWarnings'] as const;
export type ValueOption = (typeof VALUE_OPTIONS)[number];

export interface Span {
  /** Offset of the first character of the value's text (inside its quotes, if any). */
  start: number;
  /** Offset after its last character (before the closing quote). */
  end: number;
  /** The quote it is written in (`"`, `'`, `` ` ``), or '' for a bare YAML scalar or nothing written yet. */
  quote: string;
  /** The whole value as written, quotes included (what a hover underlines). */
  outerStart: number;
  outerEnd: number;
}

interface Base {
  span: Span;
  /** The task it belongs to: the task file's id, or the job/override key in YAML; undefined for defaults and the top level. */
  taskId?: string;
}

export interface ScheduleTarget extends Base {
  kind: 'schedule';
  /** As written: text, or the structured object. */
  input: ScheduleInput;
  /** Its index when the schedule is a list. */
  index?: number;
  /** How many schedules the list has (1 for a single one). */
  count: number;
  /** Where it is written: the task itself, or an override in `.scheduler.yaml`. */
  source: 'task' | 'override';
}

export interface TimezoneTarget extends Base {
  kind: 'timezone';
  zone: string;
}

export interface TaskIdTarget extends Base {
  kind: 'taskId';
  /** A dependency, an `overrides:` key or a `jobs:` key. */
  role: 'dependsOn' | 'override' | 'job';
  id: string;
}

export interface ValueTarget extends Base {
  kind: 'value';
  option: ValueOption;
  value: string;
}

export type CursorTarget = ScheduleTarget | TimezoneTarget | TaskIdTarget | ValueTarget;

/** Hover asks about a character; completion about the gap before it (a value being typed, or nothing yet). */
export type CursorMode = 'hover' | 'completion';

/** The option a path names, for the keys that hold a single word. */
export function valueOptionOf(path: readonly (string | number)[]): ValueOption | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'overlap' || last === 'catchUp' || last === 'priority') return last;
  if (last === 'backoff' && parent === 'retries') return 'backoff';
  if (last === 'on' && typeof parent === 'number' && path[path.length - 3] === 'dependsOn') return 'on';
  if (last === 'ignoreWarnings' || (typeof last === 'number' && parent === 'ignoreWarnings')) return 'ignoreWarnings';
  return undefined;
}
