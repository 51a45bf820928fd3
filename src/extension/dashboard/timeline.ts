// The timeline picture's geometry: where each run and each planned run goes in a window of the last and
// the next 24 h, one lane per task. Pure numbers in, pure numbers out, so the unit tests check the math
// and the webview only turns the result into SVG elements.
import type { RunStatus } from '../../core/model';

export const HOUR_MS = 3_600_000;
/** What the dashboard shows on either side of now: one day back, one day ahead (DESIGN "Dashboard"). */
export const WINDOW_MS = 24 * HOUR_MS;

/** A run of two seconds is 0.03 px wide in a 48 h picture: every run gets at least this much. */
export const MIN_BAR_PX = 3;
/** Runs of one status closer than this merge into one bar with a count: a busy task costs few elements. */
export const MERGE_GAP_PX = 1;
/** Planned runs closer than a mark is wide merge into one mark with a count. */
export const MARK_MERGE_PX = 8;
export const LANE_HEIGHT = 20;
/** Room for the hour labels above the lanes. */
export const AXIS_HEIGHT = 18;
/** Tick spacing candidates (hours): the smallest whose labels stay this far apart is used. */
const TICK_STEPS_H = [1, 2, 3, 4, 6, 12, 24];
const MIN_TICK_GAP_PX = 56;

/** Bars are drawn in this order, reversed: a failure among many successes is painted last, on top. */
const SEVERITY: readonly RunStatus[] = ['failed', 'timed-out', 'interrupted', 'running', 'cancelled', 'missed', 'skipped', 'succeeded', 'queued'];

/** `member`: in a cluster, who ran it; runs of different members never merge into one bar. */
export interface LayoutRun { lane: string; status: RunStatus; start: number; end?: number; member?: string }
export interface LayoutUpcoming { lane: string; at: number; kind: 'schedule' | 'retry' }

export interface LayoutInput {
  from: number;
  to: number;
  now: number;
  /** Where the plot starts (after the lane labels) and how wide it is, in px. */
  plotX: number;
  plotWidth: number;
  lanes: string[];
  runs: LayoutRun[];
  upcoming: LayoutUpcoming[];
  /** The viewer's offset from UTC (ms), so ticks fall on local whole hours. */
  utcOffsetMs: number;
}

export interface Bar { lane: string; x: number; y: number; width: number; status: RunStatus; count: number; start: number; end: number; member?: string }
export interface Mark { lane: string; x: number; y: number; count: number; at: number; kind: 'schedule' | 'retry' }
export interface Tick { x: number; at: number }

export interface TimelineLayout {
  width: number;
  height: number;
  nowX: number;
  ticks: Tick[];
  lanes: Array<{ key: string; y: number }>;
  bars: Bar[];
  marks: Mark[];
}

export function layoutTimeline(input: LayoutInput): TimelineLayout {
  const { from, to, now, plotX, plotWidth } = input;
  const span = Math.max(1, to - from);
  const xOf = (t: number) => plotX + (Math.min(to, Math.max(from, t)) - from) / span * plotWidth;
  const laneY = new Map(input.lanes.map((key, i) => [key, AXIS_HEIGHT + i * LANE_HEIGHT]));

  const bars: Bar[] = [];
  const byLane = groupBy(input.runs.filter((r) => laneY.has(r.lane) && (r.end ?? now) >= from && r.start <= to), (r) => r.lane);
  for (const [lane, runs] of byLane) {
    runs.sort((a, b) => a.start - b.start);
    const open = new Map<string, Bar>();
    for (const r of runs) {
      const end = r.end ?? now;
      const x = xOf(r.start);
      const width = Math.max(MIN_BAR_PX, xOf(end) - x);
      // Only runs that ended alike (on the same member) merge: one red run among a hundred green ones keeps its own bar.
      const key = `${r.status}\n${r.member ?? ''}`;
      const last: Bar | undefined = open.get(key);
      if (last && x <= last.x + last.width + MERGE_GAP_PX) {
        last.width = Math.max(last.width, x + width - last.x);
        last.count++;
        last.end = Math.max(last.end, end);
        continue;
      }
      const bar: Bar = { lane, x, y: laneY.get(lane)!, width, status: r.status, count: 1, start: r.start, end };
      if (r.member !== undefined) bar.member = r.member;
      open.set(key, bar);
      bars.push(bar);
    }
  }
  bars.sort((a, b) => SEVERITY.indexOf(b.status) - SEVERITY.indexOf(a.status) || a.x - b.x);

  const marks: Mark[] = [];
  const upcomingByLane = groupBy(input.upcoming.filter((u) => laneY.has(u.lane) && u.at >= now && u.at <= to), (u) => u.lane);
  for (const [lane, ups] of upcomingByLane) {
    ups.sort((a, b) => a.at - b.at);
    let open: Mark | undefined;
    for (const u of ups) {
      const x = xOf(u.at);
      if (open && x - open.x < MARK_MERGE_PX) {
        open.count++;
        // A retry is worth seeing among ordinary slots.
        if (u.kind === 'retry') open.kind = 'retry';
        continue;
      }
      open = { lane, x, y: laneY.get(lane)!, count: 1, at: u.at, kind: u.kind };
      marks.push(open);
    }
  }

  return {
    width: plotX + plotWidth,
    height: AXIS_HEIGHT + input.lanes.length * LANE_HEIGHT,
    nowX: xOf(now),
    ticks: ticks(from, to, plotWidth, input.utcOffsetMs).map((at) => ({ at, x: xOf(at) })),
    lanes: input.lanes.map((key) => ({ key, y: laneY.get(key)! })),
    bars,
    marks,
  };
}

/** Local whole hours, every `step` hours, with the step chosen so that labels do not collide. */
export function ticks(from: number, to: number, plotWidth: number, utcOffsetMs: number): number[] {
  const pxPerHour = plotWidth / Math.max(1, (to - from) / HOUR_MS);
  const step = (TICK_STEPS_H.find((h) => h * pxPerHour >= MIN_TICK_GAP_PX) ?? 24) * HOUR_MS;
  const out: number[] = [];
  // Ticks are multiples of `step` in local time, so "12:00" and "18:00", not "11:37".
  for (let t = Math.ceil((from + utcOffsetMs) / step) * step - utcOffsetMs; t <= to; t += step) out.push(t);
  return out;
}

/**
 * A task's planned runs between `first` and `to` for a picture with `maxMarks` slots: at most one run per
 * slot, so a task that runs every second costs `maxMarks` calls to `next`, not 86,400.
 */
export function sampleUpcoming(next: (after: number) => number | undefined, first: number | undefined, to: number, maxMarks: number): number[] {
  const out: number[] = [];
  if (first === undefined || first > to || maxMarks <= 0) return out;
  const slot = Math.max(1, (to - first) / maxMarks);
  for (let t: number | undefined = first; t !== undefined && t <= to && out.length < maxMarks;) {
    out.push(t);
    const slotEnd = first + (Math.floor((t - first) / slot) + 1) * slot;
    t = next(Math.max(t, Math.ceil(slotEnd) - 1));
  }
  return out;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it); else m.set(k, [it]);
  }
  return m;
}
