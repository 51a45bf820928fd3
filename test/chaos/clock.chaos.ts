// A simulated clock against the real engine: a ManualClock drives the Scheduler, with real schedules
// from core/schedule (parseSchedule), an in-memory history and an executor whose runs succeed at once.
// Laptop sleep (5 min, 3 h, 3 days), the clock set back an hour, and DST both ways in New York and
// Berlin, for five schedules under each catch-up policy. Every run is compared with what is owed:
//   quick  the representative cases, each with its expected runs written out by hand (literal ISO);
//   full   those, plus a sweep of hundreds of scenarios (start times, sleep lengths, zones — Lord Howe's
//          half-hour DST too) checked against an independent oracle (clock-oracle.ts: Intl, minute by
//          minute, no croner), which must itself agree with every hand-written case.
// Nothing may fire twice, and timer wakes are counted: a loop (croner#286 fired every 1 ms) shows as a
// wake count far above the 30 s re-check plus one wake per slot.
import { ManualClock, type TimerHandle } from '../../src/core/clock';
import { Scheduler } from '../../src/core/engine/scheduler';
import type { EngineEvent } from '../../src/core/engine/events';
import type { CatchUpPolicy } from '../../src/core/model';
import type { RunHandle, RunObserver, RunRequest } from '../../src/core/ports';
import { parseSchedule } from '../../src/core/schedule';
import { DAY, HOUR, MINUTE, SECOND, task } from '../unit/helpers/engine';
import { FakeExecutor } from '../unit/helpers/fakeExecutor';
import { MemoryHistory } from '../unit/helpers/memoryHistory';
import type { ChaosCheck } from './check';
import { catchUp, onTime, SCHEDULES, slots, type Expected, type ExpectedRun, type OracleSchedule } from './clock-oracle';
import { prng } from './prng';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const LORD_HOWE = 'Australia/Lord_Howe';
/** The engine never waits longer than this before re-reading the wall clock (engine/timer.ts MAX_WAIT_MS). */
const RECHECK_MS = 30 * SECOND;
/** Re-checks plus one wake per slot of the busiest schedule (every minute): more is a loop. */
const MAX_WAKES_PER_HOUR = HOUR / RECHECK_MS + 60;
/** A scenario that wakes this often is looping; stop it rather than spin forever. */
const WAKE_CAP = 200_000;

// ---- the harness -------------------------------------------------------------------------------

class LoopDetected extends Error {}

/** A ManualClock that counts and remembers every timer wake. */
class CountingClock extends ManualClock {
  readonly wakes: Array<{ mono: number; wall: number }> = [];
  private monoNow = 0;

  override setTimer(fn: () => void, ms: number): TimerHandle {
    const at = this.monoNow + Math.max(0, ms);
    return super.setTimer(() => {
      this.monoNow = at;
      this.wakes.push({ mono: at, wall: this.now() });
      if (this.wakes.length > WAKE_CAP) throw new LoopDetected(`more than ${WAKE_CAP} timer wakes`);
      fn();
    }, ms);
  }

  override async advance(ms: number): Promise<void> {
    const end = this.monoNow + ms;
    await super.advance(ms);
    this.monoNow = end;
  }

  get monoTime(): number { return this.monoNow; }
}

/** The scripted executor: every run succeeds as soon as it starts. */
class SucceedingExecutor extends FakeExecutor {
  override start(request: RunRequest, observer?: RunObserver): RunHandle {
    const handle = super.start(request, observer);
    const run = this.runs[this.runs.length - 1];
    queueMicrotask(() => { if (!run.finished) run.succeed(); });
    return handle;
  }
}

type Event =
  | { kind: 'awake' }
  | { kind: 'sleep'; at: number; ms: number }
  | { kind: 'set-back'; at: number; ms: number };

interface Scenario {
  name: string;
  zone: string;
  schedule: OracleSchedule;
  policy: CatchUpPolicy;
  start: number;
  /** Wall time the scenario ends at. */
  end: number;
  event: Event;
}

interface Observed {
  runs: ExpectedRun[];
  /** Slots recorded missed, from the engine's `missed` events. */
  missed: number;
  missedIsLowerBound: boolean;
  /** The first wake after a sleep or set-back (wall), if any. */
  wakeAfter?: number;
  maxWakesPerHour: number;
  wakes: number;
  /** Thrown out of the engine or the clock (a loop, a crash). */
  error?: string;
}

async function simulate(sc: Scenario): Promise<Observed> {
  const clock = new CountingClock(sc.start);
  const history = new MemoryHistory();
  const exec = new SucceedingExecutor(clock);
  const engine = new Scheduler({ clock, history, executors: [exec], executorId: 'chaos', random: () => 0.5 });
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const parsed = parseSchedule(sc.schedule.text, { timezone: sc.zone });
  if (!parsed.ok) throw new Error(`${sc.schedule.text}: ${parsed.error.message}`);
  let error: string | undefined;
  let jumpMono: number | undefined;
  try {
    await engine.load({
      tasks: [task('t', parsed.schedule, { catchUp: sc.policy, catchUpWindow: DAY })],
      settings: { concurrency: 4, paused: false },
    });
    await engine.start();
    await clock.advance(0);
    const ev = sc.event;
    if (ev.kind === 'awake') {
      await clock.advance(sc.end - sc.start);
    } else {
      await clock.advance(ev.at - sc.start);
      jumpMono = clock.monoTime;
      clock.jump(ev.kind === 'sleep' ? ev.ms : -ev.ms);
      await clock.advance(sc.end - clock.now());
    }
    await engine.stop({ graceful: true, waitMs: 0 });
    await engine.idle();
  } catch (e) {
    error = e instanceof LoopDetected ? `loop: ${e.message}` : String((e as Error)?.stack ?? e);
  }
  const runs = exec.runs.map((r) => ({ trigger: r.request.trigger as ExpectedRun['trigger'], slot: r.request.scheduledFor!, startedAt: r.startedAt }));
  const missedEvents = events.filter((e): e is Extract<EngineEvent, { type: 'missed' }> => e.type === 'missed');
  const perHour = new Map<number, number>();
  for (const w of clock.wakes) perHour.set(Math.floor(w.mono / HOUR), (perHour.get(Math.floor(w.mono / HOUR)) ?? 0) + 1);
  return {
    runs,
    missed: missedEvents.reduce((a, e) => a + e.count, 0),
    missedIsLowerBound: missedEvents.some((e) => e.countIsLowerBound),
    wakeAfter: jumpMono === undefined ? undefined : clock.wakes.find((w) => w.mono > jumpMono!)?.wall,
    maxWakesPerHour: Math.max(0, ...perHour.values()),
    wakes: clock.wakes.length,
    error,
  };
}

// ---- what is owed ------------------------------------------------------------------------------

/** The oracle's runs for a scenario, given the wake after the jump the engine had. */
function owed(sc: Scenario, wakeAfter: number | undefined): Expected {
  const margin = 5 * DAY;
  const all = slots(sc.schedule, sc.zone, sc.start - margin, sc.end + margin);
  const ev = sc.event;
  if (ev.kind === 'awake') return { runs: onTime(all, sc.start, sc.end), missed: 0 };
  const before = onTime(all, sc.start, ev.at);
  // A new task follows its schedule from when it was loaded: the newest slot handled is the start's.
  const handled = Math.max(sc.start, ...before.map((r) => r.slot));
  if (ev.kind === 'set-back') return { runs: [...before, ...onTime(all, handled, sc.end)], missed: 0 };
  if (wakeAfter === undefined) return { runs: before, missed: NaN };
  const due = all.filter((s) => s > handled && s <= wakeAfter);
  const caught = catchUp(due, wakeAfter, sc.policy, DAY);
  return { runs: [...before, ...caught.runs, ...onTime(all, wakeAfter, sc.end)], missed: caught.missed };
}

const short = (t: number): string => new Date(t).toISOString().replace(':00.000Z', 'Z').replace('.000Z', 'Z');
const runText = (r: ExpectedRun): string => `${r.trigger} ${short(r.slot)}${r.startedAt !== r.slot ? ` at ${short(r.startedAt)}` : ''}`;

interface Verdict { exact: boolean; doubleFires: number; loop: boolean; problems: string[] }

function judge(sc: Scenario, obs: Observed, expected: { runs: string[]; missed?: number }): Verdict {
  const problems: string[] = [];
  const got = obs.runs.map(runText);
  const slotsSeen = obs.runs.map((r) => r.slot);
  const doubleFires = slotsSeen.length - new Set(slotsSeen).size;
  if (obs.error) problems.push(obs.error);
  if (JSON.stringify(got) !== JSON.stringify(expected.runs)) {
    problems.push(`runs differ:\n      expected ${JSON.stringify(expected.runs)}\n      got      ${JSON.stringify(got)}`);
  }
  if (expected.missed !== undefined && !Number.isNaN(expected.missed)) {
    const ok = obs.missedIsLowerBound ? obs.missed <= expected.missed && obs.missed > 0 : obs.missed === expected.missed;
    if (!ok) problems.push(`missed ${obs.missed}${obs.missedIsLowerBound ? '+' : ''}, expected ${expected.missed}`);
  }
  if (sc.event.kind === 'sleep') {
    const resumed = sc.event.at + sc.event.ms;
    if (obs.wakeAfter === undefined || obs.wakeAfter - resumed > RECHECK_MS || obs.wakeAfter < resumed) {
      problems.push(`first wake after the sleep at ${obs.wakeAfter === undefined ? 'never' : short(obs.wakeAfter)}, resumed ${short(resumed)}: more than ${RECHECK_MS / 1000} s later`);
    }
  }
  const loop = obs.maxWakesPerHour > MAX_WAKES_PER_HOUR || !!obs.error?.startsWith('loop');
  if (loop) problems.push(`${obs.maxWakesPerHour} timer wakes in one hour (bar ${MAX_WAKES_PER_HOUR})`);
  if (doubleFires) problems.push(`${doubleFires} slot(s) fired twice`);
  return { exact: problems.length === 0, doubleFires, loop, problems };
}

// ---- the hand-written cases --------------------------------------------------------------------

const at = (iso: string): number => Date.parse(iso);
const schedule = (text: string): OracleSchedule => SCHEDULES.find((s) => s.text === text)!;
const each = <T>(fn: (p: CatchUpPolicy) => T): Record<CatchUpPolicy, T> => ({ skip: fn('skip'), latest: fn('latest'), all: fn('all') });

interface HandCase {
  name: string;
  zone: string;
  schedule: string;
  start: string;
  end: string;
  event: Event;
  /** Per policy (or the same for all): runs as `trigger slot[ at started]`, and slots recorded missed. */
  expect: Record<CatchUpPolicy, { runs: string[]; missed: number }>;
}

const hours = (fromIso: string, n: number, stepMs = HOUR, prefix = 'catch-up ', suffix = ''): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${short(at(fromIso) + i * stepMs)}${suffix}`);

/**
 * Expected runs worked out by hand (2026 transitions: New York 03-08 07:00Z spring, 11-01 06:00Z
 * autumn; Berlin 03-29 01:00Z spring, 10-25 01:00Z autumn). The engine re-checks every 30 s: a sleep
 * that starts 10 s after a wake resumes to a timer due 20 s later, so "wakes" below are resume + 20 s.
 */
const HAND: HandCase[] = [
  {
    // 14:02:00 slot wake arms 14:02:30; asleep 14:02:10 → wall 14:07:10; the timer wakes 14:07:30.
    name: 'sleep 5 min, every minute', zone: NY, schedule: 'every 1 minutes', start: '2026-03-02T14:00:00Z', end: '2026-03-02T14:10:00Z',
    event: { kind: 'sleep', at: at('2026-03-02T14:02:10Z'), ms: 5 * MINUTE },
    expect: {
      skip: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z', 'schedule 2026-03-02T14:10Z'], missed: 5 },
      latest: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', 'catch-up 2026-03-02T14:07Z at 2026-03-02T14:07:30Z', 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z', 'schedule 2026-03-02T14:10Z'], missed: 4 },
      all: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', 'catch-up 2026-03-02T14:03Z at 2026-03-02T14:07:30Z', 'catch-up 2026-03-02T14:04Z at 2026-03-02T14:07:30Z', 'catch-up 2026-03-02T14:05Z at 2026-03-02T14:07:30Z', 'catch-up 2026-03-02T14:06Z at 2026-03-02T14:07:30Z', 'catch-up 2026-03-02T14:07Z at 2026-03-02T14:07:30Z', 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z', 'schedule 2026-03-02T14:10Z'], missed: 0 },
    },
  },
  {
    // The edge of "on time": asleep 14:02:25 (the timer is 5 s away) for 4 min 35 s, so the wake is at
    // 14:07:05, exactly 5 s after the 14:07 slot: 14:07 still counts as on time.
    name: 'sleep ending 5 s after a slot, every minute', zone: NY, schedule: 'every 1 minutes', start: '2026-03-02T14:00:00Z', end: '2026-03-02T14:09:00Z',
    event: { kind: 'sleep', at: at('2026-03-02T14:02:25Z'), ms: 4 * MINUTE + 35 * SECOND },
    expect: {
      skip: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', 'schedule 2026-03-02T14:07Z at 2026-03-02T14:07:05Z', 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z'], missed: 4 },
      latest: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', 'schedule 2026-03-02T14:07Z at 2026-03-02T14:07:05Z', 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z'], missed: 4 },
      all: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', ...hours('2026-03-02T14:03:00Z', 4, MINUTE, 'catch-up ', ' at 2026-03-02T14:07:05Z'), 'schedule 2026-03-02T14:07Z at 2026-03-02T14:07:05Z', 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z'], missed: 0 },
    },
  },
  {
    // One second more: the wake is 6 s after 14:07, which is now late.
    name: 'sleep ending 6 s after a slot, every minute', zone: NY, schedule: 'every 1 minutes', start: '2026-03-02T14:00:00Z', end: '2026-03-02T14:09:00Z',
    event: { kind: 'sleep', at: at('2026-03-02T14:02:25Z'), ms: 4 * MINUTE + 36 * SECOND },
    expect: {
      skip: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z'], missed: 5 },
      latest: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', 'catch-up 2026-03-02T14:07Z at 2026-03-02T14:07:06Z', 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z'], missed: 4 },
      all: { runs: ['schedule 2026-03-02T14:01Z', 'schedule 2026-03-02T14:02Z', ...hours('2026-03-02T14:03:00Z', 5, MINUTE, 'catch-up ', ' at 2026-03-02T14:07:06Z'), 'schedule 2026-03-02T14:08Z', 'schedule 2026-03-02T14:09Z'], missed: 0 },
    },
  },
  {
    // Asleep 08:40:10–11:40:10 (Berlin, CET); wakes 11:40:30; 09:00–11:30 were due (6 slots).
    name: 'sleep 3 h, every 30 minutes', zone: BERLIN, schedule: 'every 30 minutes', start: '2026-03-02T08:00:00Z', end: '2026-03-02T12:30:00Z',
    event: { kind: 'sleep', at: at('2026-03-02T08:40:10Z'), ms: 3 * HOUR },
    expect: {
      skip: { runs: ['schedule 2026-03-02T08:30Z', 'schedule 2026-03-02T12:00Z', 'schedule 2026-03-02T12:30Z'], missed: 6 },
      latest: { runs: ['schedule 2026-03-02T08:30Z', 'catch-up 2026-03-02T11:30Z at 2026-03-02T11:40:30Z', 'schedule 2026-03-02T12:00Z', 'schedule 2026-03-02T12:30Z'], missed: 5 },
      all: { runs: ['schedule 2026-03-02T08:30Z', ...hours('2026-03-02T09:00:00Z', 6, 30 * MINUTE, 'catch-up ', ' at 2026-03-02T11:40:30Z'), 'schedule 2026-03-02T12:00Z', 'schedule 2026-03-02T12:30Z'], missed: 0 },
    },
  },
  {
    // Asleep 2026-03-02 15:20:10Z for 3 days (New York, EST throughout); wakes 03-05 15:20:30; 72 hourly
    // slots were due; `all` runs those inside the one-day window: 03-04 16:00Z … 03-05 15:00Z.
    name: 'sleep 3 days, hourly', zone: NY, schedule: 'hourly', start: '2026-03-02T14:10:00Z', end: '2026-03-05T16:00:00Z',
    event: { kind: 'sleep', at: at('2026-03-02T15:20:10Z'), ms: 3 * DAY },
    expect: {
      skip: { runs: ['schedule 2026-03-02T15:00Z', 'schedule 2026-03-05T16:00Z'], missed: 72 },
      latest: { runs: ['schedule 2026-03-02T15:00Z', 'catch-up 2026-03-05T15:00Z at 2026-03-05T15:20:30Z', 'schedule 2026-03-05T16:00Z'], missed: 71 },
      all: { runs: ['schedule 2026-03-02T15:00Z', ...hours('2026-03-04T16:00:00Z', 24, HOUR, 'catch-up ', ' at 2026-03-05T15:20:30Z'), 'schedule 2026-03-05T16:00Z'], missed: 48 },
    },
  },
  {
    // 02:30 CET = 01:30Z. Asleep 03-02 01:35:10Z for 3 days; wakes 03-05 01:35:30: 03-03, 03-04 and
    // 03-05 01:30Z were due; the window (one day back, 03-04 01:35:30) holds only the newest.
    name: 'sleep 3 days, daily at 02:30', zone: BERLIN, schedule: 'daily at 02:30', start: '2026-03-02T00:00:00Z', end: '2026-03-06T02:00:00Z',
    event: { kind: 'sleep', at: at('2026-03-02T01:35:10Z'), ms: 3 * DAY },
    expect: {
      skip: { runs: ['schedule 2026-03-02T01:30Z', 'schedule 2026-03-06T01:30Z'], missed: 3 },
      latest: { runs: ['schedule 2026-03-02T01:30Z', 'catch-up 2026-03-05T01:30Z at 2026-03-05T01:35:30Z', 'schedule 2026-03-06T01:30Z'], missed: 2 },
      all: { runs: ['schedule 2026-03-02T01:30Z', 'catch-up 2026-03-05T01:30Z at 2026-03-05T01:35:30Z', 'schedule 2026-03-06T01:30Z'], missed: 2 },
    },
  },
  {
    // Monday 2026-03-02 09:00 EST = 14:00Z; asleep 13:58:10–14:03:10, wakes 14:03:30; Tuesday on time.
    name: 'sleep 5 min over a weekday cron', zone: NY, schedule: '0 9 * * 1-5', start: '2026-03-02T13:50:00Z', end: '2026-03-03T14:00:30Z',
    event: { kind: 'sleep', at: at('2026-03-02T13:58:10Z'), ms: 5 * MINUTE },
    expect: {
      skip: { runs: ['schedule 2026-03-03T14:00Z'], missed: 1 },
      latest: { runs: ['catch-up 2026-03-02T14:00Z at 2026-03-02T14:03:30Z', 'schedule 2026-03-03T14:00Z'], missed: 0 },
      all: { runs: ['catch-up 2026-03-02T14:00Z at 2026-03-02T14:03:30Z', 'schedule 2026-03-03T14:00Z'], missed: 0 },
    },
  },
  {
    // Set back at 14:05:10 to 13:05:10: 14:01–14:05 already ran and do not run again; 14:06 on.
    name: 'clock set back 1 h, every minute', zone: NY, schedule: 'every 1 minutes', start: '2026-03-02T14:00:00Z', end: '2026-03-02T14:15:00Z',
    event: { kind: 'set-back', at: at('2026-03-02T14:05:10Z'), ms: HOUR },
    expect: each(() => ({ runs: hours('2026-03-02T14:01:00Z', 15, MINUTE, 'schedule '), missed: 0 })),
  },
  {
    name: 'clock set back 1 h, every 30 minutes', zone: BERLIN, schedule: 'every 30 minutes', start: '2026-03-02T08:00:00Z', end: '2026-03-02T10:00:00Z',
    event: { kind: 'set-back', at: at('2026-03-02T09:10:10Z'), ms: HOUR },
    expect: each(() => ({ runs: ['schedule 2026-03-02T08:30Z', 'schedule 2026-03-02T09:00Z', 'schedule 2026-03-02T09:30Z', 'schedule 2026-03-02T10:00Z'], missed: 0 })),
  },
  {
    // Set back at 02:40:10 CET (01:40:10Z) to 00:40:10Z: today's 02:30 ran and does not run again.
    name: 'clock set back 1 h, daily at 02:30', zone: BERLIN, schedule: 'daily at 02:30', start: '2026-03-02T00:00:00Z', end: '2026-03-03T02:00:00Z',
    event: { kind: 'set-back', at: at('2026-03-02T01:40:10Z'), ms: HOUR },
    expect: each(() => ({ runs: ['schedule 2026-03-02T01:30Z', 'schedule 2026-03-03T01:30Z'], missed: 0 })),
  },
  {
    // New York spring: 00:30, 01:00, 01:30 EST, then 02:00 and 02:30 fall in the gap and collapse into
    // 03:00 EDT (07:00Z), then 03:30, 04:00, 04:30 EDT.
    name: 'DST spring, New York, every 30 minutes', zone: NY, schedule: 'every 30 minutes', start: '2026-03-08T05:10:00Z', end: '2026-03-08T08:40:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['05:30', '06:00', '06:30', '07:00', '07:30', '08:00', '08:30'].map((t) => `schedule 2026-03-08T${t}Z`), missed: 0 })),
  },
  {
    name: 'DST spring, New York, hourly', zone: NY, schedule: 'hourly', start: '2026-03-08T04:30:00Z', end: '2026-03-08T08:30:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['05:00', '06:00', '07:00', '08:00'].map((t) => `schedule 2026-03-08T${t}Z`), missed: 0 })),
  },
  {
    // 02:30 does not exist on 03-08: it runs at 03:00 EDT (07:00Z); 03-09 02:30 EDT is 06:30Z.
    name: 'DST spring, New York, daily at 02:30', zone: NY, schedule: 'daily at 02:30', start: '2026-03-07T12:00:00Z', end: '2026-03-09T12:00:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['schedule 2026-03-08T07:00Z', 'schedule 2026-03-09T06:30Z'], missed: 0 })),
  },
  {
    // New York autumn: 01:00–01:59 happens twice; every 30 minutes runs in both passes.
    name: 'DST autumn, New York, every 30 minutes', zone: NY, schedule: 'every 30 minutes', start: '2026-11-01T04:10:00Z', end: '2026-11-01T07:40:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['04:30', '05:00', '05:30', '06:00', '06:30', '07:00', '07:30'].map((t) => `schedule 2026-11-01T${t}Z`), missed: 0 })),
  },
  {
    name: 'DST autumn, New York, hourly', zone: NY, schedule: 'hourly', start: '2026-11-01T03:30:00Z', end: '2026-11-01T07:30:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['04:00', '05:00', '06:00', '07:00'].map((t) => `schedule 2026-11-01T${t}Z`), missed: 0 })),
  },
  {
    name: 'DST spring, Berlin, every 30 minutes', zone: BERLIN, schedule: 'every 30 minutes', start: '2026-03-28T23:10:00Z', end: '2026-03-29T02:10:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['2026-03-28T23:30Z', '2026-03-29T00:00Z', '2026-03-29T00:30Z', '2026-03-29T01:00Z', '2026-03-29T01:30Z', '2026-03-29T02:00Z'].map((t) => `schedule ${t}`), missed: 0 })),
  },
  {
    // 02:30 is in Berlin's gap on 03-29: 03:00 CEST = 01:00Z. The day before: 02:30 CET = 01:30Z.
    name: 'DST spring, Berlin, daily at 02:30', zone: BERLIN, schedule: 'daily at 02:30', start: '2026-03-28T00:00:00Z', end: '2026-03-30T02:00:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['schedule 2026-03-28T01:30Z', 'schedule 2026-03-29T01:00Z', 'schedule 2026-03-30T00:30Z'], missed: 0 })),
  },
  {
    // Berlin autumn: 02:00–02:59 happens twice (CEST, then CET).
    name: 'DST autumn, Berlin, every 30 minutes', zone: BERLIN, schedule: 'every 30 minutes', start: '2026-10-24T23:10:00Z', end: '2026-10-25T02:10:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['2026-10-24T23:30Z', '2026-10-25T00:00Z', '2026-10-25T00:30Z', '2026-10-25T01:00Z', '2026-10-25T01:30Z', '2026-10-25T02:00Z'].map((t) => `schedule ${t}`), missed: 0 })),
  },
  {
    // 02:30 happens twice on 10-25: it runs at the first (02:30 CEST = 00:30Z) only.
    name: 'DST autumn, Berlin, daily at 02:30', zone: BERLIN, schedule: 'daily at 02:30', start: '2026-10-24T00:00:00Z', end: '2026-10-26T02:00:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['schedule 2026-10-24T00:30Z', 'schedule 2026-10-25T00:30Z', 'schedule 2026-10-26T01:30Z'], missed: 0 })),
  },
  {
    // Friday 09:00 CEST (07:00Z), then Monday 09:00 CET (08:00Z), over Berlin's autumn weekend.
    name: 'DST autumn, Berlin, weekday cron', zone: BERLIN, schedule: '0 9 * * 1-5', start: '2026-10-23T06:00:00Z', end: '2026-10-26T09:00:00Z', event: { kind: 'awake' },
    expect: each(() => ({ runs: ['schedule 2026-10-23T07:00Z', 'schedule 2026-10-26T08:00Z'], missed: 0 })),
  },
  {
    // Asleep 05:40:10Z–08:40:10Z across New York's spring change; wakes 08:40:30. Due: 06:00, 06:30,
    // then 07:00 (02:00 and 02:30 collapsed into 03:00 EDT), 07:30, 08:00, 08:30.
    name: 'sleep 3 h across DST spring, New York, every 30 minutes', zone: NY, schedule: 'every 30 minutes', start: '2026-03-08T05:10:00Z', end: '2026-03-08T09:00:00Z',
    event: { kind: 'sleep', at: at('2026-03-08T05:40:10Z'), ms: 3 * HOUR },
    expect: {
      skip: { runs: ['schedule 2026-03-08T05:30Z', 'schedule 2026-03-08T09:00Z'], missed: 6 },
      latest: { runs: ['schedule 2026-03-08T05:30Z', 'catch-up 2026-03-08T08:30Z at 2026-03-08T08:40:30Z', 'schedule 2026-03-08T09:00Z'], missed: 5 },
      all: { runs: ['schedule 2026-03-08T05:30Z', ...['06:00', '06:30', '07:00', '07:30', '08:00', '08:30'].map((t) => `catch-up 2026-03-08T${t}Z at 2026-03-08T08:40:30Z`), 'schedule 2026-03-08T09:00Z'], missed: 0 },
    },
  },
  {
    // Asleep 2026-10-24 23:45:10Z–2026-10-25 02:45:10Z across Berlin's autumn change; wakes 02:45:30.
    // Due: 00:00, 00:30, 01:00, 01:30, 02:00, 02:30 (02:00 and 02:30 in both passes: every hour runs twice).
    name: 'sleep 3 h across DST autumn, Berlin, every 30 minutes', zone: BERLIN, schedule: 'every 30 minutes', start: '2026-10-24T23:10:00Z', end: '2026-10-25T03:00:00Z',
    event: { kind: 'sleep', at: at('2026-10-24T23:45:10Z'), ms: 3 * HOUR },
    expect: {
      skip: { runs: ['schedule 2026-10-24T23:30Z', 'schedule 2026-10-25T03:00Z'], missed: 6 },
      latest: { runs: ['schedule 2026-10-24T23:30Z', 'catch-up 2026-10-25T02:30Z at 2026-10-25T02:45:30Z', 'schedule 2026-10-25T03:00Z'], missed: 5 },
      all: { runs: ['schedule 2026-10-24T23:30Z', ...['00:00', '00:30', '01:00', '01:30', '02:00', '02:30'].map((t) => `catch-up 2026-10-25T${t}Z at 2026-10-25T02:45:30Z`), 'schedule 2026-10-25T03:00Z'], missed: 0 },
    },
  },
];

function handScenarios(): Array<{ sc: Scenario; expect: { runs: string[]; missed: number } }> {
  return HAND.flatMap((h) => (['skip', 'latest', 'all'] as const).map((policy) => ({
    sc: { name: `${h.name} (${policy})`, zone: h.zone, schedule: schedule(h.schedule), policy, start: at(h.start), end: at(h.end), event: h.event },
    expect: h.expect[policy],
  })));
}

// ---- the sweep ---------------------------------------------------------------------------------

/** 2026 offset changes: [zone, instant, kind]. */
const TRANSITIONS: Array<[string, string]> = [
  [NY, '2026-03-08T07:00:00Z'], [NY, '2026-11-01T06:00:00Z'],
  [BERLIN, '2026-03-29T01:00:00Z'], [BERLIN, '2026-10-25T01:00:00Z'],
  [LORD_HOWE, '2026-04-04T15:00:00Z'], [LORD_HOWE, '2026-10-03T15:30:00Z'],
];

function sweep(seed: number): Scenario[] {
  const rnd = prng(seed);
  const jitter = (maxMs: number) => Math.floor(rnd() * maxMs / SECOND) * SECOND;
  const out: Scenario[] = [];
  for (const [zone, iso] of TRANSITIONS) {
    const change = at(iso);
    for (const s of SCHEDULES) {
      for (const policy of ['skip', 'latest', 'all'] as const) {
        const add = (name: string, start: number, end: number, event: Event) => out.push({ name: `${name}, ${s.text}, ${zone} ${iso.slice(0, 10)} (${policy})`, zone, schedule: s, policy, start, end, event });
        // Awake across the change.
        add('awake across DST', change - 3 * HOUR + jitter(HOUR), change + 3 * HOUR, { kind: 'awake' });
        // Asleep across the change, for each sleep length, starting a random time before it.
        for (const ms of [5 * MINUTE, 3 * HOUR, 3 * DAY]) {
          const sleepAt = change - jitter(Math.min(ms, 4 * HOUR)) - 10 * SECOND;
          add(`sleep ${ms / MINUTE} min across DST`, sleepAt - HOUR - jitter(HOUR), sleepAt + ms + HOUR + jitter(HOUR), { kind: 'sleep', at: sleepAt, ms });
        }
        // A sleep of random length (1 min to 4 days) a random time in June.
        const june = at('2026-06-10T00:00:00Z') + jitter(10 * DAY);
        const ms = MINUTE + jitter(4 * DAY);
        add('sleep random', june - HOUR, june + ms + 90 * MINUTE, { kind: 'sleep', at: june, ms });
        // The clock set back an hour: just after the change (back across it) and in June.
        add('set back 1 h across DST', change - 2 * HOUR, change + 3 * HOUR, { kind: 'set-back', at: change + jitter(HOUR) + 5 * SECOND, ms: HOUR });
        add('set back 1 h', june - 2 * HOUR, june + 2 * HOUR, { kind: 'set-back', at: june + jitter(HOUR), ms: HOUR });
      }
    }
  }
  return out;
}

// ---- the check ---------------------------------------------------------------------------------

export const check: ChaosCheck = {
  name: 'clock',
  quickTimeoutMs: 120_000,
  async run({ full, log }) {
    let scenarios = 0;
    let exact = 0;
    let doubleFires = 0;
    let loops = 0;
    let maxWakes = 0;
    let oracleDisagrees = 0;
    const failures: string[] = [];
    const tally = (sc: Scenario, obs: Observed, v: Verdict) => {
      scenarios++;
      if (v.exact) exact++;
      doubleFires += v.doubleFires;
      if (v.loop) loops++;
      maxWakes = Math.max(maxWakes, obs.maxWakesPerHour);
      if (!v.exact) failures.push(`${sc.name}:\n    ${v.problems.join('\n    ')}`);
    };

    for (const { sc, expect } of handScenarios()) {
      const obs = await simulate(sc);
      tally(sc, obs, judge(sc, obs, expect));
      // The oracle is only trusted for the sweep if it owes exactly what was worked out by hand.
      const fromOracle = owed(sc, obs.wakeAfter);
      if (JSON.stringify(fromOracle.runs.map(runText)) !== JSON.stringify(expect.runs) || fromOracle.missed !== expect.missed) {
        oracleDisagrees++;
        failures.push(`oracle disagrees with the hand-written case ${sc.name}:\n      by hand ${JSON.stringify(expect.runs)} missed ${expect.missed}\n      oracle  ${JSON.stringify(fromOracle.runs.map(runText))} missed ${fromOracle.missed}`);
      }
    }
    log(`${scenarios} hand-written scenarios: ${exact} exact`);

    if (full) {
      const seed = Number(process.env.CHAOS_SEED) || Date.now() % 2 ** 31;
      const list = sweep(seed);
      log(`sweep of ${list.length} scenarios, seed ${seed} (CHAOS_SEED=${seed} repeats it)`);
      for (const sc of list) {
        const obs = await simulate(sc);
        const expected = owed(sc, obs.wakeAfter);
        tally(sc, obs, judge(sc, obs, { runs: expected.runs.map(runText), missed: expected.missed }));
      }
    }
    for (const f of failures.slice(0, 12)) log(`FAIL ${f}`);
    if (failures.length > 12) log(`… ${failures.length - 12} more`);
    const line = `clock: ${scenarios} scenarios, exact ${exact}/${scenarios}, ${doubleFires} double fires, ${loops} loops, max wakes/hour ${maxWakes} (bar ${MAX_WAKES_PER_HOUR})`
      + `${oracleDisagrees ? `, oracle disagrees with ${oracleDisagrees} hand-written cases` : ''}`;
    return { line, ok: exact === scenarios && doubleFires === 0 && loops === 0 && oracleDisagrees === 0 };
  },
};

