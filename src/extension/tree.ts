// The Tasks view: a row per task (grouped by folder or tag when asked), its recent runs as children,
// a badge counting failed and invalid tasks, and a message when this window only views the tasks
// (another window or the CLI executes them) or when esbuild is missing.
import * as vscode from 'vscode';
import type { RunRecord } from '../core/ports';
import { CommandId, SETTINGS, TREE_GROUPINGS, ViewId, type TreeGrouping } from './ids';
import type { TaskStore } from './taskStore';
import type { Timings } from './timings';
import { runItemModel, runTooltip, taskItemModel, taskTooltip, type ItemModel, type TaskEntry } from './treeItems';
import { rowsToRedraw, treeLayout, type TreeLayout } from './treeRefresh';
import type { Workspaces } from './workspaces';
import type { EsbuildResolver } from './esbuild';
import { clusterMessage } from './clusterText';

/** Runs listed under a task: enough to see a pattern, few enough to read. */
const RUNS_SHOWN = 10;
/** "in 4 min" goes stale: while the view is visible, rows whose words changed are redrawn this often. */
const RELATIVE_TIME_REFRESH_MS = 30_000;

type TaskNode = { kind: 'task'; key: string; entry: TaskEntry };
export type TreeNode =
  | { kind: 'group'; key: string; label: string; icon: string; children: TaskNode[] }
  | TaskNode
  | { kind: 'run'; folder: string; run: RunRecord; task: string; onCluster?: boolean }
  | { kind: 'note'; text: string };

export class TaskTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The task rows VS Code was given, by row key: the same objects come back, so one row can be redrawn alone. */
  private nodes = new Map<string, TaskNode>();
  /** The layout of the last full draw, with each row's signature as last drawn. */
  private shown: TreeLayout | undefined;
  /** The words of each task and run row as last drawn, and the task row that redraws them. */
  private readonly drawn = new Map<string, { task: string; words: (now: number) => string; shown: string }>();

  constructor(private readonly store: TaskStore, private readonly workspaces: Workspaces, private readonly timings: Timings) {}

  /** Redraws the whole tree (the grouping changed). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The tasks changed: redraws the rows whose task changed, or the whole tree when rows came, went or moved. */
  update(): void {
    const next = treeLayout(this.store.folders(), this.grouping());
    const keys = rowsToRedraw(this.shown, next);
    if (keys === 'all' || keys.some((k) => !this.nodes.has(k))) return this.refresh();
    const nodes = keys.map((k) => {
      const node = this.nodes.get(k)!;
      node.entry = next.rows.get(k)!.entry;
      this.shown!.rows.set(k, next.rows.get(k)!);
      return node;
    });
    if (nodes.length) this.changed.fire(nodes);
  }

  /** Redraws the task rows whose words, or whose runs' words, went stale ("in 4 min" → "in 3 min"). */
  redrawStale(now = Date.now()): void {
    const stale = new Set<TaskNode>();
    for (const d of this.drawn.values()) {
      const node = this.nodes.get(d.task);
      if (node && d.words(now) !== d.shown) stale.add(node);
    }
    if (stale.size) this.changed.fire([...stale]);
  }

  private grouping(): TreeGrouping {
    const value = vscode.workspace.getConfiguration().get<string>(SETTINGS.treeGroupBy.key, SETTINGS.treeGroupBy.default);
    return (TREE_GROUPINGS as readonly string[]).includes(value) ? value as TreeGrouping : SETTINGS.treeGroupBy.default;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      return this.roots();
    }
    if (node.kind === 'group') return node.children;
    if (node.kind !== 'task') return [];
    const service = this.workspaces.get(node.entry.folder);
    for (const [key, d] of this.drawn) if (d.task === node.key && key !== node.key) this.drawn.delete(key);
    try {
      const runs = await service?.queries().runs({ taskId: node.entry.view.id, limit: RUNS_SHOWN }) ?? [];
      if (!runs.length) return [{ kind: 'note', text: 'No runs yet' }];
      return runs.map((run) => ({ kind: 'run', folder: node.entry.folder, run, task: node.key, onCluster: !!node.entry.cluster }));
    } catch (e) {
      return [{ kind: 'note', text: `Runs unavailable: ${(e as Error).message}` }];
    }
  }

  /** The top level, from the tasks as they are now; task rows keep their node objects. */
  private roots(): TreeNode[] {
    const layout = treeLayout(this.store.folders(), this.grouping());
    const nodes = new Map<string, TaskNode>();
    const node = (key: string): TaskNode => {
      const { entry } = layout.rows.get(key)!;
      const n = this.nodes.get(key) ?? { kind: 'task', key, entry };
      n.entry = entry;
      nodes.set(key, n);
      return n;
    };
    const roots = layout.top.map((t): TreeNode => (typeof t === 'string'
      ? node(t)
      : { kind: 'group', key: t.key, label: t.label, icon: t.icon, children: t.rows.map(node) }));
    this.nodes = nodes;
    this.timings.rowsListed(nodes.keys());
    for (const [key, d] of this.drawn) if (!nodes.has(d.task)) this.drawn.delete(key);
    this.shown = layout;
    return roots;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const now = Date.now();
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.key;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.description = `${node.children.length} task${node.children.length === 1 ? '' : 's'}`;
        item.contextValue = 'group';
        return item;
      }
      case 'task': {
        const model = taskItemModel(node.entry, now);
        this.drawn.set(node.key, { task: node.key, words: (t) => taskItemModel(node.entry, t).description, shown: model.description });
        const item = fromModel(model, node.entry.view.state === 'invalid' ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `task:${node.key}`;
        this.timings.rowDrawn(node.key, node.entry.loading ?? 'history');
        if (node.entry.cluster) this.timings.clusterRowDrawn(node.entry.view.lastRun);
        return item;
      }
      case 'run': {
        const model = runItemModel(node.run, now, node.onCluster);
        const item = fromModel(model, vscode.TreeItemCollapsibleState.None);
        item.id = `run:${JSON.stringify([node.task, node.run.id])}`;
        this.drawn.set(item.id, { task: node.task, words: (t) => runItemModel(node.run, t, node.onCluster).description, shown: model.description });
        item.tooltip = markdown(runTooltip(node.run, node.onCluster));
        item.command = { command: CommandId.ShowRunOutput, title: 'Show Run Output', arguments: [{ folder: node.folder, runId: node.run.id, taskId: node.run.taskId }] };
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.contextValue = 'note';
        return item;
      }
    }
  }

  /** Tooltips are built on hover: next runs cost a schedule computation per task. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'task') item.tooltip = markdown(taskTooltip(node.entry, Date.now()));
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function fromModel(model: ItemModel, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(model.label, state);
  item.description = model.description;
  item.iconPath = new vscode.ThemeIcon(model.icon.id, model.icon.color ? new vscode.ThemeColor(model.icon.color) : undefined);
  item.contextValue = model.contextValue;
  return item;
}

/** Untrusted Markdown: no command links, no HTML (every task-controlled string was escaped as well). */
function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, true);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** The view's message: who executes when this window only views, and what keeps task files from compiling. */
export function viewMessage(store: TaskStore, esbuild: EsbuildResolver): string | undefined {
  const parts: string[] = [];
  for (const f of store.folders()) {
    if (f.cluster) {
      parts.push(clusterMessage(f.cluster, store.folders().length > 1 ? `${f.name}: ` : ''));
    } else if (f.role === 'viewer') {
      const who = f.holder ? `Executed by ${f.holder.label}` : 'Executed by another process';
      parts.push(`${store.folders().length > 1 ? `${f.name}: ` : ''}${who} — read-only. Use "Take Over" to run the tasks here.`);
    }
  }
  if (esbuild.missing) parts.push('Task files cannot be compiled until esbuild is installed (≈10 MB): use "Install esbuild" above.');
  return parts.length ? parts.join('\n') : undefined;
}

export function registerTree(store: TaskStore, workspaces: Workspaces, esbuild: EsbuildResolver, timings: Timings): vscode.Disposable[] {
  const provider = new TaskTreeProvider(store, workspaces, timings);
  const view = vscode.window.createTreeView(ViewId.Tasks, { treeDataProvider: provider, showCollapseAll: true });
  const update = () => {
    provider.update();
    const failing = store.tasks().filter((t) => t.view.state === 'failed' || t.view.state === 'invalid');
    const failed = failing.filter((t) => t.view.state === 'failed').length;
    const invalid = failing.length - failed;
    view.badge = failing.length
      ? { value: failing.length, tooltip: [failed && `${failed} failed`, invalid && `${invalid} invalid`].filter(Boolean).join(', ') }
      : undefined;
    view.message = viewMessage(store, esbuild);
  };
  const timer = setInterval(() => { if (view.visible) provider.redrawStale(); }, RELATIVE_TIME_REFRESH_MS);
  return [
    provider, view, store.onDidChange(update),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SETTINGS.treeGroupBy.key)) provider.refresh(); }),
    { dispose: () => clearInterval(timer) },
  ];
}
