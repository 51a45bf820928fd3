import * as assert from 'assert';
import { parseDuration, formatDuration } from '../../src/core/duration';

describe('duration', () => {
  it('parses the forms users write', () => {
    assert.strictEqual(parseDuration('30s'), 30_000);
    assert.strictEqual(parseDuration('10m'), 600_000);
    assert.strictEqual(parseDuration('1h30m'), 5_400_000);
    assert.strictEqual(parseDuration('1h 30m'), 5_400_000);
    assert.strictEqual(parseDuration('500ms'), 500);
    assert.strictEqual(parseDuration('2d'), 172_800_000);
    assert.strictEqual(parseDuration(1500), 1500);
    assert.strictEqual(parseDuration('1500'), 1500);
  });
  it('rejects what is not a duration', () => {
    for (const bad of ['', 'soon', '10x', '-5s', 'm10', -1, NaN, null, {}]) assert.strictEqual(parseDuration(bad), undefined, String(bad));
  });
  it('formats for people', () => {
    assert.strictEqual(formatDuration(90_000), '1m 30s');
    assert.strictEqual(formatDuration(250), '250ms');
    assert.strictEqual(formatDuration(3 * 86_400_000 + 3_600_000), '3d 1h');
  });
});
