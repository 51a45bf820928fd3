// Commands that act on one task: run now (with parameters), pause, resume, cancel, reset retries.
// Each goes through the folder's service (`act`), which forwards it to the executor when this window
// only views; each returns what it did, so scripts and tests can use it.
import * as vscode from 'vscode';
import { clusterOf } from '../folderService';
import { plainText } from '../format';
import { parseParams } from '../params';
import { canCancel, canPause, hasRetries, isPausedItself, type TaskEntry } from '../treeItems';
import { NO_TASKS_MESSAGE, resolveTask, serviceOf, settled, type CommandDeps, type TaskArg } from './deps';

const runnable = (e: TaskEntry) => e.view.state !== 'invalid';

async function after(deps: CommandDeps, entry: TaskEntry): Promise<void> {
  // The views (and a script's next call) see the change now, not after the debounce.
  await deps.store.refresh(entry.folder);
}

export async function runNow(deps: CommandDeps, arg?: TaskArg, params?: Record<string, unknown>): Promise<string | undefined> {
  await settled(deps);
  if (arg === undefined && !deps.store.tasks().length) {
    void vscode.window.showInformationMessage(NO_TASKS_MESSAGE);
    return undefined;
  }
  const entry = await resolveTask(deps, arg, 'Run Task Now', runnable);
  if (!entry) return undefined;
  if (!runnable(entry)) throw new Error(`"${entry.view.name}" cannot run: ${entry.view.stateReason ?? 'it is invalid'}`);
  const service = serviceOf(deps, entry);
  const cluster = clusterOf(service);
  if (cluster) {
    // The run went to whichever member took it: say which (a window's Run Now runs on a server).
    const { result, member } = await cluster.dispatch({ action: 'runNow', taskId: entry.view.id, params });
    const where = member ? `${member.host ?? member.label}${member.pid ? ` (pid ${member.pid})` : ''}` : 'the cluster';
    deps.log.info(`run now: ${entry.view.id} → run ${String(result)} on ${member?.label ?? 'the cluster'}`);
    vscode.window.setStatusBarMessage(`$(play) ${plainText(entry.view.name)} started on ${plainText(where)}`, 5_000);
    await after(deps, entry);
    return result as string;
  }
  const runId = await service.act({ action: 'runNow', taskId: entry.view.id, params }) as string;
  deps.log.info(`run now: ${entry.view.id} → run ${runId}`);
  vscode.window.setStatusBarMessage(`$(play) ${plainText(entry.view.name)} started`, 3_000);
  await after(deps, entry);
  return runId;
}

/** Asks for JSON parameters (checked as typed; an error names its line and column), then runs. `json` skips the question. */
export async function runWithParams(deps: CommandDeps, arg?: TaskArg, json?: string): Promise<string | undefined> {
  const entry = await resolveTask(deps, arg, 'Run with Parameters', runnable);
  if (!entry) return undefined;
  let text = json;
  if (text === undefined) {
    text = await vscode.window.showInputBox({
      title: `Run "${entry.view.name}" with parameters`,
      prompt: 'A JSON object; it is laid over the task\'s own `params` for this run only',
      value: '{}',
      valueSelection: [1, 1],
      validateInput: (value) => { const r = parseParams(value); return r.ok ? undefined : r.error; },
    });
    if (text === undefined) return undefined;
  }
  const parsed = parseParams(text);
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(`Task Scheduler: parameters ${parsed.error}`);
    return undefined;
  }
  return runNow(deps, { taskId: entry.view.id, folder: entry.folder }, parsed.params);
}

export async function pause(deps: CommandDeps, arg?: TaskArg): Promise<boolean> {
  const entry = await resolveTask(deps, arg, 'Pause Task', canPause);
  if (!entry) return false;
  await serviceOf(deps, entry).act({ action: 'pause', taskId: entry.view.id });
  await after(deps, entry);
  return true;
}

export async function resume(deps: CommandDeps, arg?: TaskArg): Promise<boolean> {
  const entry = await resolveTask(deps, arg, 'Resume Task', isPausedItself);
  if (!entry) return false;
  await serviceOf(deps, entry).act({ action: 'resume', taskId: entry.view.id });
  await after(deps, entry);
  return true;
}

/** Cancels a task's queued and running runs, or one run (`{ runId, folder }`). Returns how many. */
export async function cancel(deps: CommandDeps, arg?: TaskArg | { runId: string; folder: string }): Promise<number> {
  await settled(deps);
  if (arg && typeof arg === 'object' && 'runId' in arg) {
    const service = deps.workspaces.get(arg.folder);
    if (!service) throw new Error(`the folder ${arg.folder} is not open`);
    const n = await service.act({ action: 'cancel', id: arg.runId }) as number;
    await deps.store.refresh(arg.folder);
    return n;
  }
  const entry = await resolveTask(deps, arg as TaskArg, 'Cancel Run', canCancel);
  if (!entry) return 0;
  const n = await serviceOf(deps, entry).act({ action: 'cancel', id: entry.view.id }) as number;
  await after(deps, entry);
  return n;
}

export async function resetRetries(deps: CommandDeps, arg?: TaskArg): Promise<boolean> {
  const entry = await resolveTask(deps, arg, 'Reset Retries', hasRetries);
  if (!entry) return false;
  await serviceOf(deps, entry).act({ action: 'resetRetries', taskId: entry.view.id });
  await after(deps, entry);
  return true;
}
