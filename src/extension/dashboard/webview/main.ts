// The dashboard page's script (bundled for the browser as dist/media/dashboard.js). It keeps the latest
// data from the host, the filters and the scroll position (in the webview state, so they survive the
// panel being hidden and VS Code reloading), draws the page from them, and turns clicks into messages.
import { newerFilters, parseHostMessage, type DashboardData, type HostMessage, type TaskAction, type TaskRow, type WebviewMessage } from '../protocol';
import { renderErrors } from './errors';
import { renderMembers } from './members';
import { renderFilters, type Filters } from './filters';
import { ACTION } from './labels';
import { renderBanners, renderHealth } from './summary';
import { renderTable } from './table';
import { renderTimeline } from './timelineView';
import { el, fill } from './dom';
import type { View } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PageState { filters: Filters; scrollY: number }

/** Relative times ("in 4 min") are redrawn this often without news from the host. */
const TICK_MS = 15_000;
/** An action's message stays this long. */
const NOTICE_MS = 6_000;

const vscode = acquireVsCodeApi();
const $ = (id: string) => document.getElementById(id)!;

const saved = vscode.getState();
let state = readState(saved);
/** Whether this page had state of its own; `init` brings the host's copy of the filters, used when newer. */
const hadState = saved !== undefined && saved !== null;
let data: DashboardData | undefined;
/** When `data` arrived, on this page's monotonic clock. */
let receivedAt = 0;
let restoredScroll = false;
let nextRequest = 1;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

function readState(raw: unknown): PageState {
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const f = (typeof s.filters === 'object' && s.filters !== null ? s.filters : {}) as Record<string, unknown>;
  return {
    filters: {
      tag: typeof f.tag === 'string' ? f.tag : '',
      state: typeof f.state === 'string' ? f.state : '',
      ...(typeof f.at === 'number' && Number.isFinite(f.at) ? { at: f.at } : {}),
    },
    scrollY: typeof s.scrollY === 'number' && Number.isFinite(s.scrollY) ? s.scrollY : 0,
  };
}

function saveState(patch: Partial<PageState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}

function view(d: DashboardData): View {
  const { tag, state: taskState } = state.filters;
  const names = new Map(d.folders.map((f) => [f.key, f.name]));
  return {
    data: d,
    now: d.now + (performance.now() - receivedAt),
    multiRoot: d.folders.length > 1,
    tasks: d.tasks.filter((t) => (!tag || t.tags.includes(tag)) && (!taskState || t.state === taskState)),
    folderName: (key) => names.get(key) ?? key,
    act,
    open: (t) => vscode.postMessage({ type: 'openTask', folder: t.folder, taskId: t.id }),
    takeOver: (folder) => vscode.postMessage({ type: 'takeOver', requestId: nextRequest++, folder }),
    cluster: (folder, op) => vscode.postMessage({ type: 'cluster', requestId: nextRequest++, folder, op }),
  };
}

function act(action: TaskAction, t: TaskRow): void {
  vscode.postMessage({ type: 'action', requestId: nextRequest++, action, folder: t.folder, taskId: t.id });
  notice(`${ACTION[action].label}: ${t.name}`, 'info');
}

function render(): void {
  if (!data) return;
  // Redrawing replaces the buttons: give focus back to the one that had it.
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
  const v = view(data);
  renderBanners($('banners'), v);
  renderHealth($('health'), v);
  renderFilters($('filters'), data, state.filters, (changed) => {
    const filters = { ...changed, at: Date.now() };
    saveState({ filters });
    vscode.postMessage({ type: 'filters', filters });
    render();
  });
  renderTable($('tasks'), v);
  renderMembers($('members-section'), $('members'), v);
  renderTimeline($('timeline'), v);
  renderErrors($('errors'), v);
  $('app').setAttribute('aria-busy', 'false');
  if (focused) [...document.querySelectorAll<HTMLElement>('[data-key]')].find((b) => b.dataset.key === focused)?.focus();
  if (!restoredScroll) {
    restoredScroll = true;
    window.scrollTo(0, state.scrollY);
  }
}

function notice(text: string, tone: 'info' | 'error'): void {
  const box = $('notice');
  fill(box, el('span', { class: `notice ${tone}` }, text));
  if (noticeTimer) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => fill(box), NOTICE_MS);
}

function onMessage(message: HostMessage): void {
  switch (message.type) {
    case 'init':
    case 'update':
      if (message.type === 'init') {
        const own = hadState || state.filters.at !== undefined ? state.filters : undefined;
        const start = newerFilters(own, message.filters);
        if (start && start !== state.filters) saveState({ filters: start });
      }
      data = message.data;
      receivedAt = performance.now();
      render();
      return;
    case 'result':
      if (!message.ok) notice(message.message ?? 'That did not work.', 'error');
      else if (message.message) notice(message.message, 'info');
      return;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const message = parseHostMessage(e.data);
  if (message) onMessage(message); // anything else (another frame, a malformed message) is ignored
});

let scrollPending = false;
window.addEventListener('scroll', () => {
  if (scrollPending) return;
  scrollPending = true;
  requestAnimationFrame(() => { scrollPending = false; saveState({ scrollY: window.scrollY }); });
});

let lastWidth = 0;
new ResizeObserver(() => {
  const width = $('timeline').clientWidth;
  if (data && width !== lastWidth) { lastWidth = width; renderTimeline($('timeline'), view(data)); }
}).observe($('timeline'));

setInterval(render, TICK_MS);
vscode.postMessage({ type: 'ready' });
