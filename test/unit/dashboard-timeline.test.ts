// The timeline picture's geometry: positions in a 48 h window, lanes, merging of close runs, ticks on
// local whole hours, and the sampling of a dense schedule.
import * as assert from 'assert';
import { AXIS_HEIGHT, HOUR_MS, LANE_HEIGHT, layoutTimeline, MIN_BAR_PX, sampleUpcoming, ticks, WINDOW_MS, type LayoutInput } from '../../src/extension/dashboard/timeline';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const FROM = NOW - WINDOW_MS;
const TO = NOW + WINDOW_MS;
const MIN = 60_000;

/** 48 h over 960 px: 20 px per hour, 1 px per 3 minutes. */
function input(over: Partial<LayoutInput> = {}): LayoutInput {
  return { from: FROM, to: TO, now: NOW, plotX: 100, plotWidth: 960, lanes: ['a', 'b'], runs: [], upcoming: [], utcOffsetMs: 0, ...over };
}

describe('dashboard timeline layout', () => {
  it('puts now in the middle of the plot, lanes under the axis, and sizes the picture', () => {
    const l = layoutTimeline(input());
    assert.strictEqual(l.nowX, 100 + 480);
    assert.deepStrictEqual(l.lanes, [{ key: 'a', y: AXIS_HEIGHT }, { key: 'b', y: AXIS_HEIGHT + LANE_HEIGHT }]);
    assert.deepStrictEqual([l.width, l.height], [1060, AXIS_HEIGHT + 2 * LANE_HEIGHT]);
  });

  it('places a run at its start, as wide as it lasted, in its lane; a short one gets the minimum width', () => {
    const l = layoutTimeline(input({ runs: [
      { lane: 'b', status: 'failed', start: NOW - 2 * HOUR_MS, end: NOW - HOUR_MS },
      { lane: 'a', status: 'succeeded', start: NOW - 6 * HOUR_MS, end: NOW - 6 * HOUR_MS + 2000 },
    ] }));
    const b = l.bars.find((x) => x.lane === 'b')!;
    assert.deepStrictEqual([b.x, b.width, b.y, b.status, b.count], [100 + 480 - 40, 20, AXIS_HEIGHT + LANE_HEIGHT, 'failed', 1]);
    const a = l.bars.find((x) => x.lane === 'a')!;
    assert.deepStrictEqual([a.x, a.width], [100 + 480 - 120, MIN_BAR_PX]);
  });

  it('runs a running run up to now, and clamps what started before the window to its edge', () => {
    const l = layoutTimeline(input({ runs: [
      { lane: 'a', status: 'running', start: NOW - HOUR_MS },
      { lane: 'b', status: 'succeeded', start: FROM - HOUR_MS, end: FROM + HOUR_MS },
    ] }));
    const [a, b] = ['a', 'b'].map((lane) => l.bars.find((x) => x.lane === lane)!);
    assert.deepStrictEqual([a.x, a.width, a.end], [560, 20, NOW]);
    assert.deepStrictEqual([b.x, b.width], [100, 20]);
  });

  it('merges close runs that ended alike into one bar with a count; a different outcome keeps its own bar, drawn on top', () => {
    const runs = [0, 1, 2, 3].map((i) => ({ lane: 'a', status: i === 2 ? 'failed' as const : 'succeeded' as const, start: NOW - HOUR_MS + i * 30_000, end: NOW - HOUR_MS + i * 30_000 + 1000 }));
    runs.push({ lane: 'a', status: 'succeeded', start: NOW - 30 * MIN, end: NOW - 30 * MIN + 1000 });
    const l = layoutTimeline(input({ runs }));
    // 30 s apart is a sixth of a pixel: the three successes are one bar; the failure between them is its own, painted last.
    assert.deepStrictEqual(l.bars.map((b) => [b.count, b.status, b.x]), [[3, 'succeeded', 560], [1, 'succeeded', 570], [1, 'failed', 100 + (WINDOW_MS - HOUR_MS + MIN) / (2 * WINDOW_MS) * 960]]);
  });

  it('leaves out runs outside the window and lanes it does not draw', () => {
    const l = layoutTimeline(input({ runs: [
      { lane: 'a', status: 'succeeded', start: FROM - 2 * HOUR_MS, end: FROM - HOUR_MS },
      { lane: 'zzz', status: 'succeeded', start: NOW - HOUR_MS, end: NOW - HOUR_MS + 1 },
    ] }));
    assert.deepStrictEqual(l.bars, []);
  });

  it('marks planned runs, merging close ones and keeping a retry visible among them', () => {
    const l = layoutTimeline(input({ upcoming: [
      { lane: 'a', at: NOW + HOUR_MS, kind: 'schedule' },
      { lane: 'a', at: NOW + HOUR_MS + 3 * MIN, kind: 'retry' },
      { lane: 'a', at: NOW + 2 * HOUR_MS, kind: 'schedule' },
      { lane: 'b', at: TO + MIN, kind: 'schedule' },
    ] }));
    assert.deepStrictEqual(l.marks.map((m) => [m.lane, m.x, m.count, m.kind]), [['a', 600, 2, 'retry'], ['a', 620, 1, 'schedule']]);
  });

  it('ticks on local whole hours, spaced so labels do not collide', () => {
    // 20 px per hour: 3 h steps (60 px) are the first at least 56 px apart.
    const t = ticks(FROM, TO, 960, 0);
    assert.strictEqual(t[1] - t[0], 3 * HOUR_MS);
    assert.ok(t.every((x) => x % (3 * HOUR_MS) === 0 && x >= FROM && x <= TO));
    // UTC+5:30: whole local hours are at :30 UTC.
    const india = ticks(FROM, TO, 960, 5.5 * HOUR_MS);
    assert.ok(india.every((x) => (x + 5.5 * HOUR_MS) % (3 * HOUR_MS) === 0), india.map((x) => new Date(x).toISOString()).join());
    // Wide: every hour.
    assert.strictEqual(ticks(FROM, TO, 48 * 60, 0)[1] - ticks(FROM, TO, 48 * 60, 0)[0], HOUR_MS);
  });
});

describe('dashboard upcoming sampling', () => {
  const every = (ms: number) => (after: number) => Math.floor(after / ms) * ms + ms;

  it('lists every planned run when there are fewer than slots', () => {
    const first = every(HOUR_MS)(NOW);
    assert.deepStrictEqual(sampleUpcoming(every(HOUR_MS), first, NOW + 5 * HOUR_MS, 288), [1, 2, 3, 4, 5].map((h) => NOW + h * HOUR_MS));
  });

  it('keeps at most one per slot for a dense schedule, across the whole window, with few calls', () => {
    let calls = 0;
    const next = (after: number) => { calls++; return every(1000)(after); };
    const out = sampleUpcoming(next, NOW + 1000, NOW + WINDOW_MS, 288);
    assert.ok(out.length <= 288 && out.length >= 280, String(out.length));
    assert.ok(out[out.length - 1] > NOW + WINDOW_MS - 10 * MIN, 'reaches the end of the window');
    assert.ok(calls <= 288, String(calls));
    assert.ok(out.every((t, i) => i === 0 || t > out[i - 1]));
  });

  it('is empty without a next run, or when it is past the window', () => {
    assert.deepStrictEqual(sampleUpcoming(every(MIN), undefined, TO, 10), []);
    assert.deepStrictEqual(sampleUpcoming(every(MIN), TO + 1, TO, 10), []);
    assert.deepStrictEqual(sampleUpcoming(() => undefined, NOW + 5, TO, 10), [NOW + 5]);
  });
});
