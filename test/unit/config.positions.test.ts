import * as assert from 'assert';
import { isScalar, LineCounter, parseDocument } from 'yaml';
import { loadConfig } from '../../src/core/config';
import { createResolver, sourceOffset } from '../../src/core/config/positions';

/** The file column of character `offset` of the value of `key: …` on line 1. */
function columnOf(line: string, offset: number): number | undefined {
  const doc = parseDocument(line);
  const node = (doc.contents as any).items[0].value;
  assert.ok(isScalar(node));
  const at = sourceOffset(line, node, offset);
  return at === undefined ? undefined : at + 1;
}

describe('config: positions in the YAML text', () => {
  it('maps a character of a plain, single- or double-quoted value to its column', () => {
    assert.strictEqual(columnOf('s: every 5 minits', 8), 12);
    assert.strictEqual(columnOf('s: "every 5 minits"', 8), 13);
    assert.strictEqual(columnOf("s: 'it''s 5 minits'", 5), 11, "'' is one character of the value");
    assert.strictEqual(columnOf('s: "a\\"b\\u0041 x"', 4), 15, '\\" and \\u0041 are one character each');
    assert.strictEqual(columnOf('s: "a\\"b\\u0041 x"', 0), 5);
  });

  it('gives up on block and multi-line scalars rather than guess', () => {
    const doc = parseDocument('s: |\n  every 5 minits\n');
    assert.strictEqual(sourceOffset('s: |\n  every 5 minits\n', (doc.contents as any).items[0].value, 3), undefined);
  });

  it('points a bad schedule at the character, through quotes, and at the value when it cannot', () => {
    const load = (text: string) => loadConfig('/ws/.scheduler.yaml', text).diagnostics.map((d) => [d.line, d.column, d.endLine, d.endColumn]);
    assert.deepStrictEqual(load('jobs:\n  a: { command: x, schedule: "daily at 25:00" }\n'), [[2, 40, 2, 45]]);
    assert.deepStrictEqual(load("jobs:\n  a: { command: x, schedule: 'daily at 25:00' }\n"), [[2, 40, 2, 45]]);
    assert.deepStrictEqual(load('jobs:\n  a:\n    command: x\n    schedule: >-\n      daily at 25:00\n'), [[4, 15, 6, 1]]);
  });

  it('resolves paths through aliases and merge keys, and falls back to the holder of a missing key', () => {
    const text = 'x-base: &b { timeout: soon }\njobs:\n  a:\n    <<: *b\n    command: x\n';
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, merge: true });
    const at = createResolver(doc, lines, text);
    assert.deepStrictEqual(at(['jobs', 'a', 'timeout']), { line: 1, column: 23, endLine: 1, endColumn: 27 });
    assert.deepStrictEqual(at(['jobs', 'a', 'schedule']), { line: 3, column: 3, endLine: 3, endColumn: 4 });
    assert.deepStrictEqual(at(['jobs', 'a', 'command'], { key: true }), { line: 5, column: 5, endLine: 5, endColumn: 12 });
  });
});
