// Which rows of the Tasks view to redraw after the tasks changed. Redrawing the whole tree on every run
// event (with a task every few seconds, all the time) swallows clicks and inline actions: VS Code drops
// a click that lands while its row is being replaced (microsoft/vscode#153982, #144250). So only the rows
// whose task changed are redrawn, and the whole tree only when rows come, go or move. No `vscode` import.
import type { TreeGrouping } from './ids';
import { groupTasks, type TaskEntry } from './treeItems';

/** One task row and what it shows. */
export interface TreeRow {
  key: string;
  entry: TaskEntry;
  /** Changes exactly when the row's own data (and so its item or its runs) change. */
  signature: string;
}

export interface TreeGroup { key: string; label: string; icon: string; rows: string[] }

export interface TreeLayout {
  /** The top level in order: row keys, and groups with theirs. */
  top: Array<string | TreeGroup>;
  /** The top level as a string: when it changes, the whole tree is redrawn. */
  shape: string;
  rows: Map<string, TreeRow>;
}

/** Unique per row: a task with two tags has a row in each tag's group. */
export function rowKey(group: string | undefined, entry: TaskEntry): string {
  return JSON.stringify([group ?? '', entry.folder, entry.view.id]);
}

export function treeLayout(folders: ReadonlyArray<{ folder: string; name: string; tasks: TaskEntry[] }>, grouping: TreeGrouping): TreeLayout {
  const rows = new Map<string, TreeRow>();
  const add = (group: string | undefined, entry: TaskEntry) => {
    const key = rowKey(group, entry);
    rows.set(key, { key, entry, signature: JSON.stringify([entry.view, entry.pausedAll, entry.loading]) });
    return key;
  };
  const top = groupTasks(folders, grouping).map((g) => ('view' in g
    ? add(undefined, g)
    : { key: g.key, label: g.label, icon: g.icon, rows: g.tasks.map((t) => add(g.key, t)) }));
  return { top, shape: JSON.stringify(top), rows };
}

/** The keys of the rows to redraw going from `shown` to `next`, or 'all' when the rows themselves changed. */
export function rowsToRedraw(shown: TreeLayout | undefined, next: TreeLayout): string[] | 'all' {
  if (!shown || shown.shape !== next.shape) return 'all';
  return [...next.rows.values()].filter((r) => shown.rows.get(r.key)?.signature !== r.signature).map((r) => r.key);
}
