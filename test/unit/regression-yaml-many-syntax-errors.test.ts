// Regression: each YAML syntax error split the whole text into lines again to look at its line, so a
// file with thousands of broken lines cost errors × size (5,000 bad lines: ~4 s of CPU).
import * as assert from 'assert';
import { loadConfig } from '../../src/core/config';

describe('regression: a .scheduler.yaml with thousands of syntax errors', () => {
  it('is read in well under a second, one diagnostic per broken line', () => {
    const text = Array.from({ length: 5_000 }, (_, i) => `  - x${i}\n y`).join('\n');
    const before = process.cpuUsage();
    const { diagnostics } = loadConfig('/ws/.scheduler.yaml', text);
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    assert.ok(diagnostics.length >= 5_000, `${diagnostics.length} diagnostics`);
    assert.ok(ms < 1_500, `took ${ms.toFixed(0)} ms of CPU`);
  });
});
