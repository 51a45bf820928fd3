// The tag and state filters. Their values live in the page state (main.ts), so they survive the panel
// being hidden and VS Code reloading; the host keeps a copy for when the page state is lost.
import { TASK_STATES } from '../../../core/model';
import type { DashboardData, DashboardFilters } from '../protocol';
import { el, fill, icon } from './dom';
import { TASK_STATE } from './labels';

export type Filters = DashboardFilters;

export function renderFilters(container: HTMLElement, data: DashboardData, filters: Filters, onChange: (f: Filters) => void): void {
  // A chosen value that no task has any more stays listed, so the choice is visible and can be undone.
  const tags = [...new Set([...data.tags, ...(filters.tag ? [filters.tag] : [])])];
  const states = TASK_STATES.filter((s) => s === filters.state || data.tasks.some((t) => t.state === s));
  const tag = select('filter-tag', 'All tags', tags.map((t) => [t, t]), filters.tag);
  const state = select('filter-state', 'All states', states.map((s) => [s, TASK_STATE[s].label]), filters.state);
  tag.addEventListener('change', () => onChange({ ...filters, tag: tag.value }));
  state.addEventListener('change', () => onChange({ ...filters, state: state.value }));
  fill(container, icon('filter'),
    el('label', { for: 'filter-tag' }, 'Tag'), tag,
    el('label', { for: 'filter-state' }, 'State'), state);
}

function select(id: string, all: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const s = el('select', { id }, el('option', { value: '' }, all), ...options.map(([v, label]) => el('option', { value: v }, label)));
  s.value = value;
  return s;
}
