// Keeps the `when`-clause keys in step with the tasks, so the palette and menus offer only what
// applies (no Resume when nothing is paused). Each key is set only when its value changes.
import * as vscode from 'vscode';
import { setContext } from './context';
import type { ContextKey } from './ids';
import type { TaskStore } from './taskStore';
import { canCancel, canPause, hasRetries, isPausedItself } from './treeItems';

export function contextValues(store: TaskStore): Partial<Record<ContextKey, boolean>> {
  const tasks = store.tasks();
  const folders = store.folders();
  return {
    'taskScheduler.hasTasks': tasks.length > 0,
    'taskScheduler.hasPausable': tasks.some(canPause),
    'taskScheduler.hasPaused': tasks.some(isPausedItself),
    'taskScheduler.hasRunning': tasks.some(canCancel),
    'taskScheduler.hasRetries': tasks.some(hasRetries),
    'taskScheduler.pausedAll': folders.some((f) => f.pausedAll),
    // A cluster folder is watched, not "viewed": Take Over does not apply, Join Cluster does.
    'taskScheduler.viewer': folders.some((f) => f.role === 'viewer' && !f.cluster),
    'taskScheduler.cluster': folders.some((f) => !!f.cluster),
    'taskScheduler.clusterJoinable': folders.some((f) => f.cluster?.status === 'up' && !f.cluster.joined),
    'taskScheduler.clusterJoined': folders.some((f) => !!f.cluster?.joined),
  };
}

export function registerContextKeys(store: TaskStore): vscode.Disposable[] {
  const current = new Map<ContextKey, boolean>();
  const update = () => {
    for (const [key, value] of Object.entries(contextValues(store)) as Array<[ContextKey, boolean]>) {
      if (current.get(key) === value) continue;
      current.set(key, value);
      void setContext(key, value);
    }
  };
  update();
  return [store.onDidChange(update)];
}
