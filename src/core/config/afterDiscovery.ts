// Checks of `.scheduler.yaml` that need every task id, so they run once task files are discovered.

import type { Diagnostic, TaskSpec } from '../model';
import type { DependencyLocator } from './dependencies';
import { didYouMean } from './didYouMean';
import { ownValue } from './report';
import type { LoadedConfig } from './types';

/** An override for an id no task has does nothing; say so, with the nearest id. */
export function checkOverrideTargets(loaded: LoadedConfig, taskIds: readonly string[]): Diagnostic[] {
  const known = new Set(taskIds);
  const out: Diagnostic[] = [];
  if (!loaded.file) return out;
  for (const id of Object.keys(loaded.config.overrides)) {
    if (known.has(id)) continue;
    const where = ownValue(loaded.locations.overrides, id) ?? { line: 1, column: 1 };
    const near = didYouMean(id, taskIds);
    const hint = near ? `did you mean \`${near}\`?` : 'a task file\'s id is its path without .task.ts, like `scripts/nightly-backup`';
    out.push({
      file: loaded.file, ...where, severity: 'warning', code: 'config.unknown-task',
      message: `override for \`${id}\`, but no task has that id: ${hint}`,
    });
  }
  return out;
}

/**
 * A DependencyLocator that points into `.scheduler.yaml` where the file sets a task's `dependsOn`
 * (a job's, or an override's, which wins), and asks `fallback` (the task file's positions) otherwise.
 */
export function configDependencyLocator(loaded: LoadedConfig, fallback: DependencyLocator): DependencyLocator {
  return (taskId, depIndex, spec) => {
    const file = loaded.file;
    if (file && depIndex >= 0) {
      const entries = ownValue(loaded.locations.dependsOn, taskId);
      const where = entries?.[Math.min(depIndex, entries.length - 1)];
      if (where) return { file, ...where };
    }
    if (file && depIndex < 0 && spec.file === file) {
      const where = ownValue(loaded.locations.jobs, taskId);
      if (where) return { file, ...where };
    }
    return fallback(taskId, depIndex, spec);
  };
}
