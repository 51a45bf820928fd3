// The dashboard webview panel (the webview-sample's shape): one panel at a time, created or revealed by
// Show Dashboard, revived after a reload by the serializer, fed a full `init` when its script loads and
// throttled `update`s while it is visible. Messages from the webview are validated and checked against
// the host's own task views before anything is done: the webview is never trusted.
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { InboxAction } from '../../core/service/inbox';
import { clusterOf } from '../folderService';
import { DASHBOARD_VIEW_TYPE } from '../ids';
import type { Workspaces } from '../workspaces';
import { Collector } from './collect';
import { dashboardHtml, makeNonce } from './html';
import { actionsFor, buildDashboard } from './model';
import { parseWebviewMessage, type DashboardFilters, type HostMessage, type TaskAction, type WebviewMessage } from './protocol';
import { Throttle } from './throttle';

/** At most four updates a second: live to a person's eye, and a burst of events costs one refresh. */
export const UPDATE_INTERVAL_MS = 250;

export interface DashboardDeps {
  extensionUri: vscode.Uri;
  workspaces: Workspaces;
  log?: (message: string) => void;
  /** The host's copy of the page's filters (workspace state), for a page whose own state was lost. */
  filters?: { get(): DashboardFilters | undefined; set(filters: DashboardFilters): Thenable<void> };
}

/** Where the one open panel is kept: owned by registerDashboard, not a global. */
export interface PanelSlot {
  current?: DashboardPanel;
}

export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = DASHBOARD_VIEW_TYPE;

  static createOrShow(slot: PanelSlot, deps: DashboardDeps): DashboardPanel {
    if (slot.current) {
      slot.current.panel.reveal();
      return slot.current;
    }
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, 'Task Scheduler', vscode.ViewColumn.Active, {
      ...webviewOptions(deps.extensionUri),
      // Hidden, the page is torn down (no memory held); it keeps its filters and scroll with setState and
      // gets a fresh `init` when it loads again.
      retainContextWhenHidden: false,
    });
    return new DashboardPanel(panel, slot, deps);
  }

  /** A panel VS Code restored after a reload (registerWebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, slot: PanelSlot, deps: DashboardDeps): DashboardPanel {
    slot.current?.dispose();
    return new DashboardPanel(panel, slot, deps);
  }

  private readonly disposables: vscode.Disposable[] = [];
  private readonly collector = new Collector();
  private readonly throttle: Throttle;
  /** The script said `ready` and has had its `init`: updates make sense. */
  private ready = false;
  /** Per cluster folder, while the page is shown: the stop of its members' heartbeat reads. */
  private readonly memberWatches = new Map<string, () => void>();
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly slot: PanelSlot,
    private readonly deps: DashboardDeps,
  ) {
    slot.current = this;
    this.throttle = new Throttle(() => this.refresh(), UPDATE_INTERVAL_MS);
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => { void this.onMessage(m); }),
      // Shown again: the script reloads and asks for `init`; nothing to push until then.
      panel.onDidChangeViewState(() => { if (!panel.visible) { this.ready = false; this.watchMembers(false); } }),
      deps.workspaces.onEvent(({ folder, event }) => {
        if (event.type === 'run-output') return; // output is not on the dashboard
        if (event.type.startsWith('run-') || event.type === 'history-changed' || event.type === 'history-opened'
          || event.type === 'role-changed' || event.type === 'retry-scheduled') this.collector.runsChanged(folder);
        // A cluster folder that just connected: its members are on screen too.
        if (event.type === 'cluster-changed' && this.ready) this.watchMembers(true);
        if (this.ready) this.throttle.request();
      }),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.slot.current === this) this.slot.current = undefined;
    this.throttle.dispose();
    this.watchMembers(false);
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...p)).toString();
    return dashboardHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => crypto.randomBytes(n)),
      scriptUri: uri('dist', 'media', 'dashboard.js'),
      styleUri: uri('media', 'dashboard.css'),
      codiconsUri: uri('dist', 'media', 'codicon.css'),
    });
  }

  private post(message: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async send(type: 'init' | 'update'): Promise<void> {
    const now = Date.now();
    const folders = await this.collector.collect(this.deps.workspaces.list(), now);
    const data = buildDashboard(folders, now);
    this.post(type === 'init' ? { type, data, filters: this.deps.filters?.get() } : { type, data });
  }

  private async refresh(): Promise<void> {
    if (!this.ready || !this.panel.visible) return;
    try {
      await this.send('update');
    } catch (e) {
      this.deps.log?.(`dashboard: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return; // unknown or malformed: ignored, as anything else a page might send
    try {
      switch (message.type) {
        case 'ready':
          this.ready = true; // before the read, so a change during it is not missed (an update after init is harmless)
          this.watchMembers(true);
          return await this.send('init');
        case 'action':
          return await this.act(message);
        case 'openTask':
          return await this.openTask(message);
        case 'takeOver':
          return await this.takeOver(message);
        case 'cluster':
          return await this.cluster(message);
        case 'filters':
          return await this.deps.filters?.set(message.filters);
      }
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      this.deps.log?.(`dashboard: ${text}`);
      if ('requestId' in message) this.post({ type: 'result', requestId: message.requestId, ok: false, message: text });
    }
  }

  /** Runs an action only on a task this host knows, in a folder it knows, when its own view allows it. */
  private async act(m: Extract<WebviewMessage, { type: 'action' }>): Promise<void> {
    const service = this.deps.workspaces.get(m.folder);
    const view = (await service?.tasks())?.find((t) => t.id === m.taskId);
    if (!service || !view) return this.post({ type: 'result', requestId: m.requestId, ok: false, message: 'That task is no longer there.' });
    const cluster = clusterOf(service);
    if (!actionsFor(view, cluster ? cluster.info().status === 'up' : service.role === 'executor')[m.action]) {
      return this.post({ type: 'result', requestId: m.requestId, ok: false, message: `${ACTION_LABEL[m.action]} is not possible for this task now.` });
    }
    if (cluster && m.action === 'runNow') {
      // Where the run went: the member that took it.
      const { member } = await cluster.dispatch(inboxAction(m.action, view.id));
      this.post({ type: 'result', requestId: m.requestId, ok: true,
        message: member ? `${view.name} started on ${member.host ?? member.label}${member.pid ? ` (pid ${member.pid})` : ''}.` : undefined });
    } else {
      await service.act(inboxAction(m.action, view.id));
      this.post({ type: 'result', requestId: m.requestId, ok: true });
    }
    this.collector.runsChanged(m.folder);
    this.throttle.request();
  }

  /** Join or Leave from a cluster folder's banner. */
  private async cluster(m: Extract<WebviewMessage, { type: 'cluster' }>): Promise<void> {
    const cluster = clusterOf(this.deps.workspaces.get(m.folder));
    if (!cluster) return this.post({ type: 'result', requestId: m.requestId, ok: false, message: 'That folder names no store.' });
    if (m.op === 'join') await cluster.join(); else await cluster.leave();
    const info = cluster.info();
    this.post({ type: 'result', requestId: m.requestId, ok: true, message: m.op === 'leave' ? `This window left cluster "${info.cluster}".`
      : info.memberRole === 'executor' ? `This window is a member of cluster "${info.cluster}" and runs its tasks too.` : `This window joined cluster "${info.cluster}" and stands by.` });
    this.throttle.request();
  }

  /** The Members panel is on screen: the clusters' heartbeats are kept fresh (and only then). */
  private watchMembers(on: boolean): void {
    for (const [folder, off] of this.memberWatches) {
      if (!on || !clusterOf(this.deps.workspaces.get(folder))) { off(); this.memberWatches.delete(folder); }
    }
    if (!on) return;
    for (const s of this.deps.workspaces.list()) {
      const c = clusterOf(s);
      if (c && !this.memberWatches.has(s.folder)) this.memberWatches.set(s.folder, c.watchMembers());
    }
  }

  private async openTask(m: Extract<WebviewMessage, { type: 'openTask' }>): Promise<void> {
    const service = this.deps.workspaces.get(m.folder);
    const view = (await service?.tasks())?.find((t) => t.id === m.taskId);
    if (!service || !view?.file) return;
    const file = path.isAbsolute(view.file) ? view.file : path.join(service.folder, view.file);
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  private async takeOver(m: Extract<WebviewMessage, { type: 'takeOver' }>): Promise<void> {
    const service = this.deps.workspaces.get(m.folder);
    if (!service) return this.post({ type: 'result', requestId: m.requestId, ok: false, message: 'That folder is no longer open.' });
    const holder = service.holder?.label;
    const ok = await service.takeOver();
    this.post({ type: 'result', requestId: m.requestId, ok,
      message: ok ? 'This window now runs the tasks.' : `Could not take over${holder ? ` from ${holder}` : ''}.` });
    this.collector.runsChanged(m.folder);
    this.throttle.request();
  }
}

const ACTION_LABEL: Record<TaskAction, string> = {
  runNow: 'Run Now', pause: 'Pause', resume: 'Resume', cancel: 'Cancel', resetRetries: 'Reset Retries',
};

function inboxAction(action: TaskAction, taskId: string): InboxAction {
  switch (action) {
    case 'runNow': return { action: 'runNow', taskId };
    case 'pause': return { action: 'pause', taskId };
    case 'resume': return { action: 'resume', taskId };
    // By task: the engine cancels its running and queued runs, whatever the page last saw.
    case 'cancel': return { action: 'cancel', id: taskId };
    case 'resetRetries': return { action: 'resetRetries', taskId };
  }
}

/** Scripts on; files only from media/ (styles, icon) and the built dist/media/ (script, codicons). */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'media')],
  };
}
