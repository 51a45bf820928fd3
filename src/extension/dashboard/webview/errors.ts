// The last errors of each task the filters let through: when, how it ended, which attempt, and the
// message as preformatted text (a stack keeps its lines; a long line wraps instead of widening the page).
import { relativeTime } from '../format';
import { el, fill, icon } from './dom';
import { clock, RUN_STATUS } from './labels';
import type { View } from './view';

export function renderErrors(container: HTMLElement, v: View): void {
  const withErrors = v.tasks.filter((t) => t.errors.length);
  if (!withErrors.length) {
    fill(container, el('p', { class: 'empty' }, 'No errors in the recent runs.'));
    return;
  }
  fill(container, ...withErrors.map((t) => el('div', { class: 'task-errors' },
    el('h3', { title: t.name }, v.multiRoot ? `${v.folderName(t.folder)} · ${t.name}` : t.name),
    el('ol', {}, ...t.errors.map((e) => el('li', { class: `error status-${e.status}` },
      el('div', { class: 'error-head' }, icon(RUN_STATUS[e.status].icon),
        ` ${RUN_STATUS[e.status].label} · attempt ${e.attempt} · `, el('span', { title: clock(e.at) }, relativeTime(e.at, v.now))),
      el('pre', { class: 'message' }, e.message)))))));
}
