// CodeLens over a task file's definition: ▶ Run now · next run (in words) · last result (click: its
// output). An invalid task gets one lens with the reason. A setting turns them off.
import * as vscode from 'vscode';
import { firstLine, lastResultText, plainText, relativeTime } from './format';
import { CommandId, SETTINGS } from './ids';
import type { TaskStore } from './taskStore';
import { hostOf } from './who';

/** Where the lenses sit: the definition, else the top of the file. */
const DEFINITION = /\bdefineTask\s*\(|\bexport\s+default\b/;

export class TaskCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: TaskStore) {
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration().get<boolean>(SETTINGS.codeLensEnabled.key, SETTINGS.codeLensEnabled.default)) return [];
    const entry = this.store.tasks().find((t) => t.view.file === doc.uri.fsPath);
    if (!entry) return [];
    const text = doc.getText();
    const match = DEFINITION.exec(text);
    const line = match ? doc.positionAt(match.index).line : 0;
    const range = new vscode.Range(line, 0, line, 0);
    const v = entry.view;
    const target = { taskId: v.id, folder: entry.folder };
    if (v.state === 'invalid') {
      return [new vscode.CodeLens(range, { title: `$(error) invalid: ${plainText(firstLine(v.stateReason ?? 'see Problems', 120))}`, command: 'workbench.actions.view.problems' })];
    }
    const now = Date.now();
    const lenses = [new vscode.CodeLens(range, { title: '$(play) Run now', command: CommandId.RunNow, arguments: [target], tooltip: `Run "${v.name}" now` })];
    const next = v.state === 'paused' ? 'paused'
      : v.state === 'running' ? 'running now'
        : v.nextRun !== undefined ? `next ${relativeTime(v.nextRun, now)}` : 'manual';
    lenses.push(new vscode.CodeLens(range, { title: v.schedule ? `${next} · ${plainText(v.schedule)}` : next, command: CommandId.ShowTasks, tooltip: 'Task Scheduler tasks' }));
    const last = lastResultText(v.lastRun, now);
    if (last && v.lastRun) {
      const host = entry.cluster ? hostOf(v.lastRun.executor) : undefined;
      lenses.push(new vscode.CodeLens(range, {
        title: `last ${last}${host ? ` on ${plainText(host)}` : ''}`, command: CommandId.ShowRunOutput, arguments: [{ runId: v.lastRun.id, folder: entry.folder, taskId: v.id }],
        tooltip: v.lastRun.error ? firstLine(v.lastRun.error) : 'Show its output',
      }));
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function registerCodeLens(store: TaskStore): vscode.Disposable[] {
  const provider = new TaskCodeLensProvider(store);
  return [
    provider,
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.task.ts' }, provider),
  ];
}
