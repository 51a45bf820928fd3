// What `task-scheduler run` watches for live reload: every folder of the workspace, each with its own
// plain fs.watch. Node's `recursive: true` on Linux (Node 20) watches each file by itself, and a file
// an editor saves atomically (a temp file renamed over it) is then forgotten: no later change to it is
// reported, and live reload silently stops for it. A folder's watch reports every entry written,
// created, renamed or removed in it, however the editor saves.
import * as fs from 'fs';
import * as path from 'path';

/** Folders never watched: dependencies and version control change often and hold no task files. */
const SKIP = new Set(['node_modules', '.git']);
/** After a rename, new and removed folders are looked for once the burst is over. */
const RESCAN_DEBOUNCE_MS = 100;

export interface FolderWatch {
  close(): void;
}

/** Calls `onChange` with the path (relative to `root`) of whatever changed under it. */
export function watchFolder(root: string, onChange: (relative: string) => void): FolderWatch {
  const watchers = new Map<string, fs.FSWatcher>();
  let closed = false;
  let rescan: NodeJS.Timeout | undefined;

  const rescanSoon = () => {
    clearTimeout(rescan);
    rescan = setTimeout(() => { if (!closed) scan(false); }, RESCAN_DEBOUNCE_MS);
  };

  const watchDir = (dir: string): boolean => {
    if (watchers.has(dir)) return false;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, (event, name) => {
        if (closed) return;
        onChange(path.relative(root, name ? path.join(dir, String(name)) : dir));
        if (event === 'rename') rescanSoon();
      });
    } catch {
      return false; // removed meanwhile, or not readable
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(dir);
      rescanSoon();
    });
    watchers.set(dir, watcher);
    return true;
  };

  /** Watches every folder not watched yet; a folder new since the last scan reports its files. */
  const scan = (initial: boolean) => {
    const seen = new Set<string>();
    const walk = (dir: string) => {
      seen.add(dir);
      const added = watchDir(dir);
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) { if (!SKIP.has(entry.name)) walk(full); } else if (added && !initial) onChange(path.relative(root, full));
      }
    };
    walk(root);
    for (const [dir, watcher] of watchers) {
      if (!seen.has(dir)) { watcher.close(); watchers.delete(dir); }
    }
  };

  scan(true);
  return {
    close() {
      closed = true;
      clearTimeout(rescan);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
