// Tasks for the export tests, made the way a workspace makes them: `.scheduler.yaml` jobs read by the
// config loader, schedules parsed by core/schedule.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jobSpecs, loadConfig } from '../../../src/core/config';
import type { ExportInput, ExportTask } from '../../../src/core/export';
import { parseSchedules } from '../../../src/core/schedule';

export function tasksFromYaml(yamlText: string, folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-export-'))): { folder: string; tasks: ExportTask[] } {
  const file = path.join(folder, '.scheduler.yaml');
  fs.writeFileSync(file, yamlText);
  const loaded = loadConfig(file, yamlText);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.message).join('\n'));
  const tasks = jobSpecs(loaded.config, file, folder).map((spec) => {
    const { schedule, errors: bad } = parseSchedules(spec.schedule, { timezone: spec.timezone });
    if (bad.length) throw new Error(`${spec.id}: ${bad[0].message}`);
    return { spec, schedule: schedule?.kind === 'manual' ? undefined : schedule };
  });
  return { folder, tasks };
}

/** One command job per schedule, ids job-0, job-1, … */
export function jobsYaml(entries: Array<{ schedule: string | string[]; timezone?: string; extra?: string }>): string {
  return `jobs:\n${entries.map((e, i) => `  job-${i}:\n    command: "echo ${i}"\n    schedule: ${JSON.stringify(e.schedule)}\n${e.timezone ? `    timezone: ${e.timezone}\n` : ''}${e.extra ?? ''}`).join('')}`;
}

export function exportInput(folder: string, tasks: ExportTask[], extra: Partial<ExportInput> = {}): ExportInput {
  return {
    folder, tasks, only: [], command: [process.execPath, path.join(__dirname, '../../../dist/cli.js')],
    machineZone: 'UTC', maxRunsPerTask: 500, concurrency: 2, image: 'registry.example/tasks:1', namespace: 'ops', ...extra,
  };
}
