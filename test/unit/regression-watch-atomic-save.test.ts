// Regression (storm battery): `task-scheduler run` watched the workspace with Node's
// fs.watch(…, { recursive: true }), which on Linux (Node 20) watches each file by itself. After one
// atomic save of a file (a temp file renamed over it, as many editors and git do), no later change to
// that file was reported: live reload silently stopped, and the final state of an editing session never
// reached the executor. Every folder now has its own plain watch.
import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { watchFolder } from '../../src/cli/watchFolder';
import { defaultCacheDir } from '../../src/core/tasks/compile';

const root = path.join(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function atomicWrite(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

async function until(what: string, fn: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('regression: live reload after an atomic save', function () {
  this.timeout(90_000);
  let base: string;
  beforeEach(() => { base = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-atomic-')); });
  afterEach(() => {
    fs.rmSync(defaultCacheDir(path.join(base, 'ws')), { recursive: true, force: true });
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('the folder watch still sees a file saved in place after it was saved atomically, in the root and in a subfolder', async () => {
    fs.mkdirSync(path.join(base, 'tasks'));
    const config = path.join(base, '.scheduler.yaml');
    const task = path.join(base, 'tasks', 'a.task.ts');
    fs.writeFileSync(config, 'x');
    fs.writeFileSync(task, 'x');
    const seen: string[] = [];
    const watch = watchFolder(base, (name) => seen.push(name));
    try {
      await sleep(100);
      atomicWrite(config, 'atomic');
      atomicWrite(task, 'atomic');
      await sleep(300);
      seen.length = 0;
      fs.writeFileSync(config, 'in place');
      fs.writeFileSync(task, 'in place');
      await until('both in-place saves', () => seen.includes('.scheduler.yaml') && seen.includes(path.join('tasks', 'a.task.ts')), 5_000);
      // A folder made after the start is watched, and files already in it are reported.
      fs.mkdirSync(path.join(base, 'later'));
      fs.writeFileSync(path.join(base, 'later', 'b.task.ts'), 'x');
      await until('the new folder\'s file', () => seen.includes(path.join('later', 'b.task.ts')), 5_000);
      seen.length = 0;
      fs.writeFileSync(path.join(base, 'later', 'b.task.ts'), 'changed');
      await until('a change in the new folder', () => seen.includes(path.join('later', 'b.task.ts')), 5_000);
    } finally {
      watch.close();
    }
  });

  it('a real `run` applies an in-place save that follows an atomic save of .scheduler.yaml', async () => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'ignore' });
    const ws = path.join(base, 'ws');
    fs.mkdirSync(ws);
    const config = path.join(ws, '.scheduler.yaml');
    const job = (id: string) => `jobs:\n  ${id}: { command: "echo ${id}", schedule: "every 1 seconds" }\n`;
    fs.writeFileSync(config, job('first'));
    const env = { ...process.env, TASK_SCHEDULER_HOME: path.join(base, 'home') };
    const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'run', '--workspace', ws], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => { out += String(d); });
    child.stderr!.on('data', (d) => { out += String(d); });
    try {
      await until('first to run', () => out.includes('first succeeded'), 30_000);
      atomicWrite(config, job('second'));
      await until('second to run', () => out.includes('second succeeded'), 20_000);
      fs.writeFileSync(config, job('third'));
      await until(`third to run\n${out.slice(-2000)}`, () => out.includes('third succeeded'), 20_000);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    assert.ok(out.includes('third succeeded'));
  });
});
