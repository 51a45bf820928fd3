// The Members panel: for each cluster folder, one row per member — host, pid, version, since when, runs
// now, last heartbeat, whether its task definitions are the cluster's — and the members that left or
// died, as gone. Shown only when a folder of the window names a store.
import { duration, relativeTime } from '../format';
import type { ClusterData, MemberData } from '../protocol';
import { el, fill, icon } from './dom';
import { clock } from './labels';
import type { View } from './view';

const STATE: Record<MemberData['state'], { label: string; icon: string }> = {
  active: { label: 'Active', icon: 'pass' },
  'standing-by': { label: 'Standing by', icon: 'debug-pause' },
  late: { label: 'Not responding', icon: 'warning' },
  gone: { label: 'Gone', icon: 'circle-slash' },
};

export function renderMembers(section: HTMLElement, container: HTMLElement, v: View): void {
  const clusters = v.data.folders.filter((f) => f.cluster).map((f) => ({ folder: f, cluster: f.cluster! }));
  section.hidden = clusters.length === 0;
  if (!clusters.length) return fill(container);
  fill(container, ...clusters.map(({ folder, cluster }) => el('div', { class: 'cluster' },
    el('h3', { title: cluster.database ?? '' }, `${v.multiRoot ? `${folder.name} · ` : ''}Cluster "${cluster.name}"${cluster.database ? ` on ${cluster.database}` : ''}`),
    table(cluster, v.now))));
}

function table(c: ClusterData, now: number): HTMLElement {
  if (!c.members.length) {
    return el('p', { class: 'empty' }, c.status === 'up' ? 'No member is running: start `task-scheduler run` on a server, or Join Cluster here.' : 'Not connected.');
  }
  const headings = ['Host', 'PID', 'Version', 'Since', 'Runs now', 'Last heartbeat', 'Definitions', 'State'];
  return el('table', { class: 'members' },
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...c.members.map((m) => row(m, now))));
}

function row(m: MemberData, now: number): HTMLElement {
  const tr = el('tr', { class: `member state-${m.state}` });
  // For tests and assistive tech: which member a row is (an attribute is only text).
  tr.dataset.pid = String(m.pid);
  tr.dataset.state = m.state;
  const s = STATE[m.state];
  const gone = m.state === 'gone';
  tr.append(
    el('td', { class: 'host', title: m.label }, m.host, m.self ? el('span', { class: 'self' }, ' (this window)') : ''),
    el('td', { class: 'pid' }, String(m.pid)),
    el('td', { class: 'version' }, m.version),
    el('td', { class: 'since', title: `${clock(m.since)} (up ${duration(Math.max(0, now - m.since))})` }, relativeTime(m.since, now)),
    el('td', { class: 'running' }, gone ? '—' : String(m.running)),
    el('td', { class: 'heartbeat', title: clock(m.heartbeatAt) }, relativeTime(m.heartbeatAt, now)),
    el('td', { class: `definitions ${m.definitionsMatch ? 'match' : 'differ'}`, title: m.standby ?? `hash ${m.definitions}` },
      icon(m.definitionsMatch ? 'check' : 'diff'), m.definitionsMatch ? ' matching' : ' differ'),
    el('td', { class: 'state', title: m.standby ?? (gone && m.goneAt !== undefined ? `gone since ${clock(m.goneAt)}` : s.label) },
      icon(s.icon), ` ${s.label}${gone && m.goneAt !== undefined ? ` ${relativeTime(m.goneAt, now)}` : ''}`),
  );
  return tr;
}
