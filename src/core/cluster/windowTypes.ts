// The shapes around a window onto a cluster (window.ts): what it is given, and what the views read of
// the cluster besides its tasks.
import type { Clock } from '../clock';
import type { LogLevel } from '../engine';
import type { Executor } from '../ports';
import type { Role } from '../service/workspaceService';
import type { EsbuildApi } from '../tasks/compile';
import type { Runtime } from '../workspace/runtime';
import type { Connections } from './connection';
import type { CredentialSources, CredentialsNeed } from './credentials';
import type { ClusterHost } from './host';
import type { ClusterTimings } from './timings';
import type { MemberView } from './watch';

export type ClusterStatus = 'connecting' | 'up' | 'down' | 'failed';

/** What the views show about a cluster folder besides its tasks. */
export interface ClusterInfo {
  cluster: string;
  /** user@host:port/database (never a password). */
  database?: string;
  status: ClusterStatus;
  /** What is wrong and what to do, when not up (or up with something to say: no member yet). */
  problem?: string;
  /** What the person can supply to fix it. */
  need?: CredentialsNeed | { kind: 'password'; database: string };
  /** Next reconnection attempt (epoch ms), while down. */
  retryAt?: number;
  members: MemberView[];
  pausedAll: boolean;
  /** This window is a member (joined), and its member's role: executor = active; viewer = standing by. */
  joined: boolean;
  memberRole?: Role;
  memberId?: string;
  /** Tasks whose definitions in this window's files differ from those the cluster runs. */
  differing: string[];
}

export interface ClusterWindowOptions {
  /** The engine and what it needs, from the caller (host.ts); clusterChunk.ts fills it in. */
  host: ClusterHost;
  folder: string;
  /** The window's own data folder for this folder (the local journal, when it joins). */
  dataDir: string;
  runtime: Runtime;
  cacheDir?: string;
  esbuild?: EsbuildApi;
  /** For the kinds the process executor does not run, when this window joins. */
  executors?: Executor[];
  secrets?: (taskId: string) => Record<string, string>;
  log?: (level: LogLevel, message: string) => void;
  /** For people, in the members list: "VS Code window (pid 123) on laptop". */
  ownerLabel: string;
  version: string;
  connections: Connections;
  credentials: CredentialSources;
  /** The members' timings: late heartbeats, and this window's own when it joins. */
  timings?: ClusterTimings;
  /** Read the cluster on a timer instead of on NOTIFY (watch.ts `pollMs`). */
  pollMs?: number;
  clock?: Clock;
}
