// A VS Code window onto a cluster of 200 tasks, in the real code-server workbench, on a real PostgreSQL
// with two `task-scheduler run` members:
//   - time from a run's end on a member to its row in the window's tree (goal p99 ≤ 500 ms): a task that
//     runs every second; the extension logs (with TASK_SCHEDULER_TIMINGS_CLUSTER) when the workbench first
//     draws its row with each new run. A run whose row was never drawn (a newer one came first) counts
//     until a newer run's row was.
//   - the window's idle cost while it shows the 200 tasks and nothing runs: statements it sends a minute
//     (counted by PostgreSQL itself, pg_stat_statements, for the window's own role) and CPU ms a minute of
//     its extension host (from /proc; VS Code's own idle work included).
// Peer, in the same run and at the same time: a second window on the same folder that keeps the same view
// fresh by reading every 5 s instead of on NOTIFY (TASK_SCHEDULER_CLUSTER_VIEW_POLL_MS=5000), with a role
// of its own.
// Run: npm run bench cluster-window   (expects `npm run build` to have made dist/)
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { startCluster } from '../vscode/clusterSetup';
import { PG_PASSWORD } from '../pg/server';

/* eslint-disable @typescript-eslint/no-require-imports -- the harness is plain JavaScript */
const cs = require('../vscode/codeServer');
const browser = require('../vscode/browser');

const ROOT = path.resolve(__dirname, '../..');
const TASKS = Number(process.env.BENCH_TASKS || 200);
/** Runs of the ticking task measured (one a second). */
const SAMPLES_S = Number(process.env.BENCH_SAMPLES_S || 60);
const IDLE_S = Number(process.env.BENCH_IDLE_S || 60);
const GOAL_P99_MS = 500;
const TICK = 'a-tick';
/** Daily times spread over the day, so (nearly) none of the 200 runs while the bench measures. */
const dailyAt = (i: number) => `daily at ${String(i % 24).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`;

function files(): Record<string, string> {
  const jobs = Array.from({ length: TASKS }, (_, i) => `  t${String(i + 1).padStart(3, '0')}: { command: "echo ${i + 1}", schedule: "${dailyAt(i + 1)}" }`);
  // Named to sort first: its row is on screen, where the workbench draws it.
  jobs.unshift(`  ${TICK}: { name: "A tick", command: "echo tick", schedule: "every second" }`);
  return { '.scheduler.yaml': `concurrency: 10\nSTORE\njobs:\n${jobs.join('\n')}\n` };
}

const clockTick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 1000 / clockTick; // utime, stime
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)];
}

/** The extension's "cluster run … in the tree N ms" lines, in order. */
function treeLags(userData: string): Array<{ run: string; ms: number }> {
  const out: Array<{ run: string; ms: number }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Task Scheduler.log') for (const m of fs.readFileSync(p, 'utf8').matchAll(/cluster run (\S+) in the tree (-?\d+) ms after it ended/g)) out.push({ run: m[1], ms: Number(m[2]) });
    }
  };
  walk(path.join(userData, 'logs'));
  return out;
}

interface Window { name: string; role: string; run: { dir: string; userData: string }; server: { pid: number; stop(): Promise<void> }; context: { close(): Promise<void> }; host: number }

/** A code-server with the extension under development on `folder`, its Tasks view open, as `role`. */
async function openWindow(name: string, folder: string, url: string, role: string, extra: Record<string, string>, cluster: Record<string, string>): Promise<Window> {
  const run = cs.createRun(name);
  const roleUrl = url.replace(/\/\/postgres:[^@]*@/, `//${role}:${PG_PASSWORD}@`);
  const server = await cs.startCodeServer(run, { env: {
    ...cluster, TASK_SCHEDULER_TEST_DATABASE_URL: roleUrl, TASK_SCHEDULER_TIMINGS_CLUSTER: '1', TASK_SCHEDULER_HOME: path.join(run.dir, 'state'), ...extra,
  } });
  const { context, page } = await browser.launch(run);
  const payload = [['extensionDevelopmentPath', browser.remoteUri(server, ROOT)], ['skipWelcome', 'true']];
  await page.goto(browser.workbenchUrl(server, folder, payload), { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.part.activitybar .action-item a.action-label[aria-label^="Task Scheduler"]').click();
  await page.locator('.part.sidebar .monaco-list-row', { hasText: 'A tick' }).waitFor({ timeout: 120_000 });
  await page.locator('.part.sidebar .monaco-list-row', { hasText: 't001' }).waitFor({ timeout: 60_000 });
  const [host] = cs.extensionHostPids(server.pid);
  return { name, role, run, server, context, host };
}

/** Per run of the ticking task that ended in [from, to]: from its end until a row with it (or a newer run) was drawn. */
function lagsOf(w: Window, ended: Map<string, number>, from: number, to: number): number[] {
  const drawn = treeLags(w.run.userData).map((l) => ({ at: (ended.get(l.run) ?? NaN) + l.ms, endedAt: ended.get(l.run) ?? NaN })).filter((d) => !Number.isNaN(d.at));
  const out: number[] = [];
  for (const endedAt of ended.values()) {
    if (endedAt < from || endedAt > to) continue;
    const seen = drawn.filter((d) => d.endedAt >= endedAt).map((d) => d.at);
    if (seen.length) out.push(Math.min(...seen) - endedAt);
  }
  return out;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) throw new Error('run `npm run build` first');
  const base = cs.createRun('bench-cluster');
  const folder = cs.copyWorkspace(base, undefined);
  const setup = await startCluster({ folder, base: path.join(base.dir, 'cluster'), cluster: 'bench', files: files(), members: 2,
    pgSettings: { shared_preload_libraries: "'pg_stat_statements'" } });
  const db = 'bench';
  setup.pg.psql('CREATE EXTENSION pg_stat_statements', db);
  for (const role of ['window_role', 'peer_role']) {
    setup.pg.psql(`CREATE ROLE ${role} LOGIN PASSWORD '${PG_PASSWORD}'; GRANT USAGE ON SCHEMA task_scheduler TO ${role};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA task_scheduler TO ${role}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA task_scheduler TO ${role}`, db);
  }
  const calls = (role: string) => Number(setup.pg.psql(`SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = '${role}'`, db).trim());
  const endedRuns = () => new Map(setup.pg.psql(`SELECT id, ended_at FROM task_scheduler.runs WHERE cluster = 'bench' AND task_id = '${TICK}' AND ended_at IS NOT NULL`, db)
    .trim().split('\n').filter(Boolean).map((l) => { const [id, at] = l.split('|'); return [id, Number(at)] as [string, number]; }));
  const windows: Window[] = [];
  try {
    const listen = await openWindow('bench-cluster-listen', folder, setup.url, 'window_role', {}, setup.env);
    windows.push(listen);
    const poll = await openWindow('bench-cluster-poll', folder, setup.url, 'peer_role', { TASK_SCHEDULER_CLUSTER_VIEW_POLL_MS: '5000' }, setup.env);
    windows.push(poll);

    // ---- a run's end → its row in the tree ----
    await new Promise((r) => setTimeout(r, 5_000)); // settled: the first reads are done
    const from = Date.now();
    const busy0 = { window: calls('window_role'), peer: calls('peer_role') };
    await new Promise((r) => setTimeout(r, SAMPLES_S * 1000));
    const busy1 = { window: calls('window_role'), peer: calls('peer_role') };
    const to = Date.now() - 5_000; // every run in the range has had a poll after it
    await new Promise((r) => setTimeout(r, 1_000));
    const ended = endedRuns();
    const lags = lagsOf(listen, ended, from, to);
    const peerLags = lagsOf(poll, ended, from, to);

    // ---- idle: nothing runs, the 200 tasks stay on screen ----
    const paused = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'pause', TICK, '--workspace', folder],
      { env: { ...process.env, ...setup.env, TASK_SCHEDULER_HOME: path.join(base.dir, 'cli') }, stdio: 'ignore' });
    await new Promise((r) => paused.once('exit', r));
    await new Promise((r) => setTimeout(r, 10_000));
    const idle0 = { window: calls('window_role'), peer: calls('peer_role'), cpu: cpuMsOf(listen.host), peerCpu: cpuMsOf(poll.host) };
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    const idle1 = { window: calls('window_role'), peer: calls('peer_role'), cpu: cpuMsOf(listen.host), peerCpu: cpuMsOf(poll.host) };

    const perMin = (n: number, s: number) => (n * 60 / s).toFixed(1);
    const ms = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x)} ms`);
    console.log(`a window onto a cluster of ${TASKS + 1} tasks (code-server ${cs.VERSION}, 2 CLI members, PostgreSQL on loopback); peer: a second window reading every 5 s`);
    console.log(`  run end → its row in the tree    window p50 ${ms(percentile(lags, 50))}  p99 ${ms(percentile(lags, 99))}  max ${ms(Math.max(...lags))} (${lags.length} runs; goal p99 ≤ ${GOAL_P99_MS} ms)   peer p50 ${ms(percentile(peerLags, 50))}  p99 ${ms(percentile(peerLags, 99))}`);
    console.log(`  statements a minute, a run a second   window ${perMin(busy1.window - busy0.window, SAMPLES_S)}   peer ${perMin(busy1.peer - busy0.peer, SAMPLES_S)}`);
    console.log(`  idle, statements a minute        window ${perMin(idle1.window - idle0.window, IDLE_S)}   peer ${perMin(idle1.peer - idle0.peer, IDLE_S)}   (PostgreSQL's own count, by role)`);
    console.log(`  idle, extension host CPU ms a minute   window ${perMin(idle1.cpu - idle0.cpu, IDLE_S)}   peer ${perMin(idle1.peerCpu - idle0.peerCpu, IDLE_S)}   (VS Code's own idle work included in both)`);
    console.log(`  load average ${require('os').loadavg().map((l: number) => l.toFixed(1)).join(' ')}`);
    if (!lags.length || percentile(lags, 99) > GOAL_P99_MS) console.log('  over goal: run end → tree p99');
  } finally {
    for (const w of windows) {
      await w.context.close().catch(() => undefined);
      await w.server.stop();
    }
    await setup.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
