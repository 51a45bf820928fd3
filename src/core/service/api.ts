// What the CLI drives, whichever service runs the folder: a WorkspaceService (one executor, embedded
// history) or a ClusterService (src/core/cluster, a member of a cluster on PostgreSQL).
import type { TaskView } from '../engine';
import type { History, LeaseOwner } from '../ports';
import type { WorkspacePlan } from '../workspace/plan';
import type { InboxAction } from './inbox';
import type { Role, ServiceEvent } from './workspaceService';

export interface SchedulerService {
  readonly folder: string;
  readonly role: Role;
  readonly plan: WorkspacePlan | undefined;
  readonly holder: LeaseOwner | undefined;
  onEvent(listener: (e: ServiceEvent) => void): () => void;
  start(): Promise<void>;
  reload(): Promise<void>;
  stop(): Promise<void>;
  tasks(filter?: { tag?: string }): Promise<TaskView[]>;
  queries(): Pick<History, 'runs' | 'getRun' | 'lastErrors' | 'health' | 'taskStates' | 'pending'>;
  act(action: InboxAction): Promise<unknown>;
}
