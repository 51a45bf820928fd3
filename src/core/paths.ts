// Where a workspace's history and executor lease live. Every process that may execute a workspace's
// tasks — any VS Code window and the CLI — must find the same folder from the workspace path alone, so
// it is keyed by the folder's real path rather than by VS Code's per-window storage (which gets -1, -2
// suffixes when two windows open one folder, and which the CLI cannot see).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What the choice of the data root depends on; each part injectable so every platform can be tested anywhere. */
export interface DataRootHost {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  exists(dir: string): boolean;
}

const APP = 'task-scheduler';

function realHost(env: NodeJS.ProcessEnv): DataRootHost {
  return { env, platform: process.platform, home: os.homedir(), exists: (d) => fs.existsSync(d) };
}

/**
 * Root of all workspaces' data. `$TASK_SCHEDULER_HOME` first; else where the OS keeps such data:
 * Linux (and other Unixes) `$XDG_STATE_HOME/task-scheduler` (default `~/.local/state/task-scheduler`),
 * macOS `~/Library/Application Support/task-scheduler`, Windows `%LOCALAPPDATA%\task-scheduler`.
 * Versions before 0.1 used the XDG place on every OS: a folder found there (and none at the OS's place)
 * is used, so no history or lease is left behind.
 */
export function dataRoot(env: NodeJS.ProcessEnv = process.env, host: DataRootHost = realHost(env)): string {
  if (host.env.TASK_SCHEDULER_HOME) return host.env.TASK_SCHEDULER_HOME;
  const p = host.platform === 'win32' ? path.win32 : path.posix;
  const xdg = p.join(host.env.XDG_STATE_HOME || p.join(host.home, '.local', 'state'), APP);
  let native: string;
  if (host.platform === 'darwin') native = p.join(host.home, 'Library', 'Application Support', APP);
  else if (host.platform === 'win32') native = p.join(host.env.LOCALAPPDATA || p.join(host.home, 'AppData', 'Local'), APP);
  else return xdg;
  return !host.exists(native) && host.exists(xdg) ? xdg : native;
}

/** `<root>/workspaces/<folder name>-<hash of its real path>`: readable, and unique per folder. */
export function workspaceDataDir(workspaceFolder: string, env: NodeJS.ProcessEnv = process.env): string {
  let real = path.resolve(workspaceFolder);
  try { real = fs.realpathSync(real); } catch { /* not created yet: the resolved path is the key */ }
  const hash = crypto.createHash('sha256').update(real).digest('hex').slice(0, 12);
  const name = path.basename(real).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'root';
  return path.join(dataRoot(env), 'workspaces', `${name}-${hash}`);
}
