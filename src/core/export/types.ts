// What `task-scheduler export` gets and gives: the workspace's planned tasks in, files and a report per
// task out. Pure data: the CLI reads the workspace and writes the files.
import type { TaskSpec } from '../model';
import type { Schedule } from '../schedule';

export const EXPORT_TARGETS = ['systemd', 'crontab', 'kubernetes'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportTask {
  spec: TaskSpec;
  /** Undefined for a manual task. */
  schedule?: Schedule;
}

export interface ExportInput {
  /** The workspace folder, as the generated files name it. */
  folder: string;
  /** Every planned task of the workspace (dependents are found among them). */
  tasks: ExportTask[];
  /** Only these task ids (`--task`); empty = all. */
  only: string[];
  /** argv that starts the CLI on the target machine, e.g. ["/usr/bin/node", "/opt/ts/dist/cli.js"]. */
  command: string[];
  /** The zone of tasks that name none: the exporting machine's. */
  machineZone: string;
  /** `history.maxRunsPerTask` and `concurrency` of the folder's config. */
  maxRunsPerTask: number;
  concurrency: number;
  /** Kubernetes only. */
  image?: string;
  namespace?: string;
  /** Where the workspace is inside the container (Kubernetes). */
  containerWorkspace?: string;
}

export interface TaskReport {
  id: string;
  /** exported (with its notes), skipped (nothing to schedule, with why) or refused (cannot be expressed, with why). */
  status: 'exported' | 'skipped' | 'refused';
  /** Units, crontab lines or CronJobs written for it. */
  outputs: string[];
  /** Why it was skipped or refused; for an exported task, what the target does differently. */
  reasons: string[];
}

export interface ExportFile {
  name: string;
  text: string;
}

export interface ExportResult {
  files: ExportFile[];
  tasks: TaskReport[];
  /** What to run next (install the units, load the crontab, kubectl apply). */
  hint: string;
}

/** A target's translation of one task: what it writes, or why it cannot. */
export type Translation =
  | { ok: true; files: ExportFile[]; outputs: string[]; notes: string[] }
  | { ok: false; reasons: string[] };
