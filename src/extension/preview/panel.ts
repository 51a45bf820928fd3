// The Preview Schedules panel: one at a time, opened by the command (or a hover's Preview link), fed a
// view of every task's runs over the range the page asks for, and an explanation of a run when one is
// clicked. Everything comes from the tasks as read from text (StaticModel), with schedules built by code
// taken from the engine's plan where one exists — so it works untrusted, running nothing.
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { explainRun } from '../../core/cursor/explain';
import { buildPreview, type PreviewTask } from '../../core/cursor/preview';
import { dateText } from '../../core/cursor/timeText';
import { canonicalZone, machineZone, wallOf } from '../../core/schedule/zone';
import { contentSecurityPolicy, escapeAttribute, makeNonce } from '../dashboard/html';
import { PREVIEW_VIEW_TYPE } from '../ids';
import type { StaticModel } from '../cursor/staticModel';
import type { Workspaces } from '../workspaces';
import { parseRequest, parseWebviewMessage, taskKey, type HostMessage, type PreviewRequestData, type PreviewView } from './protocol';

export interface PreviewDeps {
  extensionUri: vscode.Uri;
  model: StaticModel;
  /** The engines' plans (trusted windows): schedules that code builds. */
  workspaces: Workspaces;
  log: (message: string) => void;
}

/** What the command and a hover's link may pass. */
export interface PreviewArgs {
  taskId?: string;
  folder?: string;
  zone?: string;
  range?: string;
  start?: string;
}

export interface PreviewSlot {
  current?: PreviewPanel;
}

export class PreviewPanel implements vscode.Disposable {
  static show(slot: PreviewSlot, deps: PreviewDeps, args: PreviewArgs = {}): PreviewPanel {
    const request = initialRequest(args);
    const focus = args.taskId ? taskKey(args.folder ?? '', args.taskId) : undefined;
    if (slot.current) {
      slot.current.panel.reveal();
      void slot.current.show(request, focus);
      return slot.current;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Preview Schedules', vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new PreviewPanel(panel, slot, deps, request, focus);
  }

  private readonly disposables: vscode.Disposable[] = [];
  private tasks = new Map<string, PreviewTask>();
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly slot: PreviewSlot,
    private readonly deps: PreviewDeps,
    private request: PreviewRequestData,
    private focus: string | undefined,
  ) {
    slot.current = this;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => { void this.onMessage(m); }),
      // Edits to task files and the config redraw the preview.
      deps.model.onDidChange(() => { if (panel.visible) void this.send(); }),
    );
  }

  /** Draws `request` (a hover's link asks for its task's zone and marks the task). */
  async show(request: PreviewRequestData, focus?: string): Promise<void> {
    this.request = request;
    this.focus = focus;
    await this.send();
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) return;
    try {
      if (m.type === 'ready') await this.send();
      else if (m.type === 'request') { this.request = m.request; await this.send(); }
      else this.explain(m.key, m.at);
    } catch (e) {
      this.deps.log(`preview: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  private async send(): Promise<void> {
    const tasks = await this.collect();
    const model = buildPreview([...tasks.values()], this.request);
    const ids: Record<string, string> = {};
    const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    for (const [key, t] of tasks) ids[key] = multi && t.folder ? `${t.folder}: ${key.split('\u0000')[1]}` : key.split('\u0000')[1];
    const view: PreviewView = {
      request: this.request, zones: this.zones(tasks), focus: this.focus, ids,
      ...('error' in model ? { error: model.error } : { model }),
    };
    this.post({ type: 'view', view });
  }

  private explain(key: string, at: number): void {
    const task = this.tasks.get(key);
    if (!task) return this.post({ type: 'explainError', key, at, message: 'That task is no longer there.' });
    const alsoDue = [...this.tasks].filter(([, t]) => t.schedule.next(at - 1) === at).map(([k]) => k.split('\u0000')[1]);
    const e = explainRun({ ...task, id: key.split('\u0000')[1] }, at, canonicalZone(this.request.zone) ?? machineZone(), alsoDue);
    this.post('error' in e ? { type: 'explainError', key, at, message: e.error } : { type: 'explanation', key, at, title: e.title, lines: e.lines });
  }

  /** Every task with a schedule, by key: as read from text, or from the engine's plan when code builds it. */
  private async collect(): Promise<Map<string, PreviewTask>> {
    const out = new Map<string, PreviewTask>();
    for (const ws of await this.deps.model.all()) {
      const plan = this.deps.workspaces.get(ws.folder)?.plan;
      const folder = path.basename(ws.folder);
      for (const t of ws.tasks) {
        if (!t.spec.enabled) continue;
        const schedule = t.schedule ?? (t.scheduleComputed ? plan?.tasks.find((p) => p.spec.id === t.id)?.schedule : undefined);
        if (schedule) out.set(taskKey(ws.folder, t.id), { id: taskKey(ws.folder, t.id), name: t.spec.name, folder, schedule });
      }
    }
    this.tasks = out;
    return out;
  }

  private zones(tasks: Map<string, PreviewTask>): string[] {
    const zones = new Set([machineZone(), 'UTC', this.request.zone]);
    for (const t of tasks.values()) {
      const parts = (t.schedule as { parts?: readonly { zone?: string }[] }).parts ?? [t.schedule as { zone?: string }];
      for (const p of parts) if (p.zone) zones.add(p.zone);
    }
    return [...zones].sort();
  }

  private post(message: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...p)).toString();
    const nonce = makeNonce((n) => crypto.randomBytes(n));
    const a = escapeAttribute;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(uri('dist', 'media', 'codicon.css'))}">
<link rel="stylesheet" href="${a(uri('media', 'preview.css'))}">
<title>Preview Schedules</title>
</head>
<body>
<main id="app" aria-busy="true">
  <section id="controls" aria-label="Range and zone"></section>
  <h2 id="title"></h2>
  <div id="problem" role="alert"></div>
  <section id="chart" aria-label="Runs"></section>
  <section id="notes" aria-label="DST changes, herds and long gaps"></section>
  <section id="explain" aria-live="polite" aria-label="Why this run"></section>
</main>
<script nonce="${a(nonce)}" src="${a(uri('dist', 'media', 'preview.js'))}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.slot.current === this) this.slot.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** The request a fresh panel starts with: a week from today in the asked zone (the machine's by default). */
function initialRequest(args: PreviewArgs): PreviewRequestData {
  const zone = (args.zone && canonicalZone(args.zone)) || machineZone();
  const today = dateText(wallOf(zone, Date.now()));
  return parseRequest({ range: args.range ?? 'week', start: args.start ?? today, zone }) ?? { range: 'week', start: today, zone };
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'media')],
  };
}
