// What is under the cursor in a `*.task.ts` file: the options object after `defineTask(` / `export
// default` is scanned as text (optionPositions.ts), and the value at the offset is classified by its
// path — `schedule` (or one of its list items), `timezone`, a `dependsOn` id, a one-word option value.
import type { ScheduleInput } from '../model';
import { scanOptions, type OptionPlace } from '../tasks/optionPositions';
import { readLiteral } from './literal';
import { valueOptionOf, type CursorMode, type CursorTarget, type Span } from './targets';

/** Keys whose value completion can offer before anything is typed (`overlap: |`). */
const EMPTY_VALUE = /(?:^|[{,\s])(schedule|timezone|overlap|catchUp|priority|backoff|on|task|dependsOn|ignoreWarnings)\s*:\s*\[?\s*$/;

export function taskFileTarget(
  source: string, offset: number, mode: CursorMode, taskId?: string, places: Map<string, OptionPlace> = scanOptions(source),
): CursorTarget | undefined {
  let best: OptionPlace | undefined;
  for (const place of places.values()) {
    if (!place.path.length || !contains(source, place, offset, mode)) continue;
    if (!best || place.path.length > best.path.length) best = place;
  }
  if (best) {
    const found = classify(source, places, best, taskId);
    if (found) return found;
  }
  return mode === 'completion' ? emptyValue(source, offset, taskId, best) : undefined;
}

function contains(source: string, p: OptionPlace, offset: number, mode: CursorMode): boolean {
  if (mode === 'hover') return offset >= p.valueStart && offset < p.valueEnd;
  if (!p.isString) return offset > p.valueStart && offset < p.valueEnd;
  return offset > p.valueStart && offset <= contentEnd(source, p);
}

/** Offset of the closing quote (or where an unterminated string's line ends). */
function contentEnd(source: string, p: OptionPlace): number {
  const quote = source[p.valueStart];
  const end = p.valueEnd - 1;
  if (end > p.valueStart && source[end] === quote) return end;
  const newline = source.indexOf('\n', p.valueStart);
  return newline < 0 ? source.length : newline;
}

function spanOf(source: string, p: OptionPlace): Span {
  if (!p.isString) return { start: p.valueStart, end: p.valueEnd, quote: '', outerStart: p.valueStart, outerEnd: p.valueEnd };
  return { start: p.valueStart + 1, end: contentEnd(source, p), quote: source[p.valueStart], outerStart: p.valueStart, outerEnd: p.valueEnd };
}

/** The text of a string value (escapes undone); for an unterminated one, what is typed so far. */
function stringValue(source: string, p: OptionPlace): string | undefined {
  const literal = readLiteral(source, p.valueStart, p.valueEnd);
  if (literal.ok) return typeof literal.value === 'string' ? literal.value : undefined;
  return p.isString && source[p.valueStart] !== '`' ? source.slice(p.valueStart + 1, contentEnd(source, p)) : undefined;
}

function placeAt(places: Map<string, OptionPlace>, path: readonly (string | number)[]): OptionPlace | undefined {
  return places.get(path.map(String).join('\u0000'));
}

function classify(source: string, places: Map<string, OptionPlace>, place: OptionPlace, taskId: string | undefined): CursorTarget | undefined {
  const path = place.path;
  const head = path[0];
  if (head === 'schedule') {
    // A key inside a structured schedule ({ type: "monthly", … }) stands for the whole object.
    const depth = typeof path[1] === 'number' ? 2 : 1;
    const at = path.length > depth ? placeAt(places, path.slice(0, depth)) : place;
    if (!at) return undefined;
    const listed = depth === 2 ? placeAt(places, ['schedule']) : undefined;
    const count = listed ? [...places.values()].filter((p) => p.path.length === 2 && p.path[0] === 'schedule' && typeof p.path[1] === 'number').length : 1;
    const input = scheduleInput(source, at);
    if (input === undefined) return undefined;
    return { kind: 'schedule', input, index: depth === 2 ? path[1] as number : undefined, count, source: 'task', span: spanOf(source, at), taskId };
  }
  const text = stringValue(source, place);
  if (text === undefined) return undefined;
  const span = spanOf(source, place);
  if (head === 'timezone' && path.length === 1) return { kind: 'timezone', zone: text, span, taskId };
  if (head === 'dependsOn' && (path.length === 1 || (path.length === 2 && typeof path[1] === 'number') || (path.length === 3 && path[2] === 'task'))) {
    return { kind: 'taskId', role: 'dependsOn', id: text, span, taskId };
  }
  const option = valueOptionOf(path);
  return option ? { kind: 'value', option, value: text, span, taskId } : undefined;
}

/** A string, or a structured object written as a literal; undefined for code. */
function scheduleInput(source: string, p: OptionPlace): ScheduleInput | undefined {
  const literal = readLiteral(source, p.valueStart, p.valueEnd);
  if (literal.ok) {
    const v = literal.value;
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as ScheduleInput;
    return undefined;
  }
  return stringValue(source, p);
}

/**
 * Completion where nothing is written yet: after `overlap: ` (or `dependsOn: [`), or between the items
 * of a list being written.
 */
function emptyValue(source: string, offset: number, taskId: string | undefined, around: OptionPlace | undefined): CursorTarget | undefined {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const m = EMPTY_VALUE.exec(source.slice(lineStart, offset));
  let key = m?.[1];
  if (!key && around && source[around.valueStart] === '[' && around.path.length === 1) key = String(around.path[0]);
  if (!key) return undefined;
  const span: Span = { start: offset, end: offset, quote: '', outerStart: offset, outerEnd: offset };
  switch (key) {
    case 'schedule': return { kind: 'schedule', input: '', count: 1, source: 'task', span, taskId };
    case 'timezone': return { kind: 'timezone', zone: '', span, taskId };
    case 'dependsOn': case 'task': return { kind: 'taskId', role: 'dependsOn', id: '', span, taskId };
    case 'backoff': return { kind: 'value', option: 'backoff', value: '', span, taskId };
    default: return { kind: 'value', option: key as 'overlap', value: '', span, taskId };
  }
}
