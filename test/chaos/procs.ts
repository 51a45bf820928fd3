// What the process-level checks share: a throw-away workspace with its own TASK_SCHEDULER_HOME, the
// built CLI (`dist/cli.js`) started as real `task-scheduler` processes, their output, the history read
// back through `history --json`, and cleanup of every process a check started (and what those left).
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunRecord } from '../../src/core/ports';

export const ROOT = path.join(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

let built = false;
/** `npm run test:chaos` builds first; the quick form under mocha builds once if dist/ is missing. */
export function ensureBuilt(): void {
  if (built) return;
  const needed = ['cli.js', 'runner.js', 'store-worker.js', 'sql-wasm.wasm'].map((f) => path.join(ROOT, 'dist', f));
  if (needed.some((f) => !fs.existsSync(f))) execFileSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'ignore' });
  built = true;
}

export interface Workspace {
  base: string;
  ws: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

export interface LeaseTimings { heartbeatMs: number; ttlMs: number }

/** A workspace folder with `files` (relative path → text), and an environment that keeps its data apart. */
export function makeWorkspace(prefix: string, files: Record<string, string>, lease?: LeaseTimings): Workspace {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `ts-chaos-${prefix}-`));
  const ws = path.join(base, 'ws');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  }
  fs.mkdirSync(ws, { recursive: true });
  const home = path.join(base, 'home');
  const env: NodeJS.ProcessEnv = { ...process.env, TASK_SCHEDULER_HOME: home };
  delete env.TASK_SCHEDULER_LEASE_HEARTBEAT_MS;
  delete env.TASK_SCHEDULER_LEASE_TTL_MS;
  if (lease) {
    env.TASK_SCHEDULER_LEASE_HEARTBEAT_MS = String(lease.heartbeatMs);
    env.TASK_SCHEDULER_LEASE_TTL_MS = String(lease.ttlMs);
  }
  return { base, ws, home, env };
}

/** The workspace's data folder (there is exactly one under the check's own home). */
export function dataDirOf(w: Workspace): string | undefined {
  try {
    const [dir] = fs.readdirSync(path.join(w.home, 'workspaces'));
    return dir ? path.join(w.home, 'workspaces', dir) : undefined;
  } catch {
    return undefined;
  }
}

export function leaseHolderPid(w: Workspace): number | undefined {
  const dir = dataDirOf(w);
  if (!dir) return undefined;
  try {
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'executor.lease'), 'utf8')) as { owner?: { pid?: number }; expiresAt?: number };
    return record.owner?.pid;
  } catch {
    return undefined;
  }
}

export type Spawner = (cmd: string, args: string[], opts: SpawnOptions) => ChildProcess;

/** A running `task-scheduler run`, with everything it printed. */
export class RunProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  out = '';
  exited = false;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: Array<() => void> = [];

  /** `spawnWith` starts it elsewhere, e.g. inside a network namespace (netns.ts exec), keeping its own pid. */
  constructor(w: Workspace, extraArgs: string[] = [], spawnWith: Spawner = (cmd, args, opts) => spawn(cmd, args, opts)) {
    this.child = spawnWith(process.execPath, [CLI, 'run', '--workspace', w.ws, ...extraArgs], { env: w.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.child.pid!;
    const onData = (d: Buffer) => {
      this.out += String(d);
      for (const w of this.waiters.splice(0)) w();
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exit = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      this.exited = true;
      for (const w of this.waiters.splice(0)) w();
      resolve({ code, signal });
    }));
  }

  /** Resolves when the output matches `re` (from `from` on); rejects after `ms` or when the process ends. */
  async waitFor(re: RegExp, ms: number, from = 0): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      if (re.test(this.out.slice(from))) return;
      if (this.exited) throw new Error(`process ${this.pid} exited before printing ${re}:\n${tail(this.out)}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${re} from ${this.pid}:\n${tail(this.out)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** Sends `signal` (SIGKILL after `ms` if it has not ended) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGINT', ms = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exited) {
      const t = setTimeout(() => { if (!this.exited) this.child.kill('SIGKILL'); }, ms);
      this.child.kill(signal);
      try { return await this.exit; } finally { clearTimeout(t); }
    }
    return this.exit;
  }
}

export function tail(s: string, lines = 30): string {
  return s.split('\n').slice(-lines).join('\n');
}

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** One CLI command, asynchronously (the check's own timers and pipes keep going meanwhile). */
export function cli(w: Workspace, args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--workspace', w.ws], { env: w.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

/** Every run in the history, newest first, read the way a user would (`history --json`). Throws when the command fails. */
export async function historyRuns(w: Workspace, task?: string): Promise<RunRecord[]> {
  const r = await cli(w, ['history', ...(task ? [task] : []), '--limit', '1000000', '--json']);
  if (r.code !== 0) throw new Error(`history --json exited ${r.code}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as RunRecord[];
}

/** Pids of every live descendant of `pid` (from /proc), children first. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch { /* gone meanwhile */ }
  }
  const out: number[] = [];
  const walk = (p: number) => { for (const c of children.get(p) ?? []) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

/** Whether a pid is alive and not a zombie. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Pids whose command line mentions `marker` (a temp folder unique to one check): what a check's processes left behind. */
export function processesMentioning(marker: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if ((cmd.includes(marker) || cwd.startsWith(marker)) && alive(Number(entry))) out.push(Number(entry));
    } catch { /* gone, or not ours to read */ }
  }
  return out;
}

/** SIGKILL each pid this check started (directly or through the processes it started). */
export function killPids(pids: Iterable<number>): void {
  for (const pid of pids) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CHAOS_KEEP=1 keeps the folders for a post-mortem. */
export function removeWorkspace(w: Workspace): void {
  if (process.env.CHAOS_KEEP) { console.log(`kept ${w.base}`); return; }
  fs.rmSync(w.base, { recursive: true, force: true });
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Starts `task-scheduler run` on `w`, waits until its output matches `started` (and a moment more), then
 * SIGKILLs it and watches every process left running in the workspace folder (a run's processes work
 * there). Resolves with how long they outlived the executor, or `left` when some still run after `ms`.
 */
export async function orphansAfterKill(w: Workspace, started: RegExp, ms: number): Promise<{ ranBefore: number; outlivedMs: number; left: number[] }> {
  const p = new RunProcess(w);
  await p.waitFor(started, 30_000);
  await sleep(400); // well inside the run
  const mine = () => processesMentioning(w.ws).filter((pid) => pid !== p.pid);
  const ranBefore = mine().length;
  p.child.kill('SIGKILL');
  await p.exit;
  const t0 = Date.now();
  while (mine().length && Date.now() - t0 < ms) await sleep(100);
  return { ranBefore, outlivedMs: Date.now() - t0, left: mine() };
}
