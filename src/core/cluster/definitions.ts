// What members compare to run the same definitions: a hash of the whole plan (tasks as the same files
// give them on any machine, and the settings that change behaviour), and one per task to say which differ.
import { createHash } from 'crypto';
import type { LoadPlan } from '../engine';
import type { ClusterHost } from './host';

export interface Definitions {
  hash: string;
  tasks: Record<string, string>;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export function definitionsOf(plan: LoadPlan, portableDefinition: ClusterHost['portableDefinition']): Definitions {
  const tasks: Record<string, string> = {};
  for (const t of plan.tasks) tasks[t.spec.id] = digest(portableDefinition(t.spec, t.schedule));
  for (const i of plan.invalid ?? []) tasks[i.id] = digest(`invalid:${i.reason}`);
  const { concurrency, retentionDays, maxRunsPerTask } = plan.settings;
  const ids = Object.keys(tasks).sort();
  const hash = digest(JSON.stringify([ids.map((id) => [id, tasks[id]]), { concurrency, retentionDays, maxRunsPerTask }]));
  return { hash, tasks };
}

/** Task ids whose definitions differ between two members (added, removed or changed), sorted. */
export function differingTasks(mine: Record<string, string>, theirs: Record<string, string>): string[] {
  const ids = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
  return [...ids].filter((id) => mine[id] !== theirs[id]).sort();
}
