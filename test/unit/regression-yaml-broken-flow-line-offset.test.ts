// Regression (fuzz, seed 1206028388): after a broken flow sequence (`[1, 2,] 3]`) the YAML parser's own
// line counter missed that line's newline, so every error below it was reported a line too high.
import * as assert from 'assert';
import { loadConfig } from '../../src/core/config';

describe('regression: positions below a broken flow sequence in .scheduler.yaml', () => {
  it('point at the line that holds the mistake', () => {
    const text = [
      'jobs:',
      '  a:',
      '    command: "echo a"',
      '   output: [0, 1, 2,] 3, 4]',
      '    retries: 3',
      '  b:',
      '    command: "echo b"',
      '    overlap: sometimes',
    ].join('\n');
    const { diagnostics } = loadConfig('/ws/.scheduler.yaml', text);
    const overlap = diagnostics.find((d) => /`overlap` must be one of/.test(d.message));
    assert.ok(overlap, JSON.stringify(diagnostics));
    assert.deepStrictEqual([overlap.line, overlap.column], [8, 14]);
  });
});
