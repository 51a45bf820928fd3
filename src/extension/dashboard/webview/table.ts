// The task table: one row per task the filters let through, with the row's actions as icon buttons.
// Every value goes in as text; long names are cut by CSS (ellipsis) with the whole name in the tooltip.
import { duration, relativeTime } from '../format';
import type { TaskAction, TaskRow } from '../protocol';
import { el, fill, icon } from './dom';
import { ACTION, clock, RUN_STATUS, TASK_STATE } from './labels';
import { taskKey, type View } from './view';

export function renderTable(container: HTMLElement, v: View): void {
  if (!v.data.tasks.length) {
    fill(container, el('p', { class: 'empty' }, 'No tasks yet. Add a file ending in .task.ts, or a .scheduler.yaml, and it appears here.'));
    return;
  }
  if (!v.tasks.length) {
    fill(container, el('p', { class: 'empty' }, 'No task matches the filters.'));
    return;
  }
  const headings = [...(v.multiRoot ? ['Folder'] : []), 'Task', 'Schedule', 'Next run', 'Last result', 'Retries', 'State', 'Actions'];
  const cols = [...(v.multiRoot ? ['folder'] : []), 'task', 'schedule', 'next', 'last', 'retries', 'state', 'actions'];
  fill(container, el('table', { class: 'tasks' },
    el('colgroup', {}, ...cols.map((c) => el('col', { class: `col-${c}` }))),
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...v.tasks.map((t) => row(t, v)))));
}

function row(t: TaskRow, v: View): HTMLElement {
  const tr = el('tr', { 'data-state': t.state });
  // The row's name for tests and assistive tech, never parsed: an attribute value is only text.
  tr.dataset.task = t.id;
  if (v.multiRoot) tr.appendChild(el('td', { class: 'folder' }, el('span', { class: 'folder-name', title: t.folder }, v.folderName(t.folder))));
  tr.append(
    el('td', { class: 'task' },
      el('span', { class: 'name', title: t.name }, t.name),
      el('span', { class: 'id', title: t.id }, t.id),
      t.tags.length > 0 && el('span', { class: 'tags' }, ...t.tags.map((tag) => el('span', { class: 'tag' }, tag))),
      t.description !== undefined && el('span', { class: 'description', title: t.description }, t.description)),
    el('td', { class: 'schedule', title: t.scheduleSource ?? t.schedule }, t.schedule),
    el('td', { class: 'next' }, ...nextRun(t, v.now)),
    el('td', { class: 'last' }, ...lastResult(t, v.now)),
    el('td', { class: 'retries', title: `${t.consecutiveFailures} failure(s) in a row` }, String(t.retryCount)),
    el('td', { class: 'state' }, el('span', { class: `state-label state-${t.state}`, title: t.stateReason ?? TASK_STATE[t.state].label },
      icon(TASK_STATE[t.state].icon, t.state === 'running' ? 'codicon-modifier-spin' : ''), ` ${TASK_STATE[t.state].label}`),
    t.stateReason !== undefined && el('span', { class: 'reason' }, t.stateReason)),
    el('td', { class: 'actions' }, ...actions(t, v)),
  );
  return tr;
}

function nextRun(t: TaskRow, now: number): Array<HTMLElement | string> {
  const out: Array<HTMLElement | string> = [];
  if (t.nextRun !== undefined) out.push(el('span', { title: clock(t.nextRun) }, relativeTime(t.nextRun, now)));
  if (t.nextRetryAt !== undefined) out.push(el('span', { class: 'retry', title: clock(t.nextRetryAt) }, `retry ${relativeTime(t.nextRetryAt, now)}`));
  if (!out.length) out.push(el('span', { class: 'none' }, '—'));
  return out;
}

function lastResult(t: TaskRow, now: number): Array<HTMLElement | string> {
  const r = t.lastRun;
  if (!r) return [el('span', { class: 'none' }, t.running ? 'first run in progress' : 'never run')];
  const s = RUN_STATUS[r.status];
  const parts = [s.label];
  if (r.endedAt !== undefined) parts.push(relativeTime(r.endedAt, now));
  if (r.durationMs !== undefined) parts.push(duration(r.durationMs));
  const out: Array<HTMLElement | string> = [el('span', { class: `status status-${r.status}`, title: r.endedAt === undefined ? s.label : clock(r.endedAt) },
    icon(s.icon), ` ${parts.join(' · ')}`)];
  if (r.member) out.push(el('span', { class: 'member', title: `ran on ${r.member}` }, `on ${r.member}`));
  return out;
}

function actions(t: TaskRow, v: View): HTMLElement[] {
  const pauseOrResume: TaskAction = t.state === 'paused' ? 'resume' : 'pause';
  const buttons = (['runNow', pauseOrResume, 'cancel', 'resetRetries'] as const).map((a) => {
    const b = el('button', { type: 'button', class: 'icon-button', title: ACTION[a].label, 'aria-label': ACTION[a].label }, icon(ACTION[a].icon));
    b.dataset.key = `${taskKey(t)}\n${a}`;
    if (!t.actions[a]) b.disabled = true;
    else b.addEventListener('click', () => v.act(a, t));
    return b;
  });
  const open = el('button', { type: 'button', class: 'icon-button', title: 'Open Task File', 'aria-label': 'Open Task File' }, icon('go-to-file'));
  open.dataset.key = `${taskKey(t)}\nopen`;
  open.addEventListener('click', () => v.open(t));
  return [...buttons, open];
}
