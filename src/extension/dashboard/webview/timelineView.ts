// The timeline picture: an SVG built element by element from layoutTimeline's numbers, one lane per
// task, past runs as bars coloured by status, planned runs as hollow marks, a line at "now". Names go
// into <text> and <title> as text only.
import { duration, ellipsize } from '../format';
import { layoutTimeline, LANE_HEIGHT } from '../timeline';
import { el, fill, svg } from './dom';
import { clock, hourLabel, RUN_STATUS } from './labels';
import { taskKey, type View } from './view';

/** Member colours (charts-* theme colours, dashboard.css); a ninth member reuses the first. */
const MEMBER_COLOURS = 8;
/** Lanes drawn at most: past this the picture is a wall; the filters narrow it down. */
export const MAX_LANES = 60;
/** Room for the task names left of the plot. */
const LABEL_WIDTH = 180;
const LABEL_CHARS = 26;
/** An hour label ("06:00 AM") is about 56 px wide: a tick closer than this to now gives its spot to "now". */
const NOW_LABEL_ROOM = 48;
/** Narrower than this the hours crowd out the runs: the picture scrolls sideways instead. */
const MIN_WIDTH = 560;

export function renderTimeline(container: HTMLElement, v: View): void {
  const tasks = v.tasks.slice(0, MAX_LANES);
  if (!tasks.length) {
    fill(container, el('p', { class: 'empty' }, 'Nothing to draw.'));
    return;
  }
  const width = Math.max(MIN_WIDTH, Math.floor(container.clientWidth || MIN_WIDTH));
  const shown = new Set(tasks.map(taskKey));
  const names = new Map(tasks.map((t) => [taskKey(t), t.name]));
  const { from, to } = v.data.timeline;
  const layout = layoutTimeline({
    from, to, now: v.now, plotX: LABEL_WIDTH, plotWidth: width - LABEL_WIDTH - 8,
    lanes: tasks.map(taskKey),
    runs: v.data.timeline.runs.map((r) => ({ lane: taskKey({ folder: r.folder, id: r.taskId }), status: r.status, start: r.start, end: r.end, member: r.member }))
      .filter((r) => shown.has(r.lane)),
    upcoming: v.data.timeline.upcoming.map((u) => ({ lane: taskKey({ folder: u.folder, id: u.taskId }), at: u.at, kind: u.kind }))
      .filter((u) => shown.has(u.lane)),
    utcOffsetMs: -new Date(v.now).getTimezoneOffset() * 60_000,
  });

  const picture = svg('svg', { class: 'timeline', width: layout.width, height: layout.height + 4, role: 'img',
    viewBox: `0 0 ${layout.width} ${layout.height + 4}`, 'aria-label': 'Runs in the last 24 hours and planned runs in the next 24 hours' });
  picture.appendChild(svg('rect', { class: 'past', x: LABEL_WIDTH, y: 0, width: Math.max(0, layout.nowX - LABEL_WIDTH), height: layout.height }));
  for (const lane of layout.lanes) {
    picture.appendChild(svg('line', { class: 'lane', x1: 0, x2: layout.width, y1: lane.y + LANE_HEIGHT, y2: lane.y + LANE_HEIGHT }));
    const name = names.get(lane.key) ?? '';
    picture.appendChild(svg('text', { class: 'lane-label', x: 4, y: lane.y + LANE_HEIGHT / 2 + 4 }, svg('title', {}, name), ellipsize(name, LABEL_CHARS)));
  }
  for (const t of layout.ticks) {
    picture.appendChild(svg('line', { class: 'tick', x1: t.x, x2: t.x, y1: 14, y2: layout.height }));
    // The "now" label has this spot: an hour label under it would be unreadable.
    if (Math.abs(t.x - layout.nowX) > NOW_LABEL_ROOM) picture.appendChild(svg('text', { class: 'tick-label', x: t.x, y: 11, 'text-anchor': 'middle' }, hourLabel(t.at)));
  }
  // Under the runs and marks: a run that just ended must not hide behind the line.
  picture.appendChild(svg('line', { class: 'now', x1: layout.nowX, x2: layout.nowX, y1: 0, y2: layout.height }));
  // Plans first, then what ran: a run that just ended stays visible beside the next planned slot.
  for (const m of layout.marks) {
    const tip = `${names.get(m.lane) ?? ''} — ${m.kind === 'retry' ? 'retry' : 'planned'} at ${clock(m.at)}${m.count > 1 ? ` (+${m.count - 1} more close by)` : ''}`;
    const r = 4;
    const cy = m.y + LANE_HEIGHT / 2;
    picture.appendChild(svg('path', { class: `mark kind-${m.kind}`, d: `M ${m.x} ${cy - r} L ${m.x + r} ${cy} L ${m.x} ${cy + r} L ${m.x - r} ${cy} Z` }, svg('title', {}, tip)));
  }
  // In a cluster each member has a colour: hovering the picture colours the runs by who ran them.
  const members = [...new Set(layout.bars.map((b) => b.member).filter((m): m is string => m !== undefined))].sort();
  const colour = (m: string | undefined) => (m === undefined ? '' : ` member-${members.indexOf(m) % MEMBER_COLOURS}`);
  for (const b of layout.bars) {
    const what = b.count > 1 ? `${b.count} runs, ${RUN_STATUS[b.status].label.toLowerCase()}` : RUN_STATUS[b.status].label;
    const tip = `${names.get(b.lane) ?? ''} — ${what}${b.member ? ` on ${b.member}` : ''}\n${clock(b.start)} → ${clock(b.end)} (${duration(b.end - b.start)})`;
    picture.appendChild(svg('rect', { class: `bar status-${b.status}${colour(b.member)}`, x: b.x, y: b.y + 4, width: b.width, height: LANE_HEIGHT - 8, rx: 1 }, svg('title', {}, tip)));
  }
  if (members.length) {
    picture.classList.add('has-members');
    picture.addEventListener('mouseenter', () => picture.classList.add('by-member'));
    picture.addEventListener('mouseleave', () => picture.classList.remove('by-member'));
  }
  picture.appendChild(svg('text', { class: 'now-label', x: layout.nowX, y: 11, 'text-anchor': 'middle' }, 'now'));

  const more = v.tasks.length - tasks.length;
  fill(container, el('div', { class: 'timeline-scroll' }, picture), legend(),
    members.length > 0 && memberLegend(members),
    more > 0 && el('p', { class: 'note' }, `${more} more task(s) not drawn: narrow them down with the filters.`));
}

function legend(): HTMLElement {
  const items = (['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'interrupted', 'running'] as const).map((s) =>
    el('span', { class: 'legend-item' }, swatch(`bar status-${s}`, 'rect'), RUN_STATUS[s].label));
  items.push(el('span', { class: 'legend-item' }, swatch('mark kind-schedule', 'mark'), 'Planned'));
  items.push(el('span', { class: 'legend-item' }, swatch('mark kind-retry', 'mark'), 'Retry'));
  return el('div', { class: 'legend', 'aria-hidden': 'true' }, ...items);
}

/** Who ran what, in the colours the picture takes on hover. */
function memberLegend(members: string[]): HTMLElement {
  return el('div', { class: 'legend members-legend' }, el('span', {}, 'Hover the picture to colour runs by member:'),
    ...members.map((m, i) => el('span', { class: 'legend-item' }, swatch(`bar member-${i % MEMBER_COLOURS} by-member-swatch`, 'rect'), m)));
}

function swatch(cls: string, shape: 'rect' | 'mark'): SVGSVGElement {
  return svg('svg', { width: 12, height: 12, viewBox: '0 0 12 12' },
    shape === 'rect' ? svg('rect', { class: cls, x: 1, y: 3, width: 10, height: 6, rx: 1 }) : svg('path', { class: cls, d: 'M 6 2 L 10 6 L 6 10 L 2 6 Z' }));
}
