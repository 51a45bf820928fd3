// What the Tasks view's message and the status bar say about a cluster folder: where it is, who is in it,
// whether this window is a member, and — when something is wrong — what and what to do, with the next
// reconnection attempt. Plain text from ClusterInfo; no `vscode` import (unit-tested).
import type { ClusterInfo } from '../core/cluster/window';
import { shortSpan } from './format';

/** Members named in a message at most; the dashboard's Members panel lists them all. */
const NAMED_MEMBERS = 3;

function memberNames(info: ClusterInfo): string {
  const live = info.members.filter((m) => m.state !== 'gone' && m.id !== info.memberId);
  const named = live.slice(0, NAMED_MEMBERS).map((m) => `${m.host} (pid ${m.pid})`);
  return `${named.join(', ')}${live.length > NAMED_MEMBERS ? ` and ${live.length - NAMED_MEMBERS} more` : ''}`;
}

/** The Tasks view's message for one cluster folder (`prefix`: "folder: " in a multi-root window). */
export function clusterMessage(info: ClusterInfo, prefix = ''): string {
  const where = `Cluster "${info.cluster}"${info.database ? ` on ${info.database}` : ''}`;
  switch (info.status) {
    case 'connecting': return `${prefix}${where}: connecting…`;
    case 'failed': return `${prefix}${where}: ${info.problem ?? 'cannot connect'}.`;
    case 'down': return `${prefix}${where}: ${info.problem ?? 'unreachable'}.`;
    case 'up': break;
  }
  const others = info.members.filter((m) => m.state !== 'gone' && m.id !== info.memberId);
  const parts: string[] = [];
  if (info.joined) {
    parts.push(info.memberRole === 'executor'
      ? `${where}: this window is a member and runs tasks${others.length ? `, with ${memberNames(info)}` : ''}.`
      : `${where}: this window joined but stands by: its task files differ from those the cluster runs${info.differing.length ? ` (${info.differing.join(', ')})` : ''}.`);
  } else {
    parts.push(others.length
      ? `${where}: run by ${others.length} member${others.length === 1 ? '' : 's'} — ${memberNames(info)}. This window watches; your actions go to the cluster. "Join Cluster" runs tasks here too.`
      : `${where}: no member is running.`);
    if (info.differing.length && others.length) parts.push(`Your task files differ from those the cluster runs: ${info.differing.join(', ')}.`);
  }
  if (info.problem) parts.push(info.problem.endsWith('.') ? info.problem : `${info.problem}.`);
  return `${prefix}${parts.join(' ')}`;
}

/** The status bar's part for the clusters: nothing when all is well, else what is wrong and when it retries. */
export function clusterStatusText(infos: readonly ClusterInfo[], now: number): string | undefined {
  const down = infos.filter((i) => i.status === 'down' || i.status === 'failed');
  if (!down.length) {
    const joined = infos.filter((i) => i.joined);
    return joined.length ? `$(server-process) ${joined.map((i) => i.cluster).join(', ')}` : undefined;
  }
  const first = down[0];
  const retry = first.status === 'down' && first.retryAt !== undefined ? ` retry in ${shortSpan(first.retryAt, now)}` : '';
  return `$(debug-disconnect) ${first.cluster}${first.status === 'failed' ? ' failed' : ''}${retry}${down.length > 1 ? ` +${down.length - 1}` : ''}`;
}

/** Lines for the status bar's tooltip: each cluster, its members and this window's part. */
export function clusterTooltipLines(infos: readonly ClusterInfo[], now: number): string[] {
  return infos.map((i) => {
    if (i.status !== 'up') {
      const retry = i.status === 'down' && i.retryAt !== undefined ? ` Next attempt in ${shortSpan(i.retryAt, now)}.` : '';
      return `Cluster "${i.cluster}": ${i.problem ?? i.status}.${retry}`;
    }
    const members = i.members.filter((m) => m.state !== 'gone').length;
    const part = i.joined ? (i.memberRole === 'executor' ? 'this window is a member' : 'this window stands by') : 'this window watches';
    return `Cluster "${i.cluster}" on ${i.database ?? '?'}: ${members} member${members === 1 ? '' : 's'}; ${part}.`;
  });
}
