// Preview Schedules, pure: every task's runs over a day, a week or a month shown in one zone, with that
// zone's DST changes, herds (many tasks in one second), long gaps in a task's rhythm, runs a DST change
// moved, and for any run the reason it is there.
import type { Schedule } from '../schedule';
import { canonicalZone, instantOfWall, wallOf } from '../schedule/zone';
import { dstEffects, zoneChanges } from './dst';
import { HERD_MIN_TASKS } from './herds';
import { PREVIEW_RANGES, type PreviewModel, type PreviewRequest, type PreviewRow, type PreviewRun } from './previewModel';
import { abbreviation, clockText, dateText, offsetText, wallDayText, whenText } from './timeText';

export { PREVIEW_RANGES, type PreviewModel, type PreviewRange, type PreviewRequest, type PreviewRow, type PreviewRun } from './previewModel';

/** Runs drawn per task; past it the row says how many more (a month of "every minute" is 44,640). */
export const MAX_RUNS_PER_ROW = 400;
/** A gap this many times the task's usual gap is worth pointing at (a weekend for "weekdays"). */
export const LONG_GAP_FACTOR = 2;

export interface PreviewTask {
  id: string;
  name: string;
  /** The workspace folder's name, when several are open. */
  folder?: string;
  schedule: Schedule;
}

/** The range's first and end instants in `zone`, or an error naming the bad input. */
export function previewBounds(request: PreviewRequest): { from: number; to: number; start: string; zone: string } | { error: string } {
  const zone = canonicalZone(request.zone);
  if (!zone) return { error: `unknown time zone "${request.zone}": expected an IANA zone like "Europe/Berlin" or "UTC"` };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(request.start);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]) - 1, Number(m[3])] : [NaN, NaN, NaN];
  if (!m || mo > 11 || d < 1 || d > new Date(Date.UTC(y, mo + 1, 0)).getUTCDate()) return { error: `"${request.start}" is not a date: expected YYYY-MM-DD` };
  if (!(PREVIEW_RANGES as readonly string[]).includes(request.range)) return { error: `"${request.range}" is not a range: expected day, week or month` };
  const first = request.range === 'month' ? Date.UTC(y, mo, 1) : Date.UTC(y, mo, d);
  const end = request.range === 'day' ? first + 86_400_000 : request.range === 'week' ? first + 7 * 86_400_000 : Date.UTC(y, mo + 1, 1);
  return { from: instantOfWall(zone, first), to: instantOfWall(zone, end), start: dateText(first), zone };
}

export function buildPreview(tasks: readonly PreviewTask[], request: PreviewRequest): PreviewModel | { error: string } {
  const bounds = previewBounds(request);
  if ('error' in bounds) return bounds;
  const { from, to, zone } = bounds;
  const label = (at: number) => (request.range === 'day' ? clockText(wallOf(zone, at)) : wallDayText(wallOf(zone, at)).slice(0, 20));
  const byInstant = new Map<number, string[]>();
  const rows: PreviewRow[] = tasks.map((task) => {
    const moved = new Map(dstEffects(task.schedule, from - 1, to).map((e) => [e.firesAt, e.kind] as const));
    const { runs, dense } = runsIn(task.schedule, from, to);
    for (const t of runs) byInstant.set(t, [...(byInstant.get(t) ?? []), task.id]);
    const drawn = runs.map((t) => ({ at: t, label: label(t), dst: moved.get(t) }));
    return {
      taskId: task.id, name: task.name, folder: task.folder, words: task.schedule.describe(), runs: drawn,
      ...(dense ? { dense } : {}), longGaps: dense ? [] : longGaps(drawn, zone),
    };
  });
  const herds = [...byInstant].filter(([, ids]) => ids.length >= HERD_MIN_TASKS).sort((a, b) => a[0] - b[0])
    .map(([at, members]) => ({ at, label: `${whenText(at, zone)}: ${members.length} tasks in one second`, members: [...members].sort() }));
  const herdAt = new Set(herds.map((h) => h.at));
  for (const row of rows) for (const run of row.runs) if (herdAt.has(run.at)) run.herd = true;
  const days: PreviewModel['days'] = [];
  for (let wall = Math.floor(wallOf(zone, from) / 86_400_000) * 86_400_000; ; wall += 86_400_000) {
    const at = instantOfWall(zone, wall);
    if (at >= to) break;
    days.push({ at, label: wallDayText(wall).slice(0, 14) });
  }
  const dstChanges = zoneChanges(zone, from, to - 1).map((c) => ({
    at: c.at, forward: c.forward,
    label: `${wallDayText(c.wallBefore).slice(0, 14)} ${clockText(c.wallBefore)} → ${clockText(c.wallAfter)} `
      + `(${abbreviation(zone, c.at - 1)} → ${abbreviation(zone, c.at)}, ${offsetText(c.offsetAfter)}): clocks go ${c.forward ? 'forward' : 'back'}`,
  }));
  const span = request.range === 'day' ? bounds.start : `${bounds.start} to ${dateText(wallOf(zone, to - 1))}`;
  return { zone, range: request.range, start: bounds.start, from, to, title: `${span} in ${zone}`, days, dstChanges, herds, rows };
}

/**
 * The runs in [from, to). Past MAX_RUNS_PER_ROW they are too close to tell apart in a picture (and too many
 * to compute one by one for a month of "every minute"): then one run per slice of the range is kept, so
 * the marks still span the whole range, and `dense` says so.
 */
function runsIn(schedule: Schedule, from: number, to: number): { runs: number[]; dense?: string } {
  const runs: number[] = [];
  let t = schedule.next(from - 1);
  for (; t !== undefined && t < to && runs.length < MAX_RUNS_PER_ROW; t = schedule.next(t)) runs.push(t);
  if (t === undefined || t >= to) return { runs };
  const slice = (to - from) / MAX_RUNS_PER_ROW;
  const kept: number[] = [];
  for (let k = 0; k < MAX_RUNS_PER_ROW; k++) {
    const run = schedule.next(from + k * slice - 1);
    if (run !== undefined && run < Math.min(to, from + (k + 1) * slice) && run !== kept[kept.length - 1]) kept.push(run);
  }
  return { runs: kept, dense: `more than ${MAX_RUNS_PER_ROW} runs: one mark per ${hoursText(slice)} drawn` };
}

/** Gaps between runs longer than LONG_GAP_FACTOR × the row's median gap (a row needs 3 runs to have a rhythm). */
function longGaps(runs: PreviewRun[], zone: string): PreviewRow['longGaps'] {
  if (runs.length < 3) return [];
  const gaps = runs.slice(1).map((r, i) => r.at - runs[i].at);
  const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
  const out: PreviewRow['longGaps'] = [];
  gaps.forEach((gap, i) => {
    if (gap > LONG_GAP_FACTOR * median) {
      out.push({ from: runs[i].at, to: runs[i + 1].at, label: `no run for ${hoursText(gap)} (${wallDayText(wallOf(zone, runs[i].at)).slice(0, 20)} → ${wallDayText(wallOf(zone, runs[i + 1].at)).slice(0, 20)}), usually every ${hoursText(median)}` });
    }
  });
  return out;
}

function hoursText(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return `${Math.round(ms / 60_000)} min`;
  if (h < 48) return `${Math.round(h * 10) / 10} h`;
  return `${Math.round(h / 24 * 10) / 10} days`;
}
