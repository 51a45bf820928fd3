// One service per trusted workspace folder: created after activate() returned (activation itself plans,
// compiles and opens nothing), added and removed with the folders, reloaded when task files, imports or
// the config change, and restarted never — a reload keeps running runs. A folder whose .scheduler.yaml
// names a store gets a window onto its cluster instead (clusterFolders.ts); adding or removing `store:`
// swaps one for the other.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogLevel } from '../core/engine';
import { WorkspaceService } from '../core/service/workspaceService';
import { configuredStore } from '../core/config/store';
import type { ClusterFolders } from './clusterFolders';
import { clusterOf, type FolderService } from './folderService';
import { SETTINGS } from './ids';
import { leaseTimingsFromEnv } from '../core/lease';
import { ensureTypes } from '../core/tasks/ensureTypes';
import { runtimeFromDist, type Runtime } from '../core/workspace/runtime';
import type { EsbuildResolver } from './esbuild';
import { fromCachedRows, ROW_CACHE_KEY, toCachedRows, type RowCache } from './rowCache';
import { hostExecutors } from './hostExecutors';
import { loadStage, type TaskStore } from './taskStore';
import type { Timings } from './timings';
import { whenTrusted } from './trust';
import type { Workspaces } from './workspaces';

/** An editor's auto-save storm (or a branch switch) becomes one reload per folder. */
const RELOAD_DEBOUNCE_MS = 300;

/** The last session's rows are saved at most this often (a Memento write per run would be waste). */
const ROW_CACHE_SAVE_MS = 5_000;

/** What makes a folder's plan stale: task files, their imports, the config, installed packages. */
const WATCHED = [
  '**/*.{ts,mts,cts,tsx,js,mjs,cjs,json}',
  '**/.scheduler.{yaml,yml}',
  '**/{package-lock.json,pnpm-lock.yaml,yarn.lock,bun.lock,bun.lockb}',
];

export interface ServicesOptions {
  context: vscode.ExtensionContext;
  workspaces: Workspaces;
  store: TaskStore;
  esbuild: EsbuildResolver;
  log: vscode.LogOutputChannel;
  timings: Timings;
  clusters: ClusterFolders;
}

export class Services implements vscode.Disposable {
  readonly runtime: Runtime;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly reloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly starting = new Map<string, Promise<void>>();
  private firstStart?: Promise<void>;
  private resolveFirst!: () => void;
  private readonly firstStarted = new Promise<void>((r) => { this.resolveFirst = r; });
  private started = false;

  constructor(private readonly options: ServicesOptions) {
    this.runtime = runtimeFromDist(path.join(options.context.extensionPath, 'dist'), process.execPath);
  }

  /** Starts everything once the workspace is trusted, after activate() has returned. */
  register(): vscode.Disposable[] {
    this.disposables.push(whenTrusted(() => {
      // setImmediate: activate() returns first; planning and compiling happen after it.
      setImmediate(() => { this.firstStart = this.startAll().finally(() => this.resolveFirst()); });
    }));
    return [this];
  }

  /** Resolves when every folder open at start (once trusted) has started or failed to. */
  ready(): Promise<void> {
    return this.firstStarted;
  }

  /** Whether services run at all (false in an untrusted workspace). */
  get active(): boolean {
    return this.started;
  }

  /** Re-plans every folder (or one) now. */
  async reload(folder?: string): Promise<void> {
    const services = folder ? [this.options.workspaces.get(folder)].filter((s) => !!s) : this.options.workspaces.list();
    await Promise.all(services.map((s) => {
      // `store:` added or removed: the folder is served the other way from now on.
      if (isClusterFolder(s!.folder) !== (s!.kind === 'cluster')) return this.restartFolder(s!.folder);
      return s!.reload().catch((e: Error) => this.options.log.error(`${s!.folder}: reload failed: ${e.message}`));
    }));
  }

  private async restartFolder(dir: string): Promise<void> {
    const folder = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.fsPath === dir);
    this.options.log.info(`[${path.basename(dir)}] ${isClusterFolder(dir) ? 'names a store now: watching its cluster' : 'no longer names a store: running it here'}`);
    await this.options.workspaces.remove(dir);
    if (folder) await this.startFolder(folder);
    await this.options.store.refresh();
  }

  private async startAll(): Promise<void> {
    this.started = true;
    const { log, workspaces, timings } = this.options;
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) void this.stopFolder(f.uri.fsPath);
        for (const f of e.added) void this.startFolder(f);
      }),
      ...this.watch(),
      this.saveRows(),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SETTINGS.clusterJoin.key)) void this.followJoinSetting(); }),
    );
    const folders = vscode.workspace.workspaceFolders ?? [];
    // The last session's rows, at once; the plans replace them.
    const cached = this.options.context.workspaceState.get<RowCache>(ROW_CACHE_KEY) ?? {};
    for (const f of folders) {
      if (f.uri.scheme === 'file') this.options.store.seed(f.uri.fsPath, f.name, fromCachedRows(cached[f.uri.fsPath], f.uri.fsPath, f.name, Date.now()));
    }
    await Promise.all(folders.map((f) => this.startFolder(f)));
    await this.options.store.refresh();
    timings.servicesStarted(workspaces.list().length, this.options.store.tasks().length);
    log.info(`started ${workspaces.list().length} folder(s)`);
  }

  private startFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    if (folder.uri.scheme !== 'file') return Promise.resolve();
    const dir = folder.uri.fsPath;
    const running = this.starting.get(dir) ?? this.createAndStart(dir, folder.name).finally(() => this.starting.delete(dir));
    this.starting.set(dir, running);
    return running;
  }

  private async createAndStart(dir: string, name: string): Promise<void> {
    const { log, workspaces, esbuild, context } = this.options;
    if (workspaces.get(dir)) return;
    const types = ensureTypes(dir, this.runtime.typesDir);
    if (types.skipped) log.info(`[${name}] task file types: ${types.skipped}`);
    else if (types.written.length) log.info(`[${name}] task file types written to ${types.dir}`);
    const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
    const common = {
      folder: dir,
      runtime: this.runtime,
      cacheDir: path.join(storage, 'compiled', `${path.basename(dir).replace(/[^\w.-]+/g, '_')}-${hash(dir)}`),
      esbuild: esbuild.forFolder(dir),
      log: (level: LogLevel, message: string) => log[level](`[${name}] ${message}`),
    };
    const service: FolderService = isClusterFolder(dir)
      ? this.options.clusters.create({ ...common, name })
      : new WorkspaceService({ ...common, ownerLabel: `VS Code window (pid ${process.pid})`, executors: hostExecutors(), lease: leaseTimingsFromEnv(process.env) });
    service.onEvent((e) => {
      if (e.type === 'error') log.error(`[${name}] ${e.message}`);
      else if (e.type === 'role-changed') log.info(`[${name}] ${e.role}${e.holder && e.role === 'viewer' ? ` (executed by ${e.holder.label})` : ''}`);
      else if (e.type === 'history-opened' && e.report.reason) log.warn(`[${name}] history: ${e.report.reason}`);
      else if (e.type === 'plan-loaded') {
        this.options.timings.planLoaded(name, e.plan.tasks.length + e.plan.invalid.length);
        log.info(`[${name}] plan: ${e.plan.tasks.length} task(s), ${e.plan.invalid.length} invalid, compile ${e.plan.compile.built} built / ${e.plan.compile.cached} cached in ${e.plan.compile.ms.toFixed(0)} ms`);
      }
    });
    workspaces.add(service);
    try {
      await service.start();
      const cluster = clusterOf(service);
      if (cluster && this.options.clusters.joinOnOpen(dir)) await this.join(cluster);
    } catch (e) {
      log.error(`[${name}] could not start: ${(e as Error).stack ?? e}`);
      this.options.store.forget(dir); // no plan will replace the last session's rows
    }
  }

  /** The setting changed: every cluster folder joins or leaves accordingly. */
  private async followJoinSetting(): Promise<void> {
    for (const s of this.options.workspaces.list()) {
      const cluster = clusterOf(s);
      if (!cluster) continue;
      if (this.options.clusters.joinOnOpen(s.folder)) await this.join(cluster);
      else await cluster.leave();
    }
  }

  private async join(cluster: NonNullable<ReturnType<typeof clusterOf>>): Promise<void> {
    await cluster.join().catch((e: Error) => this.options.log.warn(`[${path.basename(cluster.folder)}] could not join the cluster: ${e.message}`));
  }

  private async stopFolder(dir: string): Promise<void> {
    clearTimeout(this.reloadTimers.get(dir));
    this.reloadTimers.delete(dir);
    await this.starting.get(dir);
    await this.options.workspaces.remove(dir);
    this.options.store.forget(dir);
  }

  private watch(): vscode.Disposable[] {
    const skip = (uri: vscode.Uri) => uri.scheme !== 'file' || uri.fsPath.split(path.sep).some((p) => p === 'node_modules' || p === '.git');
    const onChange = (uri: vscode.Uri) => {
      if (skip(uri)) return;
      const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      if (!folder || !this.options.workspaces.get(folder)) return;
      clearTimeout(this.reloadTimers.get(folder));
      this.reloadTimers.set(folder, setTimeout(() => {
        this.reloadTimers.delete(folder);
        void this.reload(folder);
      }, RELOAD_DEBOUNCE_MS));
    };
    // A folder created with files in it, or deleted with them, may be reported as the folder alone: a new
    // folder, or a deleted path that held a task's file, reloads too.
    const onFolder = (uri: vscode.Uri, created: boolean) => {
      if (skip(uri)) return;
      if (created ? fs.statSync(uri.fsPath, { throwIfNoEntry: false })?.isDirectory() : this.holdsTaskFile(uri.fsPath)) onChange(uri);
    };
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    return [
      ...WATCHED.flatMap((glob) => {
        const watcher = vscode.workspace.createFileSystemWatcher(glob);
        return [watcher, watcher.onDidCreate(onChange), watcher.onDidChange(onChange), watcher.onDidDelete(onChange)];
      }),
      folders, folders.onDidCreate((u) => onFolder(u, true)), folders.onDidDelete((u) => onFolder(u, false)),
    ];
  }

  /** Whether a deleted path was a folder holding one of the planned (or invalid) tasks' files. */
  private holdsTaskFile(deleted: string): boolean {
    const inside = (file: string) => file.startsWith(deleted + path.sep);
    return this.options.workspaces.list().some((s) => s.plan?.tasks.some((t) => inside(t.spec.file)) || s.plan?.invalid.some((t) => inside(t.file)));
  }

  /** Keeps the rows of the folders' engines for the next session (rowCache.ts). */
  private saveRows(): vscode.Disposable {
    let timer: NodeJS.Timeout | undefined;
    const save = () => {
      timer = undefined;
      // Folders still loading keep their previous rows; folders no longer open are dropped.
      const open = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
      const previous = this.options.context.workspaceState.get<RowCache>(ROW_CACHE_KEY) ?? {};
      const rows: RowCache = Object.fromEntries(Object.entries(previous).filter(([folder]) => open.has(folder)));
      for (const f of this.options.store.folders()) {
        const kept = toCachedRows(f.tasks);
        if (kept) rows[f.folder] = kept;
      }
      if (Object.keys(rows).length) void this.options.context.workspaceState.update(ROW_CACHE_KEY, rows);
    };
    let first = true;
    const subscription = this.options.store.onDidChange(() => {
      // The first complete list is kept at once (a window closed soon after opening still leaves it).
      if (first && loadStage(this.options.store) === 'history' && this.options.store.tasks().length) {
        first = false;
        save();
        return;
      }
      timer ??= setTimeout(save, ROW_CACHE_SAVE_MS);
    });
    return { dispose: () => { subscription.dispose(); if (timer) { clearTimeout(timer); save(); } } };
  }

  dispose(): void {
    for (const t of this.reloadTimers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  /** Stops every service (deactivate waits for this: runs end recorded, the lease is released). */
  async stopAll(): Promise<void> {
    await this.firstStart?.catch(() => undefined);
    await this.options.workspaces.stopAll();
  }
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** Whether a folder's config names a store (read as written: a bad one still means "a cluster", never "run here"). */
function isClusterFolder(dir: string): boolean {
  try {
    return !!configuredStore(dir);
  } catch {
    return false;
  }
}
