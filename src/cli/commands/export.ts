// `task-scheduler export systemd|crontab|kubernetes`: the translation is src/core/export; this reads the
// workspace, writes the files (or prints them), and says per task what was exported, skipped or refused.
import * as fs from 'fs';
import * as path from 'path';
import type { Command, Io } from '../table';
import { flag, has, type Args } from '../args';
import { planFor, workspaceOf } from '../workspace';
import { EXPORT_TARGETS, exportTasks, type ExportResult, type ExportTarget, type TaskReport } from '../../core/export';
import { machineZone } from '../../core/schedule/zone';

export const exportCommand: Command = {
  usage: 'export systemd|crontab|kubernetes [--task ID]… [--out DIR] [--image IMG] [--namespace NS] [--container-workspace DIR] [--json]',
  summary: 'Write systemd timers, crontab lines or Kubernetes CronJobs that run the tasks with run-now',
  async run(args: Args, io) {
    const target = args.positionals[0] as ExportTarget;
    if (!EXPORT_TARGETS.includes(target)) {
      io.err(`export: name a target: ${EXPORT_TARGETS.join(', ')}${target ? ` (not "${target}")` : ''}\n`);
      return 2;
    }
    const folder = workspaceOf(args);
    const plan = await planFor(folder);
    const only = args.flags.get('task') ?? [];
    let result: ExportResult;
    try {
      result = exportTasks(target, {
        folder,
        tasks: plan.tasks,
        only: only.filter((id) => !plan.invalid.some((t) => t.id === id)),
        // Timers and crontab lines run this very CLI with this Node; a container has it on its PATH.
        command: target === 'kubernetes' ? ['task-scheduler'] : [process.execPath, __filename],
        machineZone: machineZone(),
        maxRunsPerTask: plan.config.history.maxRunsPerTask,
        concurrency: plan.config.concurrency,
        image: flag(args, 'image'),
        namespace: flag(args, 'namespace'),
        containerWorkspace: flag(args, 'container-workspace'),
      });
    } catch (e) {
      io.err(`${(e as Error).message}\n`);
      return 2;
    }
    const invalid: TaskReport[] = plan.invalid.filter((t) => !only.length || only.includes(t.id))
      .map((t) => ({ id: t.id, status: 'refused', outputs: [], reasons: [`invalid: ${t.reason}`] }));
    const reports = [...result.tasks, ...invalid];
    const out = flag(args, 'out');
    if (out) writeFiles(path.resolve(out), result);
    if (has(args, 'json')) {
      io.out(`${JSON.stringify({ target, workspace: folder, tasks: reports, files: result.files.map((f) => f.name), hint: result.hint }, null, 2)}\n`);
    } else {
      // Without --out the files go to stdout (`export crontab | …`), so the report goes to stderr.
      if (!out) io.out(printable(target, result));
      const say = out ? io.out : io.err;
      say(report(reports));
      if (result.hint) say(`\n${out ? `Written to ${out}. ` : ''}To install:\n${result.hint.replace(/<dir>/g, out ?? 'DIR').replace(/^/gm, '  ')}\n`);
    }
    const exported = reports.filter((r) => r.status === 'exported').length;
    return reports.some((r) => r.status === 'refused') || !exported ? 1 : 0;
  },
};

function writeFiles(dir: string, result: ExportResult): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of result.files) fs.writeFileSync(path.join(dir, f.name), f.text);
}

function printable(target: ExportTarget, result: ExportResult): string {
  if (target === 'crontab') return result.files.map((f) => f.text).join('');
  if (target === 'kubernetes') return result.files.map((f) => f.text).join('---\n');
  return result.files.map((f) => `# ==> ${f.name} <==\n${f.text}`).join('\n');
}

function report(reports: TaskReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.status === 'exported') {
      const lineCount = r.outputs.some((o) => o.includes(' ')) ? `${r.outputs.length} crontab line${r.outputs.length > 1 ? 's' : ''}` : undefined;
      lines.push(`exported  ${r.id} → ${lineCount ?? r.outputs.join(', ')}`);
      for (const n of r.reasons) lines.push(`          note: ${n}`);
    } else {
      lines.push(`${r.status.padEnd(9)} ${r.id}: ${r.reasons.join('; ')}`);
    }
  }
  const count = (s: TaskReport['status']) => reports.filter((r) => r.status === s).length;
  lines.push(`${count('exported')} exported, ${count('skipped')} skipped, ${count('refused')} refused`);
  return `${lines.join('\n')}\n`;
}

