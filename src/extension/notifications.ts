// A notification when a run fails for good (failed or timed out, and no retry is coming), with Show
// Output / Retry / Open Task. Off with the setting `taskScheduler.notifications.onFailure`, or with
// `notifications: { onFailure: false }` in the folder's .scheduler.yaml.
import * as vscode from 'vscode';
import type { RunRecord } from '../core/ports';
import { firstLine, plainText } from './format';
import { CommandId, SETTINGS } from './ids';
import { whoRan } from './who';
import type { Workspaces } from './workspaces';

const FAILURES = new Set(['failed', 'timed-out']);

export function registerNotifications(workspaces: Workspaces): vscode.Disposable[] {
  /** Runs whose failure scheduled a retry: not final. */
  const retried = new Set<string>();
  const subscription = workspaces.onEvent(({ folder, event }) => {
    if (event.type === 'retry-scheduled' && event.job.previousRunId) retried.add(event.job.previousRunId);
    if (event.type !== 'run-finished' || !FAILURES.has(event.run.status)) return;
    const run = event.run;
    // The engine decides on a retry right after it reports the run: look once that has happened.
    setTimeout(() => {
      const wasRetried = retried.delete(run.id);
      if (wasRetried || !enabled(workspaces, folder)) return;
      void notify(workspaces, folder, run);
    }, 0);
  });
  return [subscription];
}

function enabled(workspaces: Workspaces, folder: string): boolean {
  const setting = vscode.workspace.getConfiguration().get<boolean>(SETTINGS.notifyOnFailure.key, SETTINGS.notifyOnFailure.default);
  const config = workspaces.get(folder)?.plan?.config.notifications.onFailure ?? true;
  return setting && config;
}

async function notify(workspaces: Workspaces, folder: string, run: RunRecord): Promise<void> {
  const name = workspaces.get(folder)?.plan?.tasks.find((t) => t.spec.id === run.taskId)?.spec.name ?? run.taskId;
  const what = run.status === 'timed-out' ? 'timed out' : 'failed';
  // A cluster's run failed on a server: say which.
  const who = workspaces.get(folder)?.kind === 'cluster' ? whoRan(run.executor) : undefined;
  const answer = await vscode.window.showWarningMessage(
    plainText(`Task Scheduler: "${name}" ${what}${who ? ` on ${who}` : ''}${run.error ? `: ${firstLine(run.error, 300)}` : ''}`), 'Show Output', 'Retry', 'Open Task');
  const target = { taskId: run.taskId, folder };
  if (answer === 'Show Output') await vscode.commands.executeCommand(CommandId.ShowRunOutput, { runId: run.id, folder, taskId: run.taskId });
  if (answer === 'Retry') await vscode.commands.executeCommand(CommandId.RunNow, target);
  if (answer === 'Open Task') await vscode.commands.executeCommand(CommandId.OpenTaskFile, target);
}
