import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dataRoot, workspaceDataDir, type DataRootHost } from '../../src/core/paths';

/** A host of another OS, with the folders that exist listed. */
function host(platform: NodeJS.Platform, home: string, env: NodeJS.ProcessEnv = {}, existing: string[] = []): DataRootHost {
  return { env, platform, home, exists: (d) => existing.includes(d) };
}

describe('data paths', () => {
  it('honours TASK_SCHEDULER_HOME first, on every OS', () => {
    assert.strictEqual(dataRoot({ TASK_SCHEDULER_HOME: '/x' }), '/x');
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      assert.strictEqual(dataRoot(undefined, host(platform, '/home/u', { TASK_SCHEDULER_HOME: '/x', XDG_STATE_HOME: '/s', LOCALAPPDATA: 'C:\\L' })), '/x');
    }
  });

  it('Linux: $XDG_STATE_HOME, else ~/.local/state', () => {
    assert.strictEqual(dataRoot(undefined, host('linux', '/home/u', { XDG_STATE_HOME: '/s' })), '/s/task-scheduler');
    assert.strictEqual(dataRoot(undefined, host('linux', '/home/u')), '/home/u/.local/state/task-scheduler');
    assert.strictEqual(dataRoot(undefined, host('freebsd', '/home/u')), '/home/u/.local/state/task-scheduler');
  });

  it('macOS: ~/Library/Application Support', () => {
    assert.strictEqual(dataRoot(undefined, host('darwin', '/Users/u')), '/Users/u/Library/Application Support/task-scheduler');
    // XDG_STATE_HOME set by a user's shell does not move macOS data, unless the data is already there.
    assert.strictEqual(dataRoot(undefined, host('darwin', '/Users/u', { XDG_STATE_HOME: '/s' })), '/Users/u/Library/Application Support/task-scheduler');
  });

  it('Windows: %LOCALAPPDATA%, else ~\\AppData\\Local', () => {
    assert.strictEqual(dataRoot(undefined, host('win32', 'C:\\Users\\u', { LOCALAPPDATA: 'D:\\Local' })), 'D:\\Local\\task-scheduler');
    assert.strictEqual(dataRoot(undefined, host('win32', 'C:\\Users\\u')), 'C:\\Users\\u\\AppData\\Local\\task-scheduler');
  });

  it('keeps using a folder at the old place (~/.local/state) when the OS place has none', () => {
    const oldMac = '/Users/u/.local/state/task-scheduler';
    assert.strictEqual(dataRoot(undefined, host('darwin', '/Users/u', {}, [oldMac])), oldMac);
    assert.strictEqual(dataRoot(undefined, host('darwin', '/Users/u', { XDG_STATE_HOME: '/s' }, ['/s/task-scheduler'])), '/s/task-scheduler');
    const oldWin = 'C:\\Users\\u\\.local\\state\\task-scheduler';
    assert.strictEqual(dataRoot(undefined, host('win32', 'C:\\Users\\u', { LOCALAPPDATA: 'C:\\L' }, [oldWin])), oldWin);
    // Both exist (the new place was started since): the new place wins, the old one is not read twice.
    const newMac = '/Users/u/Library/Application Support/task-scheduler';
    assert.strictEqual(dataRoot(undefined, host('darwin', '/Users/u', {}, [oldMac, newMac])), newMac);
  });

  it('finds the old place on the real file system', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-home-'));
    const real = (platform: NodeJS.Platform): DataRootHost => ({ env: {}, platform, home, exists: (d) => fs.existsSync(d) });
    assert.strictEqual(dataRoot(undefined, real('darwin')), path.join(home, 'Library/Application Support/task-scheduler'));
    fs.mkdirSync(path.join(home, '.local/state/task-scheduler/workspaces'), { recursive: true });
    assert.strictEqual(dataRoot(undefined, real('darwin')), path.join(home, '.local/state/task-scheduler'));
    fs.rmSync(home, { recursive: true, force: true });
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
