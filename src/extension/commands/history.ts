// Commands over the run history: Show Run Output (a run, a task's newest run, or picked) and Clear
// History (finished runs only; asks first).
import * as vscode from 'vscode';
import { formatDuration, plainText, relativeTime, STATUS_GLYPHS } from '../format';
import { resolveFolder, resolveTask, serviceOf, settled, type CommandDeps, type TaskArg } from './deps';

/** Runs offered when picking one of a task's runs. */
const RUNS_PICKED = 20;

type RunArg = { runId: string; folder: string; taskId?: string };

/** Opens a run's output and result. Argument: `{ runId, folder }`, a task (its newest run or a pick), or nothing. */
export async function showRunOutput(deps: CommandDeps, arg?: RunArg | TaskArg): Promise<vscode.Uri | undefined> {
  await settled(deps);
  if (arg && typeof arg === 'object' && 'runId' in arg) {
    const service = deps.workspaces.get(arg.folder);
    if (!service) throw new Error(`the folder ${arg.folder} is not open`);
    const run = await service.queries().getRun(arg.runId);
    if (!run) throw new Error(`run ${arg.runId} is not in the history`);
    return (await deps.runDocuments.open(arg.folder, run)).document.uri;
  }
  const entry = await resolveTask(deps, arg as TaskArg, 'Show Run Output', (e) => !!e.view.lastRun || e.view.running.length > 0);
  if (!entry) return undefined;
  const runs = await serviceOf(deps, entry).queries().runs({ taskId: entry.view.id, limit: RUNS_PICKED });
  if (!runs.length) {
    void vscode.window.showInformationMessage(`Task Scheduler: "${entry.view.name}" has not run yet.`);
    return undefined;
  }
  let run = runs[0];
  if (arg === undefined && runs.length > 1) {
    const now = Date.now();
    const picked = await vscode.window.showQuickPick(runs.map((r) => ({
      label: `${STATUS_GLYPHS[r.status]} ${r.status}`,
      description: [relativeTime(r.endedAt ?? r.startedAt ?? r.queuedAt, now), r.startedAt !== undefined && r.endedAt !== undefined && formatDuration(r.endedAt - r.startedAt), r.trigger].filter(Boolean).join(' · '),
      detail: r.error === undefined ? undefined : plainText(r.error.split('\n')[0]),
      run: r,
    })), { title: `Task Scheduler: runs of ${plainText(entry.view.name)}`, placeHolder: 'Pick a run' });
    if (!picked) return undefined;
    run = picked.run;
  }
  return (await deps.runDocuments.open(entry.folder, run)).document.uri;
}

/** Deletes every finished run of a folder (or all folders) after asking; `{ confirm: false }` skips the question. Returns how many. */
export async function clearHistory(deps: CommandDeps, options: { folder?: string; confirm?: boolean } = {}): Promise<number | undefined> {
  await settled(deps);
  const services = options.folder ? [deps.workspaces.get(options.folder)] : deps.workspaces.list();
  if (!services.length || services.some((s) => !s)) {
    if (options.folder) await resolveFolder(options.folder, ''); // throws for a folder that is not open
    void vscode.window.showInformationMessage('Task Scheduler: there is no history in this workspace yet.');
    return undefined;
  }
  if (options.confirm !== false) {
    const answer = await vscode.window.showWarningMessage(
      'Delete every finished run from the Task Scheduler history? Running runs, pauses and retry counts stay.',
      { modal: true }, 'Clear History');
    if (answer !== 'Clear History') return undefined;
  }
  let deleted = 0;
  for (const service of services) {
    const result = await service!.act({ action: 'cleanup', olderThanDays: 0 }) as { deleted: number } | undefined;
    deleted += result?.deleted ?? 0;
  }
  deps.log.info(`history cleared: ${deleted} run(s) deleted`);
  await deps.store.refresh();
  return deleted;
}
