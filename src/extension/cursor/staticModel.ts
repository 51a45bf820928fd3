// Each workspace folder's tasks read as text (core/cursor/staticWorkspace.ts), kept fresh from open
// editors (unsaved edits count) and the file watcher. No task code is compiled, imported or run, so this
// serves hover, completion, warnings and the preview before esbuild exists and in untrusted windows.
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAMES } from '../../core/config';
import { readFolderTexts } from '../../core/cursor/readFolder';
import { readStaticWorkspace, type FileReadings, type StaticInput, type StaticWorkspace } from '../../core/cursor/staticWorkspace';

/** Typing in a task file re-reads its folder once the burst is over. */
const REREAD_DEBOUNCE_MS = 300;

export function isConfigDocument(uri: vscode.Uri): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(uri.fsPath));
}

export function isTaskDocument(uri: vscode.Uri): boolean {
  return /\.task\.[cm]?ts$/.test(uri.fsPath);
}

interface FolderEntry {
  /** Texts as read from disk, by file (open documents are laid over them when read). */
  input?: StaticInput;
  workspace?: StaticWorkspace;
  /** Discovery must run again (a file was created or deleted, or the config changed). */
  rediscover: boolean;
  /** Files whose disk text changed since they were read. */
  changed: Set<string>;
  /** An open document of the folder was edited since the last read. */
  dirtyDocs?: boolean;
  /** What each task file said last time: an unchanged file is not read again. */
  readings: FileReadings;
  building?: Promise<StaticWorkspace>;
}

export class StaticModel implements vscode.Disposable {
  private readonly folders = new Map<string, FolderEntry>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Fires with a folder's path after its tasks were re-read. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{*.task.ts,*.task.mts,*.task.cts,.scheduler.yaml,.scheduler.yml}');
    const onFile = (structural: boolean) => (uri: vscode.Uri) => this.fileChanged(uri, structural);
    this.disposables.push(
      watcher, watcher.onDidChange(onFile(false)), watcher.onDidCreate(onFile(true)), watcher.onDidDelete(onFile(true)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (this.relevant(e.document.uri)) this.soon(e.document.uri); }),
      vscode.workspace.onDidCloseTextDocument((d) => { if (this.relevant(d.uri)) this.soon(d.uri); }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => { for (const f of e.removed) this.folders.delete(f.uri.fsPath); }),
    );
  }

  /** The folder a file belongs to (file scheme only). */
  folderOf(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  }

  /** The folder's tasks as last read, without waiting (undefined before the first read). */
  peek(folder: string): StaticWorkspace | undefined {
    return this.folders.get(folder)?.workspace;
  }

  /** The folder's tasks, read now if anything changed since. */
  get(folder: string): Promise<StaticWorkspace> {
    const entry = this.entry(folder);
    if (entry.workspace && !entry.rediscover && !entry.changed.size && !entry.dirtyDocs) return Promise.resolve(entry.workspace);
    entry.building ??= this.build(folder, entry).finally(() => { entry.building = undefined; });
    return entry.building;
  }

  /** Every open folder's tasks. */
  async all(): Promise<StaticWorkspace[]> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    return Promise.all(folders.map((f) => this.get(f)));
  }

  private entry(folder: string): FolderEntry {
    let e = this.folders.get(folder);
    if (!e) { e = { rediscover: true, changed: new Set(), readings: new Map() }; this.folders.set(folder, e); }
    return e;
  }

  private relevant(uri: vscode.Uri): boolean {
    return uri.scheme === 'file' && (isTaskDocument(uri) || isConfigDocument(uri));
  }

  private fileChanged(uri: vscode.Uri, structural: boolean): void {
    const folder = this.folderOf(uri);
    if (!folder || !this.folders.has(folder)) return;
    const e = this.entry(folder);
    if (structural || isConfigDocument(uri)) e.rediscover = true;
    else e.changed.add(uri.fsPath);
    this.schedule(folder);
  }

  /** An edit in an open document: its folder is read again (with the document's text) after a pause. */
  private soon(uri: vscode.Uri): void {
    const folder = this.folderOf(uri);
    if (!folder || !this.folders.has(folder)) return;
    const e = this.entry(folder);
    e.dirtyDocs = true;
    if (isConfigDocument(uri)) e.rediscover = true;
    this.schedule(folder);
  }

  private schedule(folder: string): void {
    clearTimeout(this.timers.get(folder));
    this.timers.set(folder, setTimeout(() => {
      this.timers.delete(folder);
      void this.get(folder).then(() => this.emitter.fire(folder), () => undefined);
    }, REREAD_DEBOUNCE_MS));
  }

  private async build(folder: string, entry: FolderEntry): Promise<StaticWorkspace> {
    entry.dirtyDocs = false;
    const open = openTexts();
    if (entry.rediscover || !entry.input) {
      entry.rediscover = false;
      entry.changed.clear();
      entry.input = await readFolderTexts(folder);
    } else if (entry.changed.size) {
      const changed = new Set(entry.changed);
      entry.changed.clear();
      const reread = async (t: { file: string; text: string }) => (changed.has(t.file) ? { file: t.file, text: await fs.readFile(t.file, 'utf8').catch(() => t.text) } : t);
      entry.input = {
        folder,
        config: entry.input.config && await reread(entry.input.config),
        taskFiles: await Promise.all(entry.input.taskFiles.map(reread)),
      };
    }
    const input = entry.input;
    // Open documents win over what is on disk: the user sees (and hovers) their unsaved text.
    const layered: StaticInput = {
      folder,
      config: input.config && { file: input.config.file, text: open.get(input.config.file) ?? input.config.text },
      taskFiles: input.taskFiles.map((t) => ({ file: t.file, text: open.get(t.file) ?? t.text })),
    };
    entry.workspace = readStaticWorkspace(layered, entry.readings);
    return entry.workspace;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}

/** Texts of the open task files and configs, by path. */
function openTexts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.uri.scheme === 'file' && (isTaskDocument(doc.uri) || isConfigDocument(doc.uri))) out.set(doc.uri.fsPath, doc.getText());
  }
  return out;
}
