import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dataRoot, workspaceDataDir } from '../../src/core/paths';

describe('data paths', () => {
  it('honours TASK_SCHEDULER_HOME, then XDG_STATE_HOME', () => {
    assert.strictEqual(dataRoot({ TASK_SCHEDULER_HOME: '/x' }), '/x');
    assert.strictEqual(dataRoot({ XDG_STATE_HOME: '/s' }), '/s/task-scheduler');
  });
  it('gives one folder per workspace, the same through a symlink', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-paths-'));
    const a = path.join(tmp, 'proj a'); fs.mkdirSync(a);
    const b = path.join(tmp, 'other'); fs.mkdirSync(b);
    fs.symlinkSync(a, path.join(tmp, 'link'));
    const env = { TASK_SCHEDULER_HOME: '/root-x' };
    assert.strictEqual(workspaceDataDir(path.join(tmp, 'link'), env), workspaceDataDir(a, env));
    assert.notStrictEqual(workspaceDataDir(a, env), workspaceDataDir(b, env));
    assert.match(workspaceDataDir(a, env), /^\/root-x\/workspaces\/proj_a-[0-9a-f]{12}$/);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
