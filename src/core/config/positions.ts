// From a path in the parsed value back to line:column in the YAML text, so every diagnostic points at
// what the user wrote: the key for an unknown key, the value for a bad value, the character for a
// bad schedule.

import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { Path, PositionResolver, SourceRange } from './types';

/** `<<` of a merge key (its value is a Symbol once parsed with `merge: true`). */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.source === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<'));
}

/** The pair for `key` in a map, looking through `<<` merges the way the value was built. */
export function findPair(doc: Document, map: unknown, key: string | number, depth = 0): Pair | undefined {
  if (!isMap(map) || depth > 20) return undefined;
  for (const pair of map.items) if (isScalar(pair.key) && !isMergeKey(pair.key) && String(pair.key.value) === String(key)) return pair;
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const found = findPair(doc, isAlias(source) ? source.resolve(doc) : source, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

export function createResolver(doc: Document, lines: LineCounter, text: string): PositionResolver {
  const toRange = (start: number, end: number): SourceRange => {
    const a = lines.linePos(start);
    const b = lines.linePos(Math.max(start, end));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const rangeOf = (node: Node | Pair | null | undefined): SourceRange | undefined => {
    const target = isPair(node) ? node.key : node;
    const range = (target as Node | null | undefined)?.range;
    return range ? toRange(range[0], range[1]) : undefined;
  };

  return (path: Path, where = {}) => {
    let node: unknown = doc.contents;
    let keyNode: unknown; // the key that holds `node`, when a map does
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(doc);
      const part = path[i];
      if (isMap(node)) {
        const pair = findPair(doc, node, part);
        if (!pair) return rangeOf(keyNode as Node) ?? rangeOf(node) ?? start(); // missing: point at its holder
        if (i === path.length - 1 && where.key) return rangeOf(pair.key as Node) ?? start();
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
        keyNode = undefined;
        node = node.items[part];
      } else return rangeOf(keyNode as Node) ?? rangeOf(node as Node) ?? start();
    }
    // `key:` with nothing after it: the key is what can be pointed at.
    if (!node || (isScalar(node) && node.value === null && !node.source)) return rangeOf(keyNode as Node) ?? start();
    if (where.offset !== undefined && isScalar(node)) {
      const from = sourceOffset(text, node, where.offset);
      const to = sourceOffset(text, node, where.offset + Math.max(where.length ?? 0, 0));
      if (from !== undefined) return toRange(from, to ?? from);
    }
    return rangeOf(node as Node) ?? rangeOf(keyNode as Node) ?? start();
  };
}

function start(): SourceRange {
  return { line: 1, column: 1 };
}

/**
 * The offset in the file of character `offset` of a scalar's value, undoing quotes and escapes.
 * Undefined for multi-line and block scalars, whose folding makes the mapping ambiguous.
 */
export function sourceOffset(text: string, node: Scalar, offset: number): number | undefined {
  if (!node.range || typeof node.value !== 'string') return undefined;
  const [begin, end] = node.range;
  const src = text.slice(begin, end);
  if (src.includes('\n')) return undefined;
  if (node.type === Scalar.PLAIN) return src === node.value && offset <= src.length ? begin + offset : undefined;
  let i = 1; // past the opening quote
  for (let v = 0; v < offset; v++) {
    if (i >= src.length - 1) return undefined;
    if (node.type === Scalar.QUOTE_SINGLE) i += src[i] === "'" && src[i + 1] === "'" ? 2 : 1;
    else if (node.type === Scalar.QUOTE_DOUBLE) i += src[i] !== '\\' ? 1 : ({ x: 4, u: 6, U: 10 } as Record<string, number>)[src[i + 1]] ?? 2;
    else return undefined;
  }
  return begin + i;
}
