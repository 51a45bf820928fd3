import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_TASK_EXCLUDES, discoverTaskFiles, taskIdOf } from '../../src/core/tasks/discover';

function tree(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-discover-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), 'export default {}\n');
  }
  return dir;
}
const rel = (dir: string, files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));

describe('tasks: discovery', () => {
  it('finds *.task.ts anywhere except the default excludes, sorted', async () => {
    const dir = tree([
      'b.task.ts', 'scripts/nightly-backup.task.ts', 'scripts/helper.ts', 'deep/a/b/c.task.ts',
      'node_modules/pkg/x.task.ts', 'sub/node_modules/y.task.ts', 'out/o.task.ts', 'dist/d.task.ts', 'build/b.task.ts',
      '.vscode-test/v.task.ts', 'coverage/c.task.ts', '.git/g.task.ts', '.hidden/h.task.ts', 'notes.task.tsx',
    ]);
    assert.deepStrictEqual(rel(dir, await discoverTaskFiles(dir)), ['b.task.ts', 'deep/a/b/c.task.ts', 'scripts/nightly-backup.task.ts']);
  });

  it('never reads an excluded directory', async () => {
    const dir = tree(['a.task.ts', 'node_modules/x.task.ts']);
    // An unreadable node_modules would still be fine; here: if it were entered, its task would be found.
    fs.writeFileSync(path.join(dir, 'node_modules', 'y.task.ts'), '');
    const seen: string[] = [];
    const orig = fs.promises.readdir;
    (fs.promises as { readdir: unknown }).readdir = ((p: string, o: unknown) => { seen.push(p); return (orig as Function)(p, o); });
    try {
      await discoverTaskFiles(dir);
    } finally {
      (fs.promises as { readdir: unknown }).readdir = orig;
    }
    assert.deepStrictEqual(seen.map((p) => path.relative(dir, p)), ['']);
  });

  it('takes include and exclude globs', async () => {
    const dir = tree(['jobs/a.ts', 'jobs/legacy/b.ts', 'other/c.ts', 'x.task.ts', '.config/tasks/d.task.ts']);
    assert.deepStrictEqual(rel(dir, await discoverTaskFiles(dir, { include: ['jobs/**/*.ts'], exclude: ['jobs/legacy/**'] })), ['jobs/a.ts']);
    assert.deepStrictEqual(rel(dir, await discoverTaskFiles(dir, { include: ['.config/**/*.task.ts'] })), ['.config/tasks/d.task.ts']);
  });

  it('does not follow symbolic links to directories', async () => {
    const dir = tree(['real/a.task.ts']);
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
    fs.symlinkSync(dir, path.join(dir, 'real', 'loop'));
    assert.deepStrictEqual(rel(dir, await discoverTaskFiles(dir)), ['real/a.task.ts']);
  });

  it('returns nothing for a missing folder', async () => {
    assert.deepStrictEqual(await discoverTaskFiles(path.join(os.tmpdir(), 'does-not-exist-' + Date.now())), []);
  });

  it('names a task by its workspace-relative path without .task.ts', () => {
    assert.strictEqual(taskIdOf('/ws', '/ws/scripts/nightly-backup.task.ts'), 'scripts/nightly-backup');
    assert.strictEqual(taskIdOf('/ws', '/ws/top.task.ts'), 'top');
    assert.strictEqual(taskIdOf('/ws', '/ws/jobs/plain.ts'), 'jobs/plain');
  });

  it('excludes dependencies and build output by default', () => {
    for (const d of ['node_modules', '.git', 'out', 'dist', 'build', '.vscode-test', 'coverage']) {
      assert.ok(DEFAULT_TASK_EXCLUDES.includes(`**/${d}/**`), d);
    }
  });
});
