// kill -9 of a `task-scheduler run` executor at random moments during runs, then a restart, over and
// over; at the end a clean stop. After every kill: the history opens (`status --json` and
// `history --json` succeed, nothing moved aside), every run that was seen finished (in a `history
// --json` snapshot, or on the executor's stdout) is still there with its status; at the end no run is
// left `running`/`queued`, and every run that was interrupted while it ran got its retry (the task
// with retries) or none (the tasks without).
//
// Kill moments, in turn: at a random time inside (or just after) a run of the task with retries; right
// after a restarted executor printed an `interrupted` run (its retry must not be lost); right after
// the executor printed that a run finished (the run must already be durable); and at a random time
// during start-up (opening the history, marking interrupted runs, catching up).
import * as fs from 'fs';
import type { RunRecord } from '../../src/core/ports';
import type { ChaosCheck, ChaosOptions, ChaosResult } from './check';
import {
  cli, ensureBuilt, historyRuns, killPids, makeWorkspace, processesMentioning, removeWorkspace, RunProcess, sleep, tail,
  type Workspace,
} from './procs';

const FULL_KILLS = 50;
const QUICK_KILLS = 5;
/**
 * The task with retries takes LONG_RUN_MS. It runs on demand (`run-now`, handed to the executor), so a
 * kill can be aimed inside it, and no scheduled success can drop a pending retry (as the policy says
 * a success does) and blur what is checked.
 */
const LONG_RUN_MS = 2_500;
const LONG_RETRIES = 1_000;
/**
 * A runner whose executor died aborts its task and kills its own process group 5 s later (serve.ts
 * ORPHAN_GRACE_MS); 1.5 s for it to notice and for this check to look.
 */
const ORPHAN_LIMIT_MS = 6_500;

const FILES: Record<string, string> = {
  '.scheduler.yaml': [
    'concurrency: 4',
    // Nothing may be deleted by retention while the check counts runs.
    'history: { retentionDays: 3650, maxRunsPerTask: 1000000 }',
    'jobs:',
    '  tick: { command: "echo tick", schedule: "every 1 seconds" }',
    '  slow: { command: "sleep 0.3 && echo slow", schedule: "every 1 seconds" }',
    // Far longer than the time between kills: each kill orphans it, and its group must end with it.
    '  drag: { command: "sleep 30", schedule: "every 5 seconds" }',
    '',
  ].join('\n'),
  'quick.task.ts': 'export default { schedule: "every 1 seconds", async run() { return { at: Date.now() }; } };\n',
  'long.task.ts': [
    'export default {',
    '  schedule: "manual",',
    `  retries: { max: ${LONG_RETRIES}, backoff: "fixed", delay: "1s", jitter: false },`,
    '  async run(ctx: { attempt: number }) {',
    `    await new Promise((r) => setTimeout(r, ${LONG_RUN_MS}));`,
    '    return { attempt: ctx.attempt };',
    '  },',
    '};',
    '',
  ].join('\n'),
};
const RETRIES: Record<string, number> = { tick: 0, slow: 0, drag: 0, quick: 0, long: LONG_RETRIES };

const FINAL = ['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'missed'] as const;
/** `2026-01-01 10:00:00Z ✓ tick succeeded in 12ms`: what describeEvent prints for a finished run. */
// (`missed` is left out: the line announcing missed slots looks the same.)
const FINISHED_LINE = /^\S+ \S+ [✓✗·] (\S+) (succeeded|failed|timed-out|cancelled|skipped|interrupted)\b/gm;
const EXECUTING = /executing this workspace's tasks/;
/** A damaged history, as `run` reports it. */
const DAMAGE = /moved to|corrupt|could not be read|damaged|newer than/i;

type Moment = 'random' | 'after-finished' | 'after-interrupted' | 'start-up';
/** In this order: a random kill usually interrupts `long`, so the next restart has an interrupted run to retry. */
const MOMENTS: Moment[] = ['random', 'after-interrupted', 'after-finished', 'start-up'];

function finishedCounts(out: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of out.matchAll(FINISHED_LINE)) {
    if (m[2] === 'interrupted') continue; // re-announced at start for an earlier executor's run
    const key = `${m[1]} ${m[2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export const check: ChaosCheck = {
  name: 'kill-9',
  quickTimeoutMs: 90_000,
  async run({ full, log }: ChaosOptions): Promise<ChaosResult> {
    ensureBuilt();
    const kills = full ? FULL_KILLS : QUICK_KILLS;
    const w = makeWorkspace('kill9', FILES, { heartbeatMs: 500, ttlMs: 2_000 });
    const procs: RunProcess[] = [];
    const problems: string[] = [];
    /** Final runs seen in a snapshot while an executor ran: id → status. */
    const seenFinal = new Map<string, string>();
    let recovered = 0;
    /** Processes a killed executor had started: pid → when it was killed, and whether it is a runner. */
    const orphans = new Map<number, { killedAt: number; runner: boolean }>();
    let orphanRunners = 0;
    let orphanCommands = 0;
    let longestOrphanMs = 0;
    /** Forget those that ended; kill (and count) those that outlived their executor too long (or all, at the end). */
    const reapOrphans = (all: boolean) => {
      const live = new Set(processesMentioning(w.base));
      for (const [pid, o] of orphans) {
        const age = Date.now() - o.killedAt;
        if (live.has(pid)) longestOrphanMs = Math.max(longestOrphanMs, age);
        if (!live.has(pid)) orphans.delete(pid);
        else if (all || age > ORPHAN_LIMIT_MS) {
          if (o.runner) orphanRunners++; else orphanCommands++;
          killPids([pid]);
          orphans.delete(pid);
        }
      }
    };
    const moments: Record<Moment, number> = { random: 0, 'after-finished': 0, 'after-interrupted': 0, 'start-up': 0 };
    const watch = setInterval(() => reapOrphans(false), 250);
    try {
      for (let k = 0; k < kills; k++) {
        const p = new RunProcess(w);
        procs.push(p);
        let ok = true;
        const fail = (what: string) => { ok = false; problems.push(`kill ${k + 1}: ${what}`); };
        const moment = MOMENTS[k % MOMENTS.length];
        let used: Moment = 'random';
        // The restart must come up as the executor with a readable history.
        if (moment === 'start-up') {
          // While it opens the history, marks interrupted runs, catches up: the next restart must cope.
          await sleep(Math.random() * 1_200);
          used = 'start-up';
        } else try {
          await p.waitFor(moment === 'after-interrupted' ? /[✗] \S+ interrupted|executing this workspace's tasks/ : EXECUTING, 30_000);
        } catch (e) {
          fail(`the restarted executor did not start: ${(e as Error).message}`);
        }
        if (used === 'start-up') {
          // killed below
        } else if (moment === 'after-interrupted' && /[✗] \S+ interrupted/.test(p.out)) {
          used = 'after-interrupted'; // kill now, while the interrupted run's retry is being written
        } else {
          // A snapshot at some point while it runs: its finished runs must survive the kill.
          await sleep(100 + Math.random() * 800);
          try {
            for (const r of await historyRuns(w)) if ((FINAL as readonly string[]).includes(r.status)) seenFinal.set(r.id, r.status);
          } catch (e) {
            fail(`history --json failed while the executor ran: ${(e as Error).message}`);
          }
          const from = p.out.length;
          if (moment === 'after-finished') {
            used = await p.waitFor(/[✓✗] \S+ (succeeded|failed)/, 5_000, from).then(() => 'after-finished' as Moment, () => 'random' as Moment);
          } else {
            // Somewhere in (or just after) a run of the task with retries.
            const runNow = await cli(w, ['run-now', 'long']);
            if (runNow.code !== 0) fail(`run-now long exited ${runNow.code}: ${runNow.stderr}${runNow.stdout}`);
            // (Skipped when its retry from an earlier kill runs right now: the kill lands in that one.)
            await p.waitFor(/▶ long started|· long skipped/, 10_000, from).catch((e: Error) => fail(`${e.message}\nrun-now said: ${runNow.stdout}${runNow.stderr}`));
            // The first kill lands in the first half of the run, so even the quick form has an interrupted
            // run to retry (with two kills anywhere in or just after it, both missed it about 1 time in 36).
            await sleep(Math.random() * (k === 0 ? LONG_RUN_MS / 2 : LONG_RUN_MS + 500));
          }
        }
        moments[used]++;
        const before = processesMentioning(w.base).filter((pid) => pid !== p.pid);
        p.child.kill('SIGKILL');
        await p.exit;
        if (DAMAGE.test(p.out)) fail(`the executor reported a damaged history:\n${tail(p.out, 10)}`);

        // Whatever the executor had started: a runner aborts its task when its channel closes and
        // kills its own group ORPHAN_GRACE_MS later; a shell command's watcher sees its lifeline close and
        // ends the command's group (TERM, KILL after the same grace). Watched.
        const killedAt = Date.now();
        for (const pid of before) orphans.set(pid, { killedAt, runner: commandLine(pid).includes('runner.js') });
        await sleep(500);
        reapOrphans(false);

        // With no executor: the history opens for a viewer, and nothing finished was lost.
        const [status, hist] = await Promise.all([cli(w, ['status', '--json']), cli(w, ['history', '--limit', '1000000', '--json'])]);
        if (status.code !== 0) fail(`status --json exited ${status.code}: ${status.stderr}`);
        if (hist.code !== 0) fail(`history --json exited ${hist.code}: ${hist.stderr}`);
        if (DAMAGE.test(status.stderr + hist.stderr)) fail(`a viewer reported a damaged history: ${status.stderr}${hist.stderr}`);
        if (hist.code === 0) {
          const byId = new Map((JSON.parse(hist.stdout) as RunRecord[]).map((r) => [r.id, r]));
          for (const [id, st] of seenFinal) {
            const now = byId.get(id);
            if (!now || now.status !== st) fail(`finished run ${id} (${st}) is now ${now ? now.status : 'gone'}`);
          }
        }
        if (ok) recovered++;
        log(`kill ${k + 1}/${kills} (${used}): ${ok ? 'recovered' : 'NOT recovered'}; ${seenFinal.size} finished runs tracked`);
      }

      // Orphans still alive get the rest of their allowance before they are judged.
      while (orphans.size && Date.now() - Math.min(...[...orphans.values()].map((o) => o.killedAt)) <= ORPHAN_LIMIT_MS) {
        await sleep(250);
        reapOrphans(false);
      }
      reapOrphans(true);

      // The last restart, kept until every interrupted run's retry has run, then a clean stop.
      const last = new Run(w, procs);
      await last.p.waitFor(EXECUTING, 30_000).catch((e: Error) => problems.push(`the last executor did not start: ${e.message}`));
      const deadline = Date.now() + 60_000;
      for (;;) {
        const runs = await historyRuns(w, 'long');
        const missing = unretried(runs);
        const busy = runs.some((r) => r.status === 'running' || r.status === 'queued');
        if ((!missing.length && !busy) || Date.now() > deadline) break;
        await sleep(1_000);
      }
      const end = await last.p.stop('SIGINT');
      if (end.code !== 0) problems.push(`the clean stop exited ${end.code ?? end.signal}:\n${tail(last.p.out, 10)}`);

      // The figures, from the history as a user reads it.
      const runs = await historyRuns(w);
      const byId = new Map(runs.map((r) => [r.id, r]));
      let lost = 0;
      for (const [id, st] of seenFinal) if (byId.get(id)?.status !== st) lost++;
      // Every run an executor announced as finished on its stdout is in the history with that status.
      for (const p of procs) {
        const mine = runs.filter((r) => r.executor?.includes(`:${p.pid}:`));
        for (const [key, printed] of finishedCounts(p.out)) {
          const [taskId, st] = key.split(' ');
          const recorded = mine.filter((r) => r.taskId === taskId && r.status === st).length;
          if (recorded < printed) {
            lost += printed - recorded;
            problems.push(`pid ${p.pid} printed ${printed} × "${key}" but the history has ${recorded}`);
          }
        }
      }
      const stuck = runs.filter((r) => r.status === 'running' || r.status === 'queued');
      for (const r of stuck) problems.push(`run ${r.id} of ${r.taskId} left ${r.status}`);
      const interrupted = runs.filter((r) => r.status === 'interrupted' && r.startedAt !== undefined);
      const missing = unretried(runs);
      for (const r of missing) problems.push(`interrupted run ${r.id} of ${r.taskId} (attempt ${r.attempt}) was not retried`);
      const wrongRetries = runs.filter((r) => r.trigger === 'retry' && !RETRIES[r.taskId]);
      for (const r of wrongRetries) problems.push(`run ${r.id} of ${r.taskId} is a retry, but the task has none`);
      const retryable = interrupted.filter((r) => r.attempt <= (RETRIES[r.taskId] ?? 0));
      const leftovers = processesMentioning(w.base);
      if (leftovers.length) problems.push(`${leftovers.length} processes left after the clean stop`);
      killPids(leftovers);

      if (orphanRunners) problems.push(`${orphanRunners} runner processes outlived their killed executor by more than ${ORPHAN_LIMIT_MS} ms`);
      if (orphanCommands) problems.push(`${orphanCommands} shell processes outlived their killed executor by more than ${ORPHAN_LIMIT_MS} ms`);
      if (!retryable.length) problems.push('no kill interrupted a run of the task with retries: the retry path went unchecked');
      for (const pr of problems.slice(0, 20)) log(pr);
      const ok = recovered === kills && lost === 0 && stuck.length === 0 && missing.length === 0 && !wrongRetries.length
        && problems.length === 0;
      const line = `kill-9: ${recovered}/${kills} recovered, ${lost} finished runs lost (of ${seenFinal.size} seen), ${stuck.length} stuck, `
        + `${retryable.length} interrupted → ${retryable.length - missing.length} retried; ${runs.length} runs; `
        + `kills ${moments.random} random / ${moments['start-up']} at start-up / ${moments['after-finished']} after a finish / ${moments['after-interrupted']} after an interrupt; `
        + `orphans of a killed executor: longest seen alive ${(longestOrphanMs / 1000).toFixed(1)} s (${orphanRunners} runners and ${orphanCommands} shell processes over ${ORPHAN_LIMIT_MS / 1000} s)`
        + (problems.length ? `; first problem of ${problems.length}: ${problems[0]}` : '');
      return { ok, line };
    } finally {
      clearInterval(watch);
      for (const p of procs) if (!p.exited) p.child.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exit));
      killPids(processesMentioning(w.base));
      if (process.env.CHAOS_KEEP) for (const p of procs) fs.writeFileSync(`${w.base}/run-${p.pid}.log`, p.out);
      removeWorkspace(w);
    }
  },
};

/** A RunProcess that the cleanup also knows about. */
class Run {
  readonly p: RunProcess;
  constructor(w: Workspace, procs: RunProcess[]) {
    this.p = new RunProcess(w);
    procs.push(this.p);
  }
}

function commandLine(pid: number): string {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; }
}

/** Interrupted runs (that had started) of a task with retries left, with no retry attempt after them. */
function unretried(runs: RunRecord[]): RunRecord[] {
  // Oldest first on both sides, so each interrupted run is matched with the first retry after it.
  const retries = runs.filter((r) => r.trigger === 'retry').sort((a, b) => a.queuedAt - b.queuedAt);
  const used = new Set<string>();
  const out: RunRecord[] = [];
  for (const r of runs.filter((x) => x.status === 'interrupted' && x.startedAt !== undefined).sort((a, b) => a.queuedAt - b.queuedAt)) {
    if (r.attempt > (RETRIES[r.taskId] ?? 0)) continue;
    const retry = retries.find((x) => !used.has(x.id) && x.taskId === r.taskId && x.attempt === r.attempt + 1 && x.queuedAt >= (r.endedAt ?? 0));
    if (retry) used.add(retry.id);
    else out.push(r);
  }
  return out;
}
