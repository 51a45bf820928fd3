// Firing accuracy on the real clock: our engine, croner and node-cron each run an every-second job in
// this one process, at the same time, for BENCH_SLOTS one-second slots (default 300, ~5 minutes).
// Each records when it actually fired against the slot it fired for; we report lateness p50/p99 and
// slots fired twice or not at all. Ours runs with a no-op executor and an in-memory history, so this
// measures the engine's firing (timer, queue, bookkeeping), not process spawn.
// Run: node -r ./test/register.js test/bench/firing.bench.ts   (BENCH_SLOTS=60 for a quick look)
import { Cron } from 'croner';
import * as nodeCron from 'node-cron';
import { systemClock } from '../../src/core/clock';
import { Scheduler } from '../../src/core/engine/scheduler';
import type { Executor, RunOutcome } from '../../src/core/ports';
import { parseSchedules } from '../../src/core/schedule';
import { spec } from '../unit/helpers/engine';
import { MemoryHistory } from '../unit/helpers/memoryHistory';

const SLOTS = Number(process.env.BENCH_SLOTS ?? 300);
/** Slots before the measured window, so every scheduler is past its start-up. */
const LEAD_IN_S = 2;
/** Wait after the last slot before counting, so a late fire is still counted. */
const TAIL_MS = 1_500;

/** Wall-clock time with sub-millisecond resolution (Date.now() has whole ms). */
const preciseNow = (): number => performance.timeOrigin + performance.now();

type Fires = Array<{ slot: number; at: number }>;

function noopExecutor(fires: Fires): Executor {
  return {
    kinds: ['module', 'command', 'vscodeCommand', 'vscodeTask'],
    start(request) {
      const at = preciseNow();
      fires.push({ slot: request.scheduledFor!, at });
      const outcome: RunOutcome = { status: 'succeeded', startedAt: at, endedAt: at, output: '', outputTruncated: false };
      return { cancel() {}, done: Promise.resolve(outcome) };
    },
    async dispose() {},
  };
}

/** A peer only tells us when it fired: its slot is the nearest whole second (all fire within ms of it). */
const peerFire = (fires: Fires) => () => {
  const at = preciseNow();
  fires.push({ slot: Math.round(at / 1000) * 1000, at });
};

interface Figures { p50: number; p99: number; doubles: number; missed: number }

function figures(fires: Fires, first: number, last: number): Figures {
  const inWindow = fires.filter((f) => f.slot >= first && f.slot <= last);
  const perSlot = new Map<number, number>();
  for (const f of inWindow) perSlot.set(f.slot, (perSlot.get(f.slot) ?? 0) + 1);
  let missed = 0;
  for (let s = first; s <= last; s += 1000) if (!perSlot.has(s)) missed++;
  const doubles = [...perSlot.values()].reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
  const late = inWindow.map((f) => f.at - f.slot).sort((a, b) => a - b);
  return { p50: percentile(late, 50), p99: percentile(late, 99), doubles, missed };
}

/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

async function main(): Promise<void> {
  const ours: Fires = [];
  const croner: Fires = [];
  const nodeCronFires: Fires = [];

  const { schedule, errors } = parseSchedules(['* * * * * *'], { timezone: 'UTC' });
  if (!schedule) throw new Error(`schedule: ${JSON.stringify(errors)}`);
  const history = new MemoryHistory();
  const engine = new Scheduler({ clock: systemClock, history, executors: [noopExecutor(ours)], executorId: 'bench' });
  await engine.load({ tasks: [{ spec: spec('tick'), schedule }], settings: { concurrency: 2, paused: false } });
  await engine.start();
  const cronJob = new Cron('* * * * * *', peerFire(croner));
  const nodeCronTask = nodeCron.schedule('* * * * * *', peerFire(nodeCronFires));

  const first = Math.ceil(Date.now() / 1000) * 1000 + LEAD_IN_S * 1000;
  const last = first + (SLOTS - 1) * 1000;
  console.log(`measuring ${SLOTS} one-second slots, ${new Date(first).toISOString()} → ${new Date(last).toISOString()}`);
  await new Promise((r) => setTimeout(r, last + TAIL_MS - Date.now()));

  cronJob.stop();
  await nodeCronTask.destroy();
  await engine.stop({ graceful: false });

  const [o, c, n] = [figures(ours, first, last), figures(croner, first, last), figures(nodeCronFires, first, last)];
  const f = (x: number): string => x.toFixed(1);
  console.log(`lateness p50/p99: ours ${f(o.p50)}/${f(o.p99)} ms · croner ${f(c.p50)}/${f(c.p99)} ms · node-cron ${f(n.p50)}/${f(n.p99)} ms; `
    + `doubles ${o.doubles}/${c.doubles}/${n.doubles}; missed ${o.missed}/${c.missed}/${n.missed}`);
  const skipped = (await history.runs({ statuses: ['skipped', 'missed'] })).length;
  const met = o.p99 <= c.p99 && o.p99 <= n.p99 && o.doubles === 0 && o.missed === 0 && skipped === 0;
  console.log(`goal: our p99 no worse than croner's and node-cron's, 0 double, 0 missed — ${met ? 'met' : 'NOT met'}`
    + (skipped ? ` (${skipped} skipped/missed rows in our history)` : ''));
  if (!met) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
