// The extension's folder services, one per workspace folder (multi-root: each folder its own config,
// tasks, history and executor lease, or its cluster). Views and commands reach the core only through this registry.
import * as vscode from 'vscode';
import type { ServiceEvent } from '../core/service/workspaceService';
import type { FolderService } from './folderService';

export interface WorkspaceEvent {
  folder: string;
  event: ServiceEvent;
}

export class Workspaces implements vscode.Disposable {
  private readonly services = new Map<string, FolderService>();
  private readonly unsubscribe = new Map<string, () => void>();
  private readonly emitter = new vscode.EventEmitter<WorkspaceEvent>();
  /** Every event of every folder's service, tagged with its folder. */
  readonly onEvent = this.emitter.event;

  list(): FolderService[] {
    return [...this.services.values()];
  }

  get(folder: string): FolderService | undefined {
    return this.services.get(folder);
  }

  /** The service that owns a task id (ids are unique per folder; the first folder wins on a clash). */
  byTask(taskId: string): FolderService | undefined {
    return this.list().find((s) => s.plan?.tasks.some((t) => t.spec.id === taskId) || s.plan?.invalid.some((t) => t.id === taskId));
  }

  add(service: FolderService): void {
    this.services.set(service.folder, service);
    this.unsubscribe.set(service.folder, service.onEvent((event) => this.emitter.fire({ folder: service.folder, event })));
  }

  async remove(folder: string): Promise<void> {
    const service = this.services.get(folder);
    this.services.delete(folder);
    this.unsubscribe.get(folder)?.();
    this.unsubscribe.delete(folder);
    await service?.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.services.keys()].map((f) => this.remove(f)));
  }

  dispose(): void {
    void this.stopAll();
    this.emitter.dispose();
  }
}
