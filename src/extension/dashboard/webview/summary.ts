// The top of the page: a banner per folder that this window only views (or cannot read), and the health
// figures of the last 24 h.
import { duration, percent } from '../format';
import type { ClusterData } from '../protocol';
import { el, fill, icon } from './dom';
import type { View } from './view';

export function renderBanners(container: HTMLElement, v: View): void {
  const banners: HTMLElement[] = [];
  for (const f of v.data.folders) {
    const where = v.multiRoot ? `${f.name}: ` : '';
    if (f.cluster) {
      banners.push(clusterBanner(f.key, `${where}${clusterWords(f.cluster)}`, f.cluster, v));
      if (f.problem && f.problem !== f.cluster.problem && f.cluster.status === 'up') {
        banners.push(el('div', { class: 'banner problem', role: 'alert' }, icon('warning'), el('span', { class: 'text' }, `${where}${f.problem}`)));
      }
      continue;
    }
    if (f.role === 'viewer') {
      const button = el('button', { type: 'button', class: 'primary' }, 'Take Over');
      button.addEventListener('click', () => v.takeOver(f.key));
      banners.push(el('div', { class: 'banner viewer', role: 'note' }, icon('eye'),
        el('span', { class: 'text' }, `${where}Executed by ${f.holder ?? 'another process'} — read-only`), button));
    }
    if (f.problem) {
      banners.push(el('div', { class: 'banner problem', role: 'alert' }, icon('warning'), el('span', { class: 'text' }, `${where}${f.problem}`)));
    }
  }
  fill(container, ...banners);
}

function clusterWords(c: ClusterData): string {
  const on = `Cluster "${c.name}"${c.database ? ` on ${c.database}` : ''}`;
  if (c.status !== 'up') return `${on}: ${c.status === 'connecting' ? 'connecting…' : c.problem ?? 'not connected'}`;
  const live = c.members.filter((m) => m.state !== 'gone' && !m.self).length;
  const part = c.joined ? (c.memberRole === 'executor' ? 'this window is a member and runs tasks too' : 'this window joined and stands by (its task files differ)')
    : 'this window watches; actions go to the cluster';
  return `${on}: ${live} member${live === 1 ? '' : 's'}; ${part}${c.problem ? `. ${c.problem}` : ''}`;
}

function clusterBanner(folder: string, text: string, c: ClusterData, v: View): HTMLElement {
  const problem = c.status !== 'up';
  const button = !problem && el('button', { type: 'button', class: c.joined ? 'secondary' : 'primary' }, c.joined ? 'Leave Cluster' : 'Join Cluster');
  if (button) button.addEventListener('click', () => v.cluster(folder, c.joined ? 'leave' : 'join'));
  return el('div', { class: `banner cluster${problem ? ' problem' : ''}`, role: problem ? 'alert' : 'note' },
    icon(problem ? 'debug-disconnect' : 'server-environment'), el('span', { class: 'text' }, text), button);
}

export function renderHealth(container: HTMLElement, v: View): void {
  const h = v.data.health;
  const hours = Math.round(h.windowMs / 3_600_000);
  const rate = h.successRate === undefined ? '—' : percent(h.successRate);
  const rateNote = h.finished ? `${h.succeeded} of ${h.finished} ${h.finished === 1 ? 'run' : 'runs'}` : 'no finished runs';
  fill(container,
    card('success', `Success rate (${hours} h)`, rate, rateNote, h.successRate !== undefined && h.successRate < 1 ? 'warn' : ''),
    card('running', 'Running', String(h.running), h.running === 1 ? 'run' : 'runs'),
    card('queued', 'Queued', String(h.queued), h.queued === 1 ? 'run waiting' : 'runs waiting'),
    card('duration', 'Average duration', h.averageDurationMs === undefined ? '—' : duration(h.averageDurationMs), `of runs in ${hours} h`),
  );
}

function card(name: string, title: string, value: string, note: string, tone = ''): HTMLElement {
  return el('div', { class: `card ${name}${tone ? ` ${tone}` : ''}`, 'data-figure': name },
    el('div', { class: 'card-title' }, title),
    el('div', { class: 'card-value' }, value),
    el('div', { class: 'card-note' }, note));
}
