// An editor auto-save storm under a real executor: `.scheduler.yaml` and three task files rewritten
// 100 times a second for 10 s (quick: 3 s) while a real `task-scheduler run` (dist/cli.js) executes
// their one- and two-second schedules. Writes are in place or atomic (temp + rename), some leave a
// half-written or broken file, task files come and go; half of each second is one dense burst, the
// rest arrives after a pause long enough for the run's 300 ms debounce to start a reload mid-storm.
// The last writes are a known final state. Then:
//   - no crash: the process is alive, says nothing uncaught, and exits 0 on SIGINT; no process left;
//   - the final state wins: the run's last plan and `status --json` list exactly the final tasks, and
//     after settling each final task runs on its final schedule while the removed ones never run;
//   - no duplicate timers: no slot has two runs in the whole history, and after settling each slot of
//     each task has exactly one history row (a second timer would add one, a lost timer none);
//   - no leak: RSS and open file descriptors of the run process before and after, printed and bounded.
import * as fs from 'fs';
import * as path from 'path';
import type { RunRecord } from '../../src/core/ports';
import { defaultCacheDir } from '../../src/core/tasks/compile';
import type { ChaosCheck } from './check';
import {
  alive, cli, descendants, ensureBuilt, historyRuns, killPids, makeWorkspace, removeWorkspace, RunProcess, sleep, tail, type Workspace,
} from './procs';
import { prng } from './prng';

const WRITES_PER_SECOND = 100;
/** What a run may grow by over the storm. Reloads compile and read options in child processes; a leak of
 * one plan, watcher or timer per write would show as thousands of objects, far above this. */
const RSS_GROWTH_BAR_MB = 64;
const FD_GROWTH_BAR = 8;

const JOBS = ['j1', 'j2', 'j3', 'j4'];
const FILES = ['a', 'b', 'c'];
/** The last thing written: jobs j1 (1 s) and j3 (2 s), task files a (2 s) and c (1 s); j2, j4, b gone. */
const FINAL: Record<string, number> = { j1: 1, j3: 2, a: 2, c: 1 };

function configText(jobs: Record<string, number>): string {
  const lines = ['# written by the storm', 'defaults: { catchUp: latest, overlap: skip }', 'jobs:'];
  for (const [id, every] of Object.entries(jobs)) lines.push(`  ${id}: { command: "echo ${id}", schedule: "every ${every} seconds" }`);
  if (!Object.keys(jobs).length) lines.push('  {}');
  return `${lines.join('\n')}\n`;
}

function taskText(id: string, every: number): string {
  return `export default {\n  name: "${id}",\n  schedule: "every ${every} seconds",\n  async run() { return { id: "${id}" }; },\n};\n`;
}

/** Writes as an editor would: in place (truncate, write) or atomically (temp file, rename). */
function write(file: string, text: string, atomic: boolean): void {
  if (!atomic) { fs.writeFileSync(file, text); return; }
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function fds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** The run's plan lines ("12:00:01Z 4 task(s), 0 invalid"), with when this process saw each. */
interface PlanSeen { at: number; tasks: number; invalid: number }

async function storm(w: Workspace, seconds: number, rnd: () => number, log: (l: string) => void): Promise<{ writes: number; startedAt: number; lastWriteAt: number }> {
  const config = path.join(w.ws, '.scheduler.yaml');
  const file = (id: string) => path.join(w.ws, 'tasks', `${id}.task.ts`);
  let writes = 0;
  const one = () => {
    const atomic = rnd() < 0.5;
    if (rnd() < 0.5) {
      const jobs: Record<string, number> = {};
      for (const id of JOBS) if (rnd() < 0.6) jobs[id] = rnd() < 0.5 ? 1 : 2;
      let text = configText(jobs);
      if (rnd() < 0.1) text = text.slice(0, Math.floor(rnd() * text.length)); // saved mid-typing
      if (rnd() < 0.05) text += '  broken: { command: [\n';
      write(config, text, atomic);
    } else {
      const id = FILES[Math.floor(rnd() * FILES.length)];
      const r = rnd();
      if (r < 0.15) fs.rmSync(file(id), { force: true });
      else if (r < 0.3) write(file(id), taskText(id, 1).slice(0, 40), atomic); // half a file
      else write(file(id), taskText(id, rnd() < 0.5 ? 1 : 2), atomic);
    }
    writes++;
  };
  const started = Date.now();
  for (let s = 0; s < seconds; s++) {
    const secondStart = Date.now();
    const last = s === seconds - 1;
    const n = last ? WRITES_PER_SECOND - 4 : WRITES_PER_SECOND;
    // Even seconds: one write every 10 ms. Odd seconds: 60 writes in 300 ms, a 400 ms pause (the run's
    // 300 ms debounce ends and a reload starts), then the rest by the end of the second, racing it.
    for (let i = 0; i < n; i++) {
      if (s % 2 === 1 && i === 60) await sleep(400);
      const offset = s % 2 === 0 ? i * 10 : i < 60 ? i * 5 : 700 + (i - 60) * 7;
      const wait = secondStart + offset - Date.now();
      if (wait > 0) await sleep(wait);
      one();
    }
    if (last) {
      // The final state: the last four writes of the storm.
      write(config, configText({ j1: FINAL.j1, j3: FINAL.j3 }), false);
      write(file('a'), taskText('a', FINAL.a), true);
      fs.rmSync(file('b'), { force: true });
      write(file('c'), taskText('c', FINAL.c), false);
      writes += 4;
    }
    log(`storm second ${s + 1}: ${writes} writes so far`);
  }
  return { writes, startedAt: started, lastWriteAt: Date.now() };
}

function plansOf(out: string, seenAt: Map<number, number>): PlanSeen[] {
  const plans: PlanSeen[] = [];
  const re = /(\d+) task\(s\), (\d+) invalid/g;
  for (let m = re.exec(out); m; m = re.exec(out)) plans.push({ at: seenAt.get(m.index) ?? 0, tasks: Number(m[1]), invalid: Number(m[2]) });
  return plans;
}

export const check: ChaosCheck = {
  name: 'storm',
  quickTimeoutMs: 120_000,
  async run({ full, log }) {
    ensureBuilt();
    const seconds = full ? 10 : 3;
    const observeMs = full ? 8_000 : 5_000;
    const seed = Number(process.env.CHAOS_SEED) || Date.now() % 2 ** 31;
    const rnd = prng(seed);
    const files: Record<string, string> = { '.scheduler.yaml': configText(Object.fromEntries(JOBS.map((j) => [j, 1]))) };
    for (const id of FILES) files[`tasks/${id}.task.ts`] = taskText(id, 1);
    const w = makeWorkspace('storm', files);
    const problems: string[] = [];
    let run: RunProcess | undefined;
    const started = new Set<number>();
    try {
      run = new RunProcess(w, process.env.CHAOS_VERBOSE ? ['--verbose'] : []);
      started.add(run.pid);
      // When each plan line arrived, by its offset in the output.
      const seenAt = new Map<number, number>();
      let scanned = 0;
      const note = () => {
        const re = /\d+ task\(s\), \d+ invalid/g;
        re.lastIndex = scanned;
        for (let m = re.exec(run!.out); m; m = re.exec(run!.out)) if (!seenAt.has(m.index)) seenAt.set(m.index, Date.now());
        scanned = Math.max(scanned, run!.out.length - 40);
      };
      run.child.stdout!.on('data', note);
      run.child.stderr!.on('data', note);
      await run.waitFor(/executing this workspace's tasks/, 30_000);
      // Every task has run at least once: compiled, loaded, warm.
      await run.waitFor(/(?=[\s\S]*j4 succeeded)(?=[\s\S]*b succeeded)/, 30_000);
      await sleep(1_000);
      for (const pid of descendants(run.pid)) started.add(pid);
      const before = { rss: rssMb(run.pid), fds: fds(run.pid), children: descendants(run.pid).length };
      log(`before the storm: RSS ${before.rss.toFixed(0)} MB, ${before.fds} fds, ${before.children} child processes`);

      const { writes, startedAt: stormStart, lastWriteAt } = await storm(w, seconds, rnd, log);
      // Settled: a plan loaded after the debounce that follows the last write, then the next whole second.
      const settleBy = Date.now() + 30_000;
      let settledAt: number | undefined;
      while (Date.now() < settleBy && !run.exited) {
        note();
        const late = plansOf(run.out, seenAt).filter((p) => p.at > lastWriteAt);
        if (late.length) { settledAt = late[late.length - 1].at; break; }
        await sleep(100);
      }
      if (settledAt === undefined) problems.push(`no reload after the last write (${run.exited ? 'the run exited' : 'waited 30 s'})`);
      await sleep(1_500);
      const windowFrom = Math.ceil(Date.now() / 1000) * 1000;
      // `status --json` while the run executes: the tasks of the final files.
      const status = await cli(w, ['status', '--json']);
      if (status.code !== 0) problems.push(`status --json exited ${status.code}: ${status.stderr}`);
      else {
        const tasks = (JSON.parse(status.stdout) as { tasks: Array<{ id: string; schedule?: string; description?: string; state: string }> }).tasks;
        const ids = tasks.map((t) => t.id.replace(/^tasks\//, '')).sort();
        if (JSON.stringify(ids) !== JSON.stringify(Object.keys(FINAL).sort())) problems.push(`status lists ${JSON.stringify(ids)}, the final files ${JSON.stringify(Object.keys(FINAL).sort())}`);
        const invalid = tasks.filter((t) => t.state === 'invalid');
        if (invalid.length) problems.push(`status: invalid tasks ${invalid.map((t) => t.id).join(', ')}`);
      }
      await sleep(observeMs);
      const windowTo = Math.floor((Date.now() - 1_500) / 1000) * 1000;
      note();
      const plans = plansOf(run.out, seenAt);
      const lastPlan = plans[plans.length - 1];
      if (!lastPlan || lastPlan.tasks !== Object.keys(FINAL).length || lastPlan.invalid !== 0) {
        problems.push(`the run's last plan: ${lastPlan ? `${lastPlan.tasks} task(s), ${lastPlan.invalid} invalid` : 'none'}; expected ${Object.keys(FINAL).length} tasks, 0 invalid`);
      }
      const reloadsDuringStorm = plans.filter((p) => p.at > stormStart && p.at <= lastWriteAt).length;
      const after = { rss: rssMb(run.pid), fds: fds(run.pid), children: descendants(run.pid).length };
      for (const pid of descendants(run.pid)) started.add(pid);
      log(`after: RSS ${after.rss.toFixed(0)} MB, ${after.fds} fds, ${after.children} child processes; ${plans.length} plans loaded (${reloadsDuringStorm} during the storm)`);

      // Stop the run: it must still be alive, and end cleanly.
      const crashedDuringStorm = run.exited;
      const exit = await run.stop('SIGINT', 60_000);
      const uncaught = /Uncaught|UnhandledPromiseRejection|TypeError|RangeError|FATAL|Segmentation/.exec(run.out);
      const crashes = (crashedDuringStorm ? 1 : 0) + (exit.code !== 0 ? 1 : 0) + (uncaught ? 1 : 0);
      if (crashedDuringStorm) problems.push(`the run exited during the storm:\n${tail(run.out)}`);
      if (exit.code !== 0) problems.push(`the run exited ${exit.code ?? exit.signal} on SIGINT:\n${tail(run.out)}`);
      if (uncaught) problems.push(`the run printed "${uncaught[0]}":\n${tail(run.out.slice(Math.max(0, uncaught.index - 2000), uncaught.index + 2000))}`);
      await sleep(500);
      const left = [...started].filter((pid) => alive(pid));
      if (left.length) { problems.push(`${left.length} process(es) left running: ${left.join(', ')}`); killPids(left); }

      // History: no slot twice, ever; after settling, one row per slot of each final task, none of the removed.
      const runs = await historyRuns(w);
      const bySlot = new Map<string, RunRecord[]>();
      for (const r of runs) {
        if (r.trigger !== 'schedule' && r.trigger !== 'catch-up') continue;
        const key = `${r.taskId} ${r.scheduledFor}`;
        bySlot.set(key, [...(bySlot.get(key) ?? []), r]);
      }
      const duplicates = [...bySlot.values()].filter((rs) => rs.length > 1);
      for (const d of duplicates.slice(0, 5)) problems.push(`slot ran twice: ${d.map((r) => `${r.taskId} ${new Date(r.scheduledFor!).toISOString()} ${r.trigger} ${r.status}`).join(' | ')}`);
      let lostSlots = 0;
      let perSecond = '';
      for (const [id, every] of Object.entries(FINAL)) {
        const taskId = id.startsWith('j') ? id : `tasks/${id}`;
        const expected: number[] = [];
        for (let t = windowFrom; t <= windowTo; t += 1000) if ((t / 1000) % every === 0) expected.push(t);
        const rows = runs.filter((r) => r.taskId === taskId && (r.scheduledFor ?? 0) >= windowFrom && (r.scheduledFor ?? 0) <= windowTo);
        const slotsRun = new Set(rows.map((r) => r.scheduledFor));
        const lost = expected.filter((t) => !slotsRun.has(t));
        const foreign = rows.filter((r) => (r.scheduledFor! / 1000) % every !== 0);
        lostSlots += lost.length;
        if (lost.length) problems.push(`${taskId} (every ${every} s): no row for ${lost.length} of ${expected.length} slots after settling, e.g. ${new Date(lost[0]).toISOString()}`);
        if (foreign.length) problems.push(`${taskId} (every ${every} s): ran off its final schedule at ${foreign.map((r) => new Date(r.scheduledFor!).toISOString()).slice(0, 3).join(', ')}`);
        perSecond += ` ${id}:${(rows.length / ((windowTo - windowFrom) / 1000 + 1)).toFixed(2)}/s`;
      }
      const removed = runs.filter((r) => !Object.keys(FINAL).some((id) => r.taskId === id || r.taskId === `tasks/${id}`) && (r.scheduledFor ?? r.queuedAt) >= windowFrom);
      if (removed.length) problems.push(`removed tasks ran after settling: ${[...new Set(removed.map((r) => r.taskId))].join(', ')}`);
      log(`after settling (${(windowTo - windowFrom) / 1000 + 1} s):${perSecond}; history ${runs.length} rows, ${duplicates.length} duplicate slots, ${lostSlots} slots without a row`);
      const rssOk = after.rss - before.rss <= RSS_GROWTH_BAR_MB;
      const fdOk = after.fds - before.fds <= FD_GROWTH_BAR;
      if (!rssOk) problems.push(`RSS grew ${(after.rss - before.rss).toFixed(0)} MB (bar ${RSS_GROWTH_BAR_MB})`);
      if (!fdOk) problems.push(`open fds grew ${after.fds - before.fds} (bar ${FD_GROWTH_BAR})`);
      for (const p of problems) log(`FAIL ${p}`);
      if (problems.length) log(`the run's output (last lines):\n${tail(run.out.split("\n").filter((l) => !/succeeded|started \(|│/.test(l)).join("\n"), 80)}`);
      const line = `storm: ${writes} writes in ${((lastWriteAt - stormStart) / 1000).toFixed(1)} s (${reloadsDuringStorm} reloads during it), ${problems.some((p) => /plan|status|ran off|removed tasks|no reload/.test(p)) ? 'final state LOST' : 'final state wins'}, `
        + `${duplicates.length} duplicate slots, ${lostSlots} lost slots, run RSS ${before.rss.toFixed(0)}→${after.rss.toFixed(0)} MB, fds ${before.fds}→${after.fds}, ${crashes} crashes (seed ${seed})`;
      return { line, ok: problems.length === 0 };
    } catch (e) {
      return { line: `storm: failed: ${(e as Error).message}${run ? `\n${tail(run.out)}` : ''}`, ok: false };
    } finally {
      if (run && !run.exited) await run.stop('SIGKILL', 10_000);
      for (const pid of started) if (alive(pid)) killPids([pid]);
      // The run compiled the task files into the shared temp cache, under the workspace's hash.
      if (!process.env.CHAOS_KEEP) fs.rmSync(defaultCacheDir(w.ws), { recursive: true, force: true });
      removeWorkspace(w);
    }
  },
};
