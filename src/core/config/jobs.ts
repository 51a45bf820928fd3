// The jobs of a `.scheduler.yaml` (tasks with no TypeScript) as TaskSpecs, overrides applied.

import type { TaskSpec } from '../model';
import { resolveTaskSpec } from '../options';
import { ownValue } from './report';
import type { SchedulerConfig } from './types';

/**
 * One spec per job whose kind is known. A job with none or several of command / vscodeCommand /
 * vscodeTask has an error diagnostic carrying its id and no spec: there is nothing to run.
 */
export function jobSpecs(config: SchedulerConfig, file: string, workspaceFolder: string): TaskSpec[] {
  const specs: TaskSpec[] = [];
  for (const [id, job] of Object.entries(config.jobs)) {
    if (!job.kind) continue;
    specs.push(resolveTaskSpec(id, job.kind, file, workspaceFolder, job, config.defaults, ownValue(config.overrides, id)));
  }
  return specs;
}
