// One run's output and result in a read-only editor: `task-scheduler-run:/<task id>/<run id>.log?<folder>`.
// The text is built from the history each time the document is opened, and again when that run ends.
import * as vscode from 'vscode';
import type { RunRecord } from '../core/ports';
import { formatDuration } from './format';
import { RUN_DOCUMENT_SCHEME } from './ids';
import type { Workspaces } from './workspaces';

export function runUri(folder: string, run: Pick<RunRecord, 'id' | 'taskId'>): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_DOCUMENT_SCHEME, path: `/${run.taskId}/${run.id}.log`, query: new URLSearchParams({ folder, run: run.id }).toString() });
}

function parse(uri: vscode.Uri): { folder: string; runId: string } | undefined {
  const q = new URLSearchParams(uri.query);
  const folder = q.get('folder');
  const runId = q.get('run');
  return folder && runId ? { folder, runId } : undefined;
}

/** The document's text: a header, the captured output, then the JSON result. */
export function runText(run: RunRecord): string {
  const time = (t?: number) => (t === undefined ? '—' : new Date(t).toISOString());
  const lines = [
    `# Task ${run.taskId} — run ${run.id}`,
    `status:    ${run.status}${run.exitCode !== undefined && run.exitCode !== null ? ` (exit code ${run.exitCode})` : ''}`,
    `trigger:   ${run.trigger}, attempt ${run.attempt}`,
    `scheduled: ${time(run.scheduledFor)}`,
    `started:   ${time(run.startedAt)}`,
    `ended:     ${time(run.endedAt)}${run.startedAt !== undefined && run.endedAt !== undefined ? ` (${formatDuration(run.endedAt - run.startedAt)})` : ''}`,
  ];
  if (run.params && Object.keys(run.params).length) lines.push(`params:    ${JSON.stringify(run.params)}`);
  if (run.error) lines.push('', '## Error', run.error);
  lines.push('', `## Output${run.outputTruncated ? ' (truncated: the middle was dropped)' : ''}`);
  lines.push(run.output ? run.output.replace(/\n$/, '') : run.status === 'running' || run.status === 'queued' ? '(the output is kept when the run ends)' : '(no output)');
  lines.push('', '## Result', run.result === undefined ? '(none)' : JSON.stringify(run.result, null, 2));
  return lines.join('\n') + '\n';
}

export class RunDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly workspaces: Workspaces) {
    // An open document of a run that was still going is rewritten when it ends.
    this.subscription = workspaces.onEvent(({ folder, event }) => {
      if (event.type !== 'run-finished') return;
      const uri = runUri(folder, event.run);
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) this.changed.fire(uri);
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = parse(uri);
    if (!target) return 'Not a run of Task Scheduler.\n';
    const service = this.workspaces.get(target.folder);
    if (!service) return `The workspace folder ${target.folder} is not open (or its workspace is not trusted).\n`;
    try {
      const run = await service.queries().getRun(target.runId);
      return run ? runText(run) : `Run ${target.runId} is not in the history (cleared, or removed by retention).\n`;
    } catch (e) {
      return `Could not read run ${target.runId}: ${(e as Error).message}\n`;
    }
  }

  /** Opens a run's document beside the current editor, read-only, as a log. */
  async open(folder: string, run: Pick<RunRecord, 'id' | 'taskId'>): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(runUri(folder, run));
    const asLog = await vscode.languages.setTextDocumentLanguage(doc, 'log').then((d) => d, () => doc);
    return vscode.window.showTextDocument(asLog, { preview: true });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function registerRunDocuments(docs: RunDocuments): vscode.Disposable[] {
  return [docs, vscode.workspace.registerTextDocumentContentProvider(RUN_DOCUMENT_SCHEME, docs)];
}
