// Executors for the task kinds only the editor can run (ports.ts `Executor`): `vscodeCommand` runs a
// command with its args; `vscodeTask` runs a tasks.json task by its label and waits for its process to
// end. Both honour the task's timeout and cancel, and always settle, so the engine never waits forever.
import * as vscode from 'vscode';
import type { CancelReason, Executor, RunHandle, RunOutcome, RunRequest } from '../core/ports';

type Settle = (outcome: Omit<RunOutcome, 'startedAt' | 'endedAt' | 'outputTruncated'> & { startedAt?: number }) => void;

/** One run's bookkeeping: the first settle wins; timeout and cancel settle it too. */
function runHandle(request: RunRequest, begin: (settle: Settle, onCancel: (stop: () => void) => void) => void): RunHandle {
  const startedAt = Date.now();
  let finish!: (o: RunOutcome) => void;
  const done = new Promise<RunOutcome>((resolve) => { finish = resolve; });
  let settled = false;
  let stop: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const settle: Settle = (o) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    finish({ ...o, startedAt: o.startedAt ?? startedAt, endedAt: Date.now(), outputTruncated: false });
  };
  if (request.task.timeout > 0) {
    timer = setTimeout(() => {
      stop?.();
      settle({ status: 'timed-out', output: '', error: `did not finish within ${Math.round(request.task.timeout / 1000)} s` });
    }, request.task.timeout);
  }
  try {
    begin(settle, (fn) => { stop = fn; });
  } catch (e) {
    settle({ status: 'failed', output: '', error: (e as Error).message });
  }
  return {
    cancel(reason: CancelReason) {
      stop?.();
      settle({ status: 'cancelled', output: '', error: reason === 'cancelled' ? 'cancelled' : `cancelled (${reason})` });
    },
    done,
  };
}

/** Keeps what JSON can carry; a command's result may be a class instance or hold cycles. */
function jsonSafe(value: unknown): unknown {
  if (value === undefined) return undefined;
  try { return JSON.parse(JSON.stringify(value)); } catch { return String(value); }
}

export function vscodeCommandExecutor(): Executor {
  return {
    kinds: ['vscodeCommand'],
    start(request, observer) {
      return runHandle(request, (settle) => {
        const command = request.task.vscodeCommand;
        if (!command) throw new Error('no `vscodeCommand` given');
        observer?.started?.(Date.now());
        const args = request.task.args ?? [];
        // A command cannot be stopped once called: cancel and timeout only stop waiting for it.
        Promise.resolve(vscode.commands.executeCommand(command, ...args)).then(
          (result) => settle({ status: 'succeeded', output: `executed ${command}\n`, result: jsonSafe(result) }),
          (e: unknown) => settle({ status: 'failed', output: '', error: `${command}: ${e instanceof Error ? e.message : String(e)}` }),
        );
      });
    },
    dispose: async () => undefined,
  };
}

export function vscodeTaskExecutor(): Executor {
  return {
    kinds: ['vscodeTask'],
    start(request, observer) {
      return runHandle(request, (settle, onCancel) => {
        const label = request.task.vscodeTask;
        if (!label) throw new Error('no `vscodeTask` given');
        let execution: vscode.TaskExecution | undefined;
        let cancelled = false;
        onCancel(() => { cancelled = true; execution?.terminate(); });
        const subscriptions: vscode.Disposable[] = [];
        const end = (o: Parameters<Settle>[0]) => { for (const s of subscriptions) s.dispose(); settle(o); };
        // The same object when VS Code hands it back; by name before executeTask resolved (a very quick
        // process can end first) or should the host ever wrap it anew.
        const isOurs = (e: vscode.TaskExecution) => e === execution
          || (e.task.name === label && (!execution || e.task.definition.type === execution.task.definition.type));
        // A process task reports its exit code; a task without a process (custom, compound) only its end.
        subscriptions.push(vscode.tasks.onDidEndTaskProcess((e) => {
          if (!isOurs(e.execution)) return;
          const code = e.exitCode;
          end(code === 0
            ? { status: 'succeeded', output: `task "${label}" exited with code 0\n`, exitCode: code }
            : { status: 'failed', output: '', exitCode: code ?? null, error: `task "${label}" ${code === undefined ? 'ended without an exit code' : `exited with code ${code}`}` });
        }));
        subscriptions.push(vscode.tasks.onDidEndTask((e) => {
          if (!isOurs(e.execution)) return;
          // onDidEndTaskProcess comes first for process tasks; give it a moment before calling this a success.
          setTimeout(() => end({ status: 'succeeded', output: `task "${label}" ended\n` }), 200);
        }));
        void (async () => {
          const task = await findTask(label, request.task.workspaceFolder);
          if (!task) {
            end({ status: 'failed', output: '', error: `no task labelled "${label}" in tasks.json (or contributed by an extension)` });
            return;
          }
          if (cancelled) return;
          observer?.started?.(Date.now());
          execution = await vscode.tasks.executeTask(task);
          if (cancelled) execution.terminate();
        })().catch((e: unknown) => end({ status: 'failed', output: '', error: `task "${label}": ${e instanceof Error ? e.message : String(e)}` }));
      });
    },
    dispose: async () => undefined,
  };
}

/** The task named `label`, preferring one of this folder's tasks.json. */
async function findTask(label: string, folder: string): Promise<vscode.Task | undefined> {
  const matches = (await vscode.tasks.fetchTasks()).filter((t) => t.name === label);
  const inFolder = (t: vscode.Task) => typeof t.scope === 'object' && (t.scope as vscode.WorkspaceFolder).uri?.fsPath === folder;
  return matches.find((t) => inFolder(t) && t.source === 'Workspace') ?? matches.find(inFolder) ?? matches[0];
}

export function hostExecutors(): Executor[] {
  return [vscodeCommandExecutor(), vscodeTaskExecutor()];
}
