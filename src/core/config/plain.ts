// The parsed YAML tree as plain values, tolerant of what `doc.toJS()` throws on: an alias that names
// no anchor (`schedule: *daily`) becomes undefined and is reported, instead of losing the whole file.
// `<<` merge keys are applied, own keys first, earlier sources before later ones.

import { isAlias, isMap, isScalar, isSeq, type Alias, type Document } from 'yaml';
import { isMergeKey } from './positions';
import { setOwn } from './report';

/** Deeper than any config; stops alias loops (`a: &a [*a]`) from recursing forever. */
const MAX_DEPTH = 64;
/** Far more than any config; stops alias fan-out ("billion laughs") from building a huge value. */
const MAX_NODES = 100_000;

/**
 * `onUnresolved` hears of each alias without an anchor (the parser says nothing of them); `onTooLarge`
 * of a document whose aliases expand past MAX_NODES (the rest is cut off).
 */
export function toPlain(doc: Document, root: unknown, onUnresolved: (alias: Alias) => void, onTooLarge: () => void): unknown {
  let nodes = 0;
  const visit = (node: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) return undefined;
    if (++nodes === MAX_NODES) onTooLarge();
    if (nodes >= MAX_NODES) return undefined;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) onUnresolved(node);
      return target ? visit(target, depth + 1) : undefined;
    }
    if (isScalar(node)) return typeof node.value === 'symbol' ? undefined : node.value;
    if (isSeq(node)) return node.items.map((item) => visit(item, depth + 1));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merged: Record<string, unknown>[] = [];
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          for (const source of isSeq(pair.value) ? pair.value.items : [pair.value]) {
            const value = visit(source, depth + 1);
            if (value && typeof value === 'object' && !Array.isArray(value)) merged.push(value as Record<string, unknown>);
          }
          continue;
        }
        // Complex keys (`? [a, b]`) have no place in this config; their text is as good a name as any.
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        setOwn(out, key, visit(pair.value, depth + 1));
      }
      for (const source of merged) for (const [k, v] of Object.entries(source)) if (!Object.prototype.hasOwnProperty.call(out, k)) setOwn(out, k, v);
      return out;
    }
    return node === null || node === undefined ? null : undefined;
  };
  return visit(root, 0);
}
