// The Preview Schedules page (bundled for the browser as dist/media/preview.js): the range and zone the
// person picks, one lane per task with its runs, the zone's DST changes as lines, herds and runs moved by
// DST marked, long gaps shaded; a click on a run asks the host why it is there. DOM from text only.
import { el, fill, svg } from '../../dashboard/webview/dom';
import { parseHostMessage, type HostMessage, type PreviewRange, type PreviewRequestData, type PreviewView, type WebviewMessage } from '../protocol';

interface VsCodeApi { postMessage(message: WebviewMessage): void }
declare function acquireVsCodeApi(): VsCodeApi;

/** Room for the task names left of the lanes. */
const NAME_WIDTH = 200;
const LANE_HEIGHT = 22;
/** Narrower than this the runs crowd: the chart scrolls sideways instead. */
const MIN_WIDTH = 600;
/** Herds listed under the chart; the chart marks them all. */
const MAX_HERDS_LISTED = 20;

const vscode = acquireVsCodeApi();
const $ = (id: string) => document.getElementById(id)!;
let view: PreviewView | undefined;
/** What the controls show: they are rebuilt only when it changes, so a redraw never takes a half-typed zone. */
let controlsShown = '';

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseHostMessage(e.data);
  if (m) onHost(m);
});
new ResizeObserver(() => { if (view) drawChart(view); }).observe($('chart'));
vscode.postMessage({ type: 'ready' });

function onHost(m: HostMessage): void {
  if (m.type === 'view') {
    view = m.view;
    $('app').setAttribute('aria-busy', 'false');
    drawControls(m.view);
    $('title').textContent = m.view.model ? m.view.model.title : 'Preview Schedules';
    $('problem').textContent = m.view.error ?? '';
    drawChart(m.view);
    drawNotes(m.view);
    return;
  }
  const box = $('explain');
  if (m.type === 'explainError') fill(box, el('p', { class: 'problem' }, m.message));
  else fill(box, el('h3', {}, m.title), el('ul', {}, ...m.lines.map((l) => el('li', {}, l))));
}

function request(patch: Partial<PreviewRequestData>): void {
  if (!view) return;
  vscode.postMessage({ type: 'request', request: { ...view.request, ...patch } });
}

/** The same range moved back or forward by its own length. */
function shifted(r: PreviewRequestData, by: number): string {
  const [y, m, d] = r.start.split('-').map(Number);
  const date = r.range === 'month' ? new Date(Date.UTC(y, m - 1 + by, 1)) : new Date(Date.UTC(y, m - 1, d + by * (r.range === 'week' ? 7 : 1)));
  return date.toISOString().slice(0, 10);
}

function drawControls(v: PreviewView): void {
  const r = v.request;
  const key = JSON.stringify([r, v.zones]);
  if (key === controlsShown) return;
  controlsShown = key;
  const range = el('select', { id: 'range', 'aria-label': 'Range' }, ...(['day', 'week', 'month'] as PreviewRange[]).map((x) => {
    const o = el('option', { value: x }, x[0].toUpperCase() + x.slice(1));
    if (x === r.range) o.selected = true;
    return o;
  }));
  range.addEventListener('change', () => request({ range: range.value as PreviewRange }));
  const start = el('input', { id: 'start', type: 'date', value: r.start, 'aria-label': 'First day' });
  start.addEventListener('change', () => { if (start.value) request({ start: start.value }); });
  const zone = el('input', { id: 'zone', value: r.zone, list: 'zones', 'aria-label': 'Time zone', spellcheck: 'false' });
  const applyZone = () => { if (zone.value.trim() && zone.value.trim() !== r.zone) request({ zone: zone.value.trim() }); };
  zone.addEventListener('change', applyZone);
  zone.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyZone(); });
  const button = (id: string, label: string, text: string, onClick: () => void) => {
    const b = el('button', { id, type: 'button', 'aria-label': label, title: label }, text);
    b.addEventListener('click', onClick);
    return b;
  };
  fill($('controls'),
    range,
    button('prev', 'Earlier', '‹', () => request({ start: shifted(r, -1) })),
    start,
    button('next', 'Later', '›', () => request({ start: shifted(r, 1) })),
    button('today', 'Today', 'Today', () => request({ start: new Date().toISOString().slice(0, 10) })),
    el('label', { for: 'zone' }, 'Zone'), zone,
    el('datalist', { id: 'zones' }, ...v.zones.map((z) => el('option', { value: z }))),
  );
}

function drawChart(v: PreviewView): void {
  const box = $('chart');
  const m = v.model;
  if (!m) { fill(box); return; }
  if (!m.rows.length) { fill(box, el('p', { class: 'empty' }, 'No task with a schedule in this workspace.')); return; }
  const width = Math.max(MIN_WIDTH, Math.floor(box.clientWidth || MIN_WIDTH)) - NAME_WIDTH - 8;
  const x = (at: number) => ((at - m.from) / (m.to - m.from)) * width;
  const header = svg('svg', { class: 'axis', width, height: 34, viewBox: `0 0 ${width} 34` });
  for (const d of m.days) {
    header.appendChild(svg('line', { class: 'day', x1: x(d.at), x2: x(d.at), y1: 18, y2: 34 }));
    if (m.days.length <= 14 || new Date(d.at).getUTCDate() % 7 === 1) header.appendChild(svg('text', { class: 'day-label', x: x(d.at) + 3, y: 14 }, d.label));
  }
  for (const c of m.dstChanges) {
    header.appendChild(svg('line', { class: `dst-line ${c.forward ? 'forward' : 'back'}`, x1: x(c.at), x2: x(c.at), y1: 0, y2: 34 }, svg('title', {}, `DST: ${c.label}`)));
  }
  for (const h of m.herds) header.appendChild(svg('rect', { class: 'herd-mark', x: x(h.at) - 2, y: 26, width: 4, height: 8 }, svg('title', {}, h.label)));
  const rows = m.rows.map((row) => {
    const lane = svg('svg', { class: 'lane', width, height: LANE_HEIGHT, viewBox: `0 0 ${width} ${LANE_HEIGHT}` });
    for (const d of m.days) lane.appendChild(svg('line', { class: 'day', x1: x(d.at), x2: x(d.at), y1: 0, y2: LANE_HEIGHT }));
    for (const c of m.dstChanges) lane.appendChild(svg('line', { class: `dst-line ${c.forward ? 'forward' : 'back'}`, x1: x(c.at), x2: x(c.at), y1: 0, y2: LANE_HEIGHT }));
    for (const g of row.longGaps) {
      lane.appendChild(svg('rect', { class: 'long-gap', x: x(g.from), y: 6, width: Math.max(1, x(g.to) - x(g.from)), height: LANE_HEIGHT - 12 }, svg('title', {}, g.label)));
    }
    for (const run of row.runs) {
      const classes = ['run', run.herd ? 'herd' : '', run.dst ? `dst-${run.dst}` : ''].filter(Boolean).join(' ');
      const what = `${v.ids[row.taskId] ?? row.name} at ${run.label}${run.herd ? ' (herd)' : ''}${run.dst ? ` (moved by DST: ${run.dst === 'gap' ? 'out of a gap' : 'repeated hour'})` : ''}`;
      const dot = svg('circle', { class: classes, cx: x(run.at), cy: LANE_HEIGHT / 2, r: run.herd || run.dst ? 5 : 4, tabindex: 0, role: 'button',
        'aria-label': what, 'data-task': row.taskId, 'data-at': run.at }, svg('title', {}, what));
      const ask = () => vscode.postMessage({ type: 'explain', key: row.taskId, at: run.at });
      dot.addEventListener('click', ask);
      dot.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' ') ask(); });
      lane.appendChild(dot);
    }
    if (row.dense) lane.appendChild(svg('title', {}, row.dense));
    const words = row.dense ? `${row.words} · ${row.dense}` : row.words;
    const name = el('div', { class: 'name', title: `${row.name}\n${words}` }, el('span', { class: 'task-name' }, row.name), el('span', { class: 'words' }, words));
    return el('div', { class: `row${row.taskId === v.focus ? ' focus' : ''}${row.dense ? ' dense' : ''}`, 'data-task': row.taskId }, name, lane);
  });
  fill(box, el('div', { class: 'row axis-row' }, el('div', { class: 'name' }), header), ...rows);
  box.querySelector('.row.focus')?.scrollIntoView({ block: 'nearest' });
}

function drawNotes(v: PreviewView): void {
  const m = v.model;
  if (!m) { fill($('notes')); return; }
  const dst = m.dstChanges.length
    ? el('ul', { class: 'dst-list' }, ...m.dstChanges.map((c) => el('li', { class: 'dst-change' }, `DST in ${m.zone}: ${c.label}`)))
    : el('p', { class: 'note' }, `No DST change in ${m.zone} in this range.`);
  const herds = m.herds.length
    ? el('ul', { class: 'herds' }, ...m.herds.slice(0, MAX_HERDS_LISTED).map((h) => el('li', { class: 'herd' }, `${h.label}: ${h.members.map((k) => v.ids[k] ?? k).join(', ')}`)),
      m.herds.length > MAX_HERDS_LISTED ? el('li', {}, `… and ${m.herds.length - MAX_HERDS_LISTED} more`) : undefined)
    : el('p', { class: 'note' }, 'No herd: never five tasks in one second.');
  const gaps = m.rows.flatMap((r) => r.longGaps.map((g) => el('li', { class: 'long-gap-note' }, `${v.ids[r.taskId] ?? r.name}: ${g.label}`)));
  fill($('notes'),
    el('h3', {}, 'Daylight saving time'), dst,
    el('h3', {}, 'Herds'), herds,
    el('h3', {}, 'Long gaps'), gaps.length ? el('ul', { class: 'gaps' }, ...gaps) : el('p', { class: 'note' }, 'None.'),
    el('p', { class: 'note' }, 'Click a run to see why it is there.'));
}
