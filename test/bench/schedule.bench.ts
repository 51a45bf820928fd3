// Memory and speed of 1,000 scheduled tasks: our Schedule objects (a small rule + zone name each,
// croner instances shared through a bounded cache) beside the obvious alternative, one croner
// instance per task with croner's own time-zone mode, measured in the same run.
//   node --expose-gc -r ./test/register.js test/bench/schedule.bench.ts
import { Cron } from 'croner';
import { parseSchedule, Schedule } from '../../src/core/schedule';
import { DAYS, variety, ZONES } from './variety';

const TASKS = 1000;
const ROUNDS = 7;
/** The goal from issue 3. */
const GOAL_BYTES_PER_TASK = 10 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc');
  process.exit(2);
}

function heapUsed(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

// Deterministic variety (mulberry32), so every run measures the same mix.
const { pick, int, pad } = variety(0x5eed);

/** Cron and phrase forms croner can also evaluate, so the baseline does the same work. */
const GENERATORS: Array<() => string> = [
  () => `${int(60)} ${int(24)} * * *`,
  () => `${int(60)} ${int(24)} * * ${1 + int(5)}-${6}`,
  () => `*/${pick([5, 10, 15, 20, 30])} * * * *`,
  () => `${int(60)} */${pick([2, 3, 4, 6])} * * *`,
  () => `${int(60)} ${int(24)} ${1 + int(28)} * *`,
  () => `0 ${int(60)} ${int(24)} L * *`,
  () => `${int(60)} ${int(24)} * * ${int(7)}#${1 + int(4)}`,
  () => `${int(60)} ${int(24)} 1,15 * 1`,
  () => `every ${pick([1, 2, 5, 10, 15, 30])} minutes`,
  () => `every ${pick([2, 3, 4, 6, 12])} hours`,
  () => `daily at ${pad(int(24))}:${pad(int(60))}`,
  () => `hourly at :${pad(int(60))}`,
  () => `weekdays at ${pad(int(24))}:${pad(int(60))}`,
  () => `weekly on ${pick(DAYS)} at ${pad(int(24))}:${pad(int(60))}`,
  () => `monthly on ${1 + int(28)} at ${pad(int(24))}:${pad(int(60))}`,
  () => `twice daily at ${pad(int(12))}:00 and ${pad(12 + int(12))}:00`,
];

const inputs = Array.from({ length: TASKS }, () => ({ text: pick(GENERATORS)(), timezone: pick(ZONES) }));
const distinct = new Set(inputs.map((i) => `${i.text}|${i.timezone}`)).size;

// An instant away from any DST change in these zones, so both sides must agree exactly.
const T0 = Date.parse('2026-05-12T10:17:23Z');

function parseAll(): Schedule[] {
  return inputs.map(({ text, timezone }) => {
    const result = parseSchedule(text, { timezone });
    if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
    return result.schedule;
  });
}

// ---- ours ----
const before = heapUsed();
const ours = parseAll();
const oursFirst = ours.map((s) => s.next(T0)); // fills the shared caches, which count as ours
const oursBytes = (heapUsed() - before) / TASKS;
// The same again with the caches already full: what each Schedule object itself retains.
const beforeObjects = heapUsed();
const again = parseAll();
again.forEach((s) => s.next(T0));
const objectBytes = (heapUsed() - beforeObjects) / TASKS;

// ---- croner, one instance per task ----
const patterns = ours.map((s) => s.cron!);
const before2 = heapUsed();
const crons = patterns.map((pattern, i) => new Cron(pattern, { timezone: inputs[i].timezone, legacyMode: true }));
const cronFirst = crons.map((c) => c.nextRun(new Date(T0))?.getTime());
const cronBytes = (heapUsed() - before2) / TASKS;

const disagree = oursFirst.filter((t, i) => t !== cronFirst[i]).length;

function medianMicrosPerTask(step: (round: number) => void): number {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    step(round);
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / TASKS);
  }
  return samples.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

// Each round asks from a different instant (37 minutes apart) so no answer is reused.
let sink = 0;
const parseMicros = medianMicrosPerTask(() => { sink += parseAll().length; });
const oursMicros = medianMicrosPerTask((round) => { for (const s of ours) sink += s.next(T0 + round * 2_220_000) ?? 0; });
const cronMicros = medianMicrosPerTask((round) => { const from = new Date(T0 + round * 2_220_000); for (const c of crons) sink += c.nextRun(from)?.getTime() ?? 0; });

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a');

console.log(`schedules: ${TASKS} (${distinct} distinct pattern/zone pairs, ${ZONES.length} zones), node ${process.version}`);
console.log(`heap per task: ours ${kb(oursBytes)} vs croner-per-task ${kb(cronBytes)} (${ratio(cronBytes, oursBytes)} less)`);
console.log(`  of which each Schedule object ${kb(objectBytes)}, shared caches (croner instances, zone data) ${kb((oursBytes - objectBytes) * TASKS)} in all`);
console.log(`next run per task: ours ${oursMicros.toFixed(1)} µs vs croner-per-task ${cronMicros.toFixed(1)} µs (${ratio(cronMicros, oursMicros)} faster), median of ${ROUNDS} rounds`);
console.log(`parse per task: ours ${parseMicros.toFixed(1)} µs, median of ${ROUNDS} rounds`);
console.log(`same next run as croner away from DST changes: ${TASKS - disagree}/${TASKS}`);
console.log(`goal ≤ ${kb(GOAL_BYTES_PER_TASK)} per task: ${oursBytes <= GOAL_BYTES_PER_TASK ? 'met' : 'NOT MET'}`);

// Keep both sides alive until the figures are taken.
if (sink === 42 || ours.length !== crons.length || again.length !== TASKS) console.log('');
process.exit(oursBytes <= GOAL_BYTES_PER_TASK && disagree === 0 ? 0 : 1);
