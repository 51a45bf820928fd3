import * as fs from 'fs';
import * as path from 'path';
import type { Command } from '../table';
import type { Args } from '../args';
import { planFor, workspaceOf } from '../workspace';
import { checkDependencies, checkDuplicateIds, configDependencyLocator, jobSpecs, loadConfig } from '../../core/config';
import { formatDiagnostic, type Diagnostic } from '../../core/model';

export const validateCommand: Command = {
  usage: 'validate [FILE.yaml…]',
  summary: 'Check .scheduler.yaml, task files, schedules and dependencies; exit 1 on errors',
  async run(args: Args, io) {
    const folder = workspaceOf(args);
    const diagnostics = args.positionals.length
      ? args.positionals.flatMap((f) => validateConfigFile(path.resolve(f)))
      : (await planFor(folder)).diagnostics;
    for (const d of diagnostics) io.out(`${formatDiagnostic(d, folder)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    io.out(`${errors} error(s), ${diagnostics.length - errors} warning(s)\n`);
    return errors ? 1 : 0;
  },
};

/**
 * A config file on its own (e.g. a folder of fixtures, or a CI check of the YAML alone): its
 * dependency graph is checked among its own jobs, since no task files are discovered.
 */
function validateConfigFile(file: string): Diagnostic[] {
  const loaded = loadConfig(file, fs.readFileSync(file, 'utf8'));
  const specs = jobSpecs(loaded.config, file, path.dirname(file));
  const locate = configDependencyLocator(loaded, () => ({ file, line: 1, column: 1 }));
  return [...loaded.diagnostics, ...checkDuplicateIds(specs, locate), ...checkDependencies(specs, locate)];
}
