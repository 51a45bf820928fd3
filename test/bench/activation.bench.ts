// Activation in the real code-server extension host, with the packaged extension (as users install it)
// on a generated workspace of 200 task files:
//   - activate() time (goal ≤ 30 ms): the extension registers everything and returns; the folders'
//     schedulers start after it. Peer: what activate() would cost if it awaited that start (activate +
//     the start, measured in the same window).
//   - time from activate() to the tree showing all 200 tasks, cold (first open: nothing compiled) and warm
//     (the window reloaded: compile cache, history and the last session's rows in place; goal ≤ 1 s), and
//     the two steps after it: rows read from the task files (the plan), and rows with their history.
//     Peer: `task-scheduler list` (the CLI plans the same folder in a fresh process), cold and warm.
//   - the VSIX size (goal ≤ 2 MB).
// The figures come from the extension's log (timings.ts), read after each window opened.
// Run: node -r ./test/register.js test/bench/activation.bench.ts   (expects `npm run build` to have made dist/)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/* eslint-disable @typescript-eslint/no-require-imports -- the harness is plain JavaScript */
const cs = require('../vscode/codeServer');
const browser = require('../vscode/browser');
const { packageVsix } = require('../../scripts/package');

const ROOT = path.resolve(__dirname, '../..');
const TASKS = Number(process.env.BENCH_TASKS || 200);
const GOAL_ACTIVATE_MS = 30;
/** Reloads measured warm; the median is reported (one reload can meet a burst of other work). */
const WARM_ROUNDS = Number(process.env.BENCH_WARM_ROUNDS || 3);
const GOAL_WARM_TREE_MS = 1_000;
const GOAL_VSIX_BYTES = 2 * 1024 * 1024;
/** Daily times spread over the day, so (nearly) no task runs while the bench measures: runs would load the machine. */
const dailyAt = (i: number) => `daily at ${String(i % 24).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`;

function makeWorkspace(dir: string): void {
  fs.mkdirSync(path.join(dir, 'tasks'), { recursive: true });
  for (let i = 1; i <= TASKS; i++) {
    const n = String(i).padStart(3, '0');
    fs.writeFileSync(path.join(dir, 'tasks', `t${n}.task.ts`), `import { defineTask } from "task-scheduler";
export default defineTask({
  name: "Task ${n}",
  schedule: "${dailyAt(i)}",
  tags: ["bench"],
  run(ctx) { ctx.log("task ${n}"); return { n: ${i} }; },
});
`);
  }
  // (a) of esbuild resolution: the workspace has esbuild, as many TypeScript projects do.
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'esbuild'), path.join(dir, 'node_modules', 'esbuild'), 'dir');
}

interface Figures { activateMs?: number; startedMs?: number; planMs?: number; askedMs?: number; treeMs?: number; filesMs?: number; loadedMs?: number; treeTasks: number }

/** The figures of the newest extension-host session's log. */
function readFigures(userData: string): Figures {
  const logs: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (e.name === 'Task Scheduler.log') logs.push(p);
    }
  };
  walk(path.join(userData, 'logs'));
  const newest = logs.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs).pop();
  const text = newest ? fs.readFileSync(newest, 'utf8') : '';
  const num = (re: RegExp) => { const m = re.exec(text); return m ? Number(m[1]) : undefined; };
  const stage = (re: RegExp) => [...text.matchAll(re)].map((m) => ({ n: Number(m[1]), ms: Number(m[2]) })).find((t) => t.n >= TASKS);
  const trees = [...text.matchAll(/tree shows (\d+) task\(s\) (?:as last seen )?(\d+) ms after activation/g)].map((m) => ({ n: Number(m[1]), ms: Number(m[2]) }));
  const full = trees.find((t) => t.n >= TASKS);
  const files = stage(/tree shows (\d+) task\(s\) from the task files (\d+) ms after activation/g);
  const loaded = stage(/tree shows (\d+) task\(s\) with their history (\d+) ms after activation/g);
  return {
    activateMs: num(/activate\(\) took ([\d.]+) ms/),
    startedMs: num(/started with \d+ task\(s\) (\d+) ms after activation/),
    planMs: num(/plan of \d+ task\(s\) loaded (\d+) ms after activation/),
    askedMs: num(/tree first asked for its rows (\d+) ms after activation/),
    treeMs: full?.ms,
    filesMs: files?.ms,
    loadedMs: loaded?.ms,
    treeTasks: trees.length ? trees[trees.length - 1].n : 0,
  };
}

async function waitForTree(userData: string, timeoutMs: number): Promise<Figures> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = readFigures(userData);
    if (f.treeMs !== undefined && f.filesMs !== undefined && f.loadedMs !== undefined && f.startedMs !== undefined) return f;
    if (Date.now() > deadline) throw new Error(`the tree did not show ${TASKS} tasks within ${timeoutMs / 1000} s (last: ${JSON.stringify(f)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function cliList(folder: string, home: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'list', '--workspace', folder],
    { env: { ...process.env, TASK_SCHEDULER_HOME: home }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!new RegExp(`${TASKS} task\\(s\\)`).test(r.stdout)) throw new Error(`list did not list ${TASKS} tasks:\n${r.stdout.slice(-500)}${r.stderr}`);
  return ms;
}

const fmt = (ms: number | undefined) => (ms === undefined ? '—' : `${ms.toFixed(ms < 100 ? 1 : 0)} ms`);

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) throw new Error('run `npm run build` first');
  const vsix = packageVsix(path.join(ROOT, 'out/bench/task-scheduler-bench.vsix'), { quiet: true });
  const vsixBytes = fs.statSync(vsix).size;
  const run = cs.createRun('bench');
  cs.installExtension(run, vsix);
  const folder = cs.copyWorkspace(run, undefined);
  makeWorkspace(folder);
  const home = path.join(run.dir, 'state');
  const server = await cs.startCodeServer(run, { env: { TASK_SCHEDULER_HOME: home } });
  const { context, page } = await browser.launch(run);
  let cold: Figures;
  const warms: Figures[] = [];
  try {
    await page.goto(browser.workbenchUrl(server, folder), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // Open the view so the tree is asked for its rows (the reloads below find it open, as a user's would be).
    await page.locator('.part.activitybar .action-item a.action-label[aria-label="Task Scheduler"]').click();
    cold = await waitForTree(run.userData, 180_000);
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Task 001' }).waitFor({ timeout: 60_000 });
    // Warm: the same window reloaded — a new extension host, compile cache and history in place.
    for (let round = 0; round < WARM_ROUNDS; round++) {
      await page.waitForTimeout(2_000);
      const before = readFigures(run.userData);
      await page.reload({ waitUntil: 'domcontentloaded' });
      const deadline = Date.now() + 120_000;
      let warm: Figures;
      for (;;) {
        warm = readFigures(run.userData);
        const fresh = warm.activateMs !== before.activateMs || warm.treeMs !== before.treeMs;
        if (fresh && warm.treeMs !== undefined && warm.filesMs !== undefined && warm.loadedMs !== undefined && warm.startedMs !== undefined) break;
        if (Date.now() > deadline) throw new Error(`no warm figures (last: ${JSON.stringify(warm)})`);
        await new Promise((r) => setTimeout(r, 250));
      }
      warms.push(warm);
      await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Task 001' }).waitFor({ timeout: 60_000 });
    }
    await browser.screenshot(page, 'bench-activation-200');
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
  }
  // The median warm window, by its tree time (the figures of one window stay together).
  const warm = [...warms].sort((a, b) => (a.treeMs ?? Infinity) - (b.treeMs ?? Infinity))[Math.floor(warms.length / 2)];
  const listCold = cliList(folder, path.join(run.dir, 'cli-state'));
  const listWarm = cliList(folder, path.join(run.dir, 'cli-state'));

  console.log(`activation with ${TASKS} task files (code-server ${cs.VERSION}, packaged extension, esbuild from the workspace)`);
  console.log(`  activate()                      cold ${fmt(cold.activateMs)}   warm ${fmt(warm.activateMs)}   (goal ≤ ${GOAL_ACTIVATE_MS} ms)`);
  console.log(`  peer: activate() awaiting start cold ${fmt((cold.activateMs ?? 0) + (cold.startedMs ?? 0))}   warm ${fmt((warm.activateMs ?? 0) + (warm.startedMs ?? 0))}`);
  console.log(`  tree lists ${TASKS} tasks after it   cold ${fmt(cold.treeMs)}   warm ${fmt(warm.treeMs)}   (goal warm ≤ ${GOAL_WARM_TREE_MS} ms; warm: the rows as last seen, then re-read)`);
  console.log(`  … read from the task files      cold ${fmt(cold.filesMs)}   warm ${fmt(warm.filesMs)}   (the plan: name, schedule, next run; plan ready at cold ${fmt(cold.planMs)}, warm ${fmt(warm.planMs)})`);
  console.log(`  … with their history            cold ${fmt(cold.loadedMs)}   warm ${fmt(warm.loadedMs)}   (state, last result: once the history is open)`);
  console.log(`    (the workbench first asked the view for rows: cold ${fmt(cold.askedMs)}, warm ${fmt(warm.askedMs)})`);
  console.log(`  schedulers started after it     cold ${fmt(cold.startedMs)}   warm ${fmt(warm.startedMs)}`);
  console.log(`  peer: task-scheduler list       cold ${fmt(listCold)}   warm ${fmt(listWarm)}   (a fresh process planning the same folder)`);
  console.log(`  warm rounds (lists / from files / with history, ms): ${warms.map((w) => `${w.treeMs}/${w.filesMs}/${w.loadedMs}`).join('  ')}; load average ${require('os').loadavg().map((l: number) => l.toFixed(1)).join(' ')}`);
  console.log(`  VSIX (this build's dist/)       ${(vsixBytes / 1024).toFixed(0)} KiB   (goal ≤ ${GOAL_VSIX_BYTES / 1024 / 1024} MB)`);
  const misses = [
    (warm.activateMs ?? Infinity) > GOAL_ACTIVATE_MS && 'activate()',
    (warm.treeMs ?? Infinity) > GOAL_WARM_TREE_MS && 'warm tree',
    vsixBytes > GOAL_VSIX_BYTES && 'VSIX size',
  ].filter(Boolean);
  if (misses.length) console.log(`  over goal: ${misses.join(', ')}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
