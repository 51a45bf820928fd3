// What is under the cursor in `.scheduler.yaml`: the document is parsed (errors and all) and the scalar
// at the offset is classified by its key path — a job's or override's `schedule`, a `timezone`, a
// `dependsOn` id, an `overrides:`/`jobs:` key, a one-word option value.
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';
import type { ScheduleInput } from '../model';
import { valueOptionOf, type CursorMode, type CursorTarget, type Span } from './targets';

type Step = string | number;

interface Hit {
  path: Step[];
  /** Nodes from the document's root down to the hit (the hit's own last, when there is one). */
  chain: Node[];
  /** The scalar hit; undefined when the cursor sits where a value is still to be written. */
  scalar?: Scalar;
  isKey: boolean;
}

export function yamlTarget(text: string, offset: number, mode: CursorMode): CursorTarget | undefined {
  const doc = parseDocument(text, { merge: true, prettyErrors: false });
  const hit = find(doc.contents as Node | null, [], [], text, offset, mode) ?? (mode === 'completion' ? newOverrideKey(text, offset) : undefined);
  return hit ? classify(hit, offset) : undefined;
}

function inside(range: [number, number, number] | null | undefined, offset: number, mode: CursorMode): boolean {
  if (!range) return false;
  return mode === 'hover' ? offset >= range[0] && offset < range[1] : offset >= range[0] && offset <= range[1];
}

/** Whether the cursor is on the line of `after`, past it: where an empty value (`schedule: |`) goes. */
function onLineAfter(text: string, after: number, offset: number): boolean {
  return offset >= after && !text.slice(after, offset).includes('\n');
}

function find(node: Node | null | undefined, path: Step[], chain: Node[], text: string, offset: number, mode: CursorMode): Hit | undefined {
  if (!node) return undefined;
  const here = [...chain, node];
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key)) continue;
      const name = String(key.value);
      if (inside(key.range, offset, mode)) return { path: [...path, name], chain: here, scalar: key, isKey: true };
      const value = pair.value as Node | null;
      const empty = !value || (isScalar(value) && value.value === null && !value.source);
      if (empty) {
        if (mode === 'completion' && key.range && onLineAfter(text, key.range[1] + 1, offset)) return { path: [...path, name], chain: here, isKey: false };
        continue;
      }
      if (value.range && offset >= value.range[0] && offset <= value.range[1]) {
        const found = find(value, [...path, name], here, text, offset, mode);
        if (found) return found;
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i] as Node | null;
      if (isScalar(item) && item.value === null && item.range && mode === 'completion' && onLineAfter(text, item.range[0], offset)) {
        return { path: [...path, i], chain: here, isKey: false };
      }
      if (item?.range && offset >= item.range[0] && offset <= item.range[1]) {
        const found = find(item, [...path, i], here, text, offset, mode);
        if (found) return found;
      }
    }
    return undefined;
  }
  if (isScalar(node) && inside(node.range, offset, mode)) return { path, chain: here, scalar: node, isKey: false };
  return undefined;
}

/** A new line under `overrides:` (indented, nothing but an id being typed): completion offers task ids. */
function newOverrideKey(text: string, offset: number): Hit | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const typed = /^(\s+)([\w./-]*)$/.exec(text.slice(lineStart, offset));
  if (!typed) return undefined;
  const lines = text.slice(0, lineStart).split('\n').reverse();
  for (const line of lines) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    // Siblings and their contents are indented as deep or deeper: the first line less indented is the parent.
    if (line.length - line.trimStart().length >= typed[1].length) continue;
    return /^overrides:\s*(#.*)?$/.test(line) ? { path: ['overrides', typed[2]], chain: [], isKey: true } : undefined;
  }
  return undefined;
}

function spanOf(scalar: Scalar | undefined, offset: number, typedId?: string): Span {
  if (!scalar?.range) {
    const start = offset - (typedId?.length ?? 0);
    return { start, end: offset, quote: '', outerStart: start, outerEnd: offset };
  }
  const [start, end] = scalar.range;
  const quoted = scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE;
  if (!quoted) return { start, end, quote: '', outerStart: start, outerEnd: end };
  return { start: start + 1, end: Math.max(start + 1, end - 1), quote: scalar.type === Scalar.QUOTE_DOUBLE ? '"' : "'", outerStart: start, outerEnd: end };
}

function classify(hit: Hit, offset: number): CursorTarget | undefined {
  const { path, scalar } = hit;
  const value = scalar && scalar.value !== null && scalar.value !== undefined ? String(scalar.value) : '';
  const owner = path[0] === 'jobs' || path[0] === 'overrides' ? path[0] : undefined;
  const taskId = owner && path.length >= 2 ? String(path[1]) : undefined;
  if (hit.isKey) {
    if (owner && path.length === 2) {
      return { kind: 'taskId', role: owner === 'jobs' ? 'job' : 'override', id: String(path[1]), span: spanOf(scalar, offset, String(path[1])), taskId };
    }
    return undefined;
  }
  const rest = owner ? path.slice(2) : path[0] === 'defaults' ? path.slice(1) : path;
  if (owner && path.length < 3) return undefined;
  const span = spanOf(scalar, offset);
  if (rest[0] === 'schedule' && (owner || path.length === 1)) {
    const depth = typeof rest[1] === 'number' ? 2 : 1;
    const listNode = depth === 2 ? hit.chain[(owner ? 3 : 1)] : undefined;
    const count = listNode && isSeq(listNode) ? listNode.items.length : 1;
    if (rest.length > depth) {
      // A key of a structured schedule: the whole mapping is the schedule.
      const mapNode = hit.chain[(owner ? 2 : 0) + depth];
      if (!isMap(mapNode) || !mapNode.range) return undefined;
      const input = mapNode.toJSON() as ScheduleInput;
      const [start, end] = mapNode.range;
      return { kind: 'schedule', input, index: depth === 2 ? rest[1] as number : undefined, count, source: owner === 'overrides' ? 'override' : 'task',
        span: { start, end, quote: '', outerStart: start, outerEnd: end }, taskId };
    }
    return { kind: 'schedule', input: value, index: depth === 2 ? rest[1] as number : undefined, count, source: owner === 'overrides' ? 'override' : 'task', span, taskId };
  }
  if (rest.length === 1 && rest[0] === 'timezone' && (owner || path.length === 1)) return { kind: 'timezone', zone: value, span, taskId };
  if (rest[0] === 'dependsOn' && (rest.length === 1 || (rest.length === 2 && typeof rest[1] === 'number') || (rest.length === 3 && rest[2] === 'task'))) {
    return { kind: 'taskId', role: 'dependsOn', id: value, span, taskId };
  }
  const option = valueOptionOf(rest);
  if (option && (owner || path[0] === 'defaults')) return { kind: 'value', option, value, span, taskId };
  return undefined;
}
