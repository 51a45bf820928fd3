// Schedules at the cursor: hover and completion latency over 1,000 varied schedules in task files, and the
// cost of the schedule warnings for a workspace of 1,000 tasks — each measured as the editor's providers do
// it (find what is under the cursor in the file's text, the task's zone, the words, next runs, DST note;
// every suggestion described with its next runs; the whole workspace read from text and checked), beside
// the approach of a cron explainer extension doing the same work with cronstrue + croner, in the same run.
//   npm run bench cursor
import * as os from 'os';
import { toString as cronstrue } from 'cronstrue';
import { Cron } from 'croner';
import { completionsFor, insertText, SCHEDULE_SUGGESTIONS } from '../../src/core/cursor/completion';
import { zoneChanges } from '../../src/core/cursor/dst';
import { HERD_HORIZON_DAYS } from '../../src/core/cursor/herds';
import { hoverFor } from '../../src/core/cursor/hover';
import { readStaticWorkspace, type SourceText } from '../../src/core/cursor/staticWorkspace';
import { taskFileContext } from '../../src/core/cursor/taskContext';
import { taskFileTarget } from '../../src/core/cursor/taskFileTargets';
import { scheduleWarnings } from '../../src/core/cursor/warnings';
import { parseSchedule } from '../../src/core/schedule';
import { machineZone } from '../../src/core/schedule/zone';
import { DAYS, variety, ZONES } from './variety';

const TASKS = 1000;
/** The issue's goals (13). */
const GOAL_HOVER_P99_MS = 20;
const GOAL_COMPLETION_P99_MS = 50;
const GOAL_WARNINGS_MS = 200;
const WARNING_ROUNDS = 7;
/** The peer's herd horizon (ours is HERD_HORIZON_DAYS): see peerWarnings. */
const PEER_HERD_DAYS = 1;

// Deterministic variety (mulberry32): every run measures the same mix.
const { pick, int, pad } = variety(0xc0ffee);
/** Cron and phrase forms (some with the mistakes the warnings are for); the peer gets each one's cron. */
const GENERATORS: Array<() => string> = [
  () => `${int(60)} ${int(24)} * * *`,
  () => `${int(60)} ${int(24)} * * ${1 + int(5)}-6`,
  () => `*/${pick([5, 10, 15, 20, 30])} * * * *`,
  () => `${int(60)} */${pick([2, 3, 4, 6])} * * *`,
  () => `${int(60)} ${int(24)} ${1 + int(28)} * *`,
  () => `0 ${int(60)} ${int(24)} L * *`,
  () => `${int(60)} ${int(24)} * * ${int(7)}#${1 + int(4)}`,
  () => `${int(60)} ${int(24)} 1,15 * 1`,
  () => `*/${pick([7, 9, 11])} * * * *`,
  () => `30 2 * * ${pick(['*', '0', '1-5'])}`,
  () => `every ${pick([1, 2, 5, 10, 15, 30])} minutes`,
  () => `every ${pick([2, 3, 4, 6, 12])} hours`,
  () => `daily at ${pad(int(24))}:${pad(int(60))}`,
  () => `hourly at :${pad(int(60))}`,
  () => `weekdays at ${pad(int(24))}:${pad(int(60))}`,
  () => `weekly on ${pick(DAYS)} at ${pad(int(24))}:${pad(int(60))}`,
  () => `monthly on ${1 + int(28)} at ${pad(int(24))}:${pad(int(60))}`,
  () => `twice daily at ${pad(int(12))}:00 and ${pad(12 + int(12))}:00`,
];

interface Case { id: string; file: SourceText; schedule: string; zone: string; cron: string; offset: number }

const cases: Case[] = Array.from({ length: TASKS }, (_, i) => {
  const schedule = pick(GENERATORS)();
  const zone = pick(ZONES);
  const parsed = parseSchedule(schedule, { timezone: zone });
  if (!parsed.ok) throw new Error(`${schedule}: ${parsed.error.message}`);
  const text = `import { defineTask } from "task-scheduler";

// Task ${i}: a chore that runs ${parsed.schedule.describe()}.
export default defineTask({
  name: "Task ${i}",
  description: "Bench task number ${i}",
  schedule: ${JSON.stringify(schedule)},
  timezone: "${zone}",
  timeout: "5m",
  retries: { max: 2, backoff: "exponential", delay: "30s" },
  overlap: "skip",
  tags: ["bench"],
  async run(ctx) {
    ctx.log("working on ${i}");
    return { ok: true };
  },
});
`;
  const offset = text.indexOf(JSON.stringify(schedule)) + 2;
  return { id: `tasks/t${i}`, file: { file: `/ws/tasks/t${i}.task.ts`, text }, schedule, zone, cron: parsed.schedule.cron!, offset };
});
const input = { folder: '/ws', taskFiles: cases.map((c) => c.file) };
const now = Date.now();
const local = machineZone();

/** The runner starts node with --expose-gc: each phase starts from a clean heap, not the other side's garbage. */
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
function timeEach(f: (c: Case) => unknown): number[] {
  gc();
  return cases.map((c) => {
    const t0 = process.hrtime.bigint();
    f(c);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
}
const ms = (x: number): string => `${x.toFixed(2)} ms`;
/** cronstrue's words for a cron, with "last Friday" in its spelling (5L); an explainer shows nothing when it cannot parse. */
function peerWords(expr: string): string {
  try { return cronstrue(expr.replace(/(\d)#L/g, '$1L'), { use24HourTimeFormat: true }); } catch { return ''; }
}
let sink = 0;

// ---- hover ----------------------------------------------------------------------------------------
const ws = readStaticWorkspace(input);
const oursHover = timeEach((c) => {
  const target = taskFileTarget(c.file.text, c.offset, 'hover', c.id)!;
  const hover = hoverFor(target, { now, localZone: local, context: taskFileContext(c.file.text, c.id, ws), workspace: ws });
  sink += hover!.sections.join('\n\n').length;
});

/** A cron explainer's hover: the cron on the line, in words, and its next 5 runs in the zone and locally. */
function explainerHover(c: Case): string {
  const line = c.file.text.split('\n').find((l) => l.includes('schedule:'))!;
  // It finds the schedule on the line; the cron it means is given (the peer knows no phrases).
  const expr = /"([^"]+)"/.test(line) ? c.cron : '';
  const words = peerWords(expr);
  const runs = new Cron(expr, { timezone: c.zone, legacyMode: true }).nextRuns(5, new Date(now));
  const rows = runs.map((d) => `| ${d.toLocaleString('en-GB', { timeZone: c.zone, timeZoneName: 'short' })} | ${d.toLocaleString('en-GB', { timeZone: local, timeZoneName: 'short' })} |`);
  return [`**${words}**`, ...rows].join('\n');
}

// ---- completion -----------------------------------------------------------------------------------
const oursCompletion = timeEach((c) => {
  const target = taskFileTarget(c.file.text, c.offset, 'completion', c.id)!;
  const items = completionsFor(target, { now, context: taskFileContext(c.file.text, c.id, ws), workspace: ws });
  for (const item of items) sink += insertText(item.value, target, 'task').length + (item.documentation?.length ?? 0);
});
/** The same suggestions (their cron forms), each described by cronstrue with its next 3 runs by croner. */
const PEER_SUGGESTIONS = SCHEDULE_SUGGESTIONS.map((s) => { const p = parseSchedule(s, { timezone: 'UTC' }); return p.ok ? p.schedule.cron : undefined; })
  .filter((s): s is string => {
    // Only what croner itself reads (it has no W, no year field).
    try { return !!s && !!new Cron(s, { legacyMode: true }); } catch { return false; }
  });

// ---- warnings for the workspace ---------------------------------------------------------------------
const rounds: number[] = [];
/** CPU time of each round, all threads: printed beside the wall time (on a shared machine that holds other processes' turns too). */
const cpuRounds: number[] = [];
let warningCount = 0;
const cpuMs = (since: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
for (let r = 0; r < WARNING_ROUNDS; r++) {
  gc();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const w = scheduleWarnings(readStaticWorkspace(input), now);
  rounds.push(Number(process.hrtime.bigint() - t0) / 1e6);
  cpuRounds.push(cpuMs(c0));
  warningCount = w.length;
}
// The check alone, on a workspace already read (hover, completion and the preview read it anyway).
const checkOnly: number[] = [];
const checkOnlyCpu: number[] = [];
const read = readStaticWorkspace(input);
for (let r = 0; r < WARNING_ROUNDS; r++) {
  gc();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  scheduleWarnings(read, now);
  checkOnly.push(Number(process.hrtime.bigint() - t0) / 1e6);
  checkOnlyCpu.push(cpuMs(c0));
}

// The editor reads a folder again after each pause in typing, with one file changed: what it costs then.
const readings = new Map();
readStaticWorkspace(input, readings);
const afterEdit: number[] = [];
const afterEditCpu: number[] = [];
for (let r = 0; r < WARNING_ROUNDS; r++) {
  const edited = { ...input, taskFiles: input.taskFiles.map((f, i) => (i === r ? { file: f.file, text: f.text.replace('"Task ', '"Edited task ') } : f)) };
  gc();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  scheduleWarnings(readStaticWorkspace(edited, readings), now);
  afterEdit.push(Number(process.hrtime.bigint() - t0) / 1e6);
  afterEditCpu.push(cpuMs(c0));
}
const byName = new Map<string, number>();
for (const w of scheduleWarnings(readStaticWorkspace(input), now)) byName.set(w.name, (byName.get(w.name) ?? 0) + 1);

/**
 * The same checks with croner and cronstrue: next run (never / far), day fields and steps from the text,
 * runs within a day of each DST change of the zone (is a wall time in the gap or the repeated hour), and
 * herds by counting runs per second — over 1 day where ours covers 31: counting a month of runs this way
 * takes the peer about ten minutes here, so its figure is a floor.
 */
function peerWarnings(): number {
  const counts = new Map<number, number>();
  let found = 0;
  const horizon = now + PEER_HERD_DAYS * 86_400_000;
  for (const c of cases) {
    const words = peerWords(c.cron);
    const cron = new Cron(c.cron, { timezone: c.zone, legacyMode: true });
    const next = cron.nextRun(new Date(now));
    if (!next || next.getTime() - now > 366 * 86_400_000) found++;
    const f = c.cron.split(' ');
    if (f[f.length - 3] !== '*' && f[f.length - 1] !== '*') found++;
    if (/^\*\/(7|9|11)$/.test(f[0])) found++;
    for (const change of zoneChanges(c.zone, now, now + 366 * 86_400_000)) {
      for (const d of cron.nextRuns(48, new Date(change.at - 86_400_000))) {
        if (d.getTime() > change.at + 86_400_000) break;
        const wall = d.toLocaleString('en-GB', { timeZone: c.zone, hour: '2-digit', minute: '2-digit', hour12: false });
        if (wall === '02:00' || wall === '03:00') found++;
      }
    }
    for (let d = cron.nextRun(new Date(now)); d && d.getTime() < horizon; d = cron.nextRun(d)) {
      counts.set(d.getTime(), (counts.get(d.getTime()) ?? 0) + 1);
    }
    sink += words.length;
  }
  for (const n of counts.values()) if (n >= 5) found++;
  return found;
}
// The peer's side, after ours, so neither works in the other's garbage.
const peerHover = timeEach((c) => { sink += explainerHover(c).length; });
const peerCompletion = timeEach((c) => {
  for (const expr of PEER_SUGGESTIONS) {
    const runs = new Cron(expr, { timezone: c.zone, legacyMode: true }).nextRuns(3, new Date(now));
    sink += peerWords(expr).length + runs.map((d) => d.toLocaleString('en-GB', { timeZone: c.zone })).join('\n').length;
  }
});
gc();
const pc0 = process.cpuUsage();
const p0 = process.hrtime.bigint();
sink += peerWarnings();
const peerWarningsMs = Number(process.hrtime.bigint() - p0) / 1e6;
const peerWarningsCpu = cpuMs(pc0);

// ---- report ---------------------------------------------------------------------------------------
const line = (what: string, ours: number[], peer: number[]) =>
  `${what}: ours p50 ${ms(percentile(ours, 50))} p99 ${ms(percentile(ours, 99))} max ${ms(Math.max(...ours))} vs cronstrue+croner p50 ${ms(percentile(peer, 50))} p99 ${ms(percentile(peer, 99))} max ${ms(Math.max(...peer))}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`schedules: ${TASKS} task files (${GENERATORS.length} forms, cron and phrases, ${ZONES.length} zones), node ${process.version}, local zone ${local}, `
  + `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
console.log(line('hover', oursHover, peerHover));
console.log(line('completion', oursCompletion, peerCompletion) + ` (${completionsFor(taskFileTarget(cases[0].file.text, cases[0].offset, 'completion', cases[0].id)!, { now, context: taskFileContext(cases[0].file.text, cases[0].id, ws), workspace: ws }).length} items each, ${PEER_SUGGESTIONS.length} for the peer)`);
console.log(`warnings for the workspace, read from text and checked: ours CPU ${ms(median(cpuRounds))} wall ${ms(median(rounds))} (medians of ${WARNING_ROUNDS} rounds; wall ${rounds.map((r) => r.toFixed(0)).join(', ')} ms; herds over ${HERD_HORIZON_DAYS} days) `
  + `vs cronstrue+croner CPU ${ms(peerWarningsCpu)} wall ${ms(peerWarningsMs)} (one round; herds over ${PEER_HERD_DAYS} day)`);
console.log(`  the check alone, on the workspace as read: ours CPU ${ms(median(checkOnlyCpu))} wall ${ms(median(checkOnly))}; `
  + `after an edit to one task file (the other files' readings kept): CPU ${ms(median(afterEditCpu))} wall ${ms(median(afterEdit))}`);
console.log(`  ${warningCount} warnings: ${[...byName].map(([n, k]) => `${n} ${k}`).join(', ')}`);
const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const hoverOk = percentile(oursHover, 99) <= GOAL_HOVER_P99_MS;
const completionOk = percentile(oursCompletion, 99) <= GOAL_COMPLETION_P99_MS;
// Judged, as hover and completion are, on the time the editor waits (wall); the CPU figure beside it counts
// every thread of the process (V8's parallel GC helpers too), so it can exceed the wall time on 2 cores.
const warningsOk = median(rounds) <= GOAL_WARNINGS_MS;
console.log(`goals: hover p99 ≤ ${GOAL_HOVER_P99_MS} ms ${met(hoverOk)}; completion p99 ≤ ${GOAL_COMPLETION_P99_MS} ms ${met(completionOk)}; warnings (read + check, wall median) ≤ ${GOAL_WARNINGS_MS} ms ${met(warningsOk)}`);
if (sink === 42) console.log('');
process.exit(hoverOk && completionOk && warningsOk ? 0 : 1);
