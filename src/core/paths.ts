// Where a workspace's history and executor lease live. Every process that may execute a workspace's
// tasks — any VS Code window and the CLI — must find the same folder from the workspace path alone, so
// it is keyed by the folder's real path rather than by VS Code's per-window storage (which gets -1, -2
// suffixes when two windows open one folder, and which the CLI cannot see).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Root of all workspaces' data: $TASK_SCHEDULER_HOME, else $XDG_STATE_HOME/task-scheduler, else ~/.local/state/task-scheduler. */
export function dataRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TASK_SCHEDULER_HOME) return env.TASK_SCHEDULER_HOME;
  const state = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(state, 'task-scheduler');
}

/** `<root>/workspaces/<folder name>-<hash of its real path>`: readable, and unique per folder. */
export function workspaceDataDir(workspaceFolder: string, env: NodeJS.ProcessEnv = process.env): string {
  let real = path.resolve(workspaceFolder);
  try { real = fs.realpathSync(real); } catch { /* not created yet: the resolved path is the key */ }
  const hash = crypto.createHash('sha256').update(real).digest('hex').slice(0, 12);
  const name = path.basename(real).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'root';
  return path.join(dataRoot(env), 'workspaces', `${name}-${hash}`);
}
