// The peers of `npm run bench cluster`, measured on a Postgres the bench started (one database each):
//  - cron lateness of pg-boss `schedule()` and graphile-worker's crontab. Both are minute-granular, so each
//    runs S schedules of `* * * * *` over M minute slots; lateness = handler start − the slot's minute
//    boundary. pg-boss runs twice: with its defaults, and with its shortest documented intervals.
//  - graphile-worker's jobs per second: N no-op jobs queued, then one worker (one process) runs them all.
// Versions pinned in package.json (pg-boss 10, graphile-worker 0.17: the last that run on Node 20).
import { Logger, makeWorkerUtils, run, type Runner } from 'graphile-worker';
import PgBoss from 'pg-boss';

/** Wall-clock time with sub-millisecond resolution (Date.now() has whole ms). */
const preciseNow = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MINUTE = 60_000;
/** Setup to first measured slot at least this long, so every peer is past its start-up. */
const LEAD_IN_MS = 10_000;
/** Wait after the last slot at most this long for late fires (pg-boss's default cron check alone is every 30 s). */
const TAIL_MS = 58_000;

export interface PeerOptions {
  /** Minute slots measured per schedule (BENCH_PEER_MINUTES, default 3). */
  minutes: number;
  /** `* * * * *` schedules per peer (BENCH_PEER_SCHEDULES, default 20). */
  schedules: number;
  /** graphile-worker's concurrency while its crontab fires (BENCH_PEER_CRON_CONCURRENCY, default 10). */
  cronConcurrency: number;
  /** No-op jobs per throughput run (BENCH_PEER_JOBS, default 10000). */
  jobs: number;
  /** graphile-worker concurrencies to measure throughput at (BENCH_PEER_CONCURRENCY, default "1,10": its default and its perf test's). */
  concurrencies: number[];
}

export function peerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PeerOptions {
  const int = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected a whole number ≥ ${min}`);
    return n;
  };
  const list = (env.BENCH_PEER_CONCURRENCY ?? '1,10').split(',').map((s) => s.trim());
  const concurrencies = list.map(Number);
  if (concurrencies.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`BENCH_PEER_CONCURRENCY=${env.BENCH_PEER_CONCURRENCY}: expected whole numbers ≥ 1, comma-separated (e.g. 1,10)`);
  }
  return {
    minutes: int('BENCH_PEER_MINUTES', 3, 1),
    schedules: int('BENCH_PEER_SCHEDULES', 20, 1),
    cronConcurrency: int('BENCH_PEER_CRON_CONCURRENCY', 10, 1),
    jobs: int('BENCH_PEER_JOBS', 10_000, 1),
    concurrencies,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

interface Fire { key: string; slot: number; at: number }

export interface Lateness {
  label: string;
  schedules: number;
  /** Slots expected: schedules × minutes. */
  expected: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** Slots that did not fire by the end of the tail. */
  missed: number;
  /** Fires beyond the first of a slot. */
  doubles: number;
}

function latenessOf(label: string, fires: Fire[], keys: string[], first: number, last: number): Lateness {
  const inWindow = fires.filter((f) => f.slot >= first && f.slot <= last);
  const perSlot = new Map<string, number>();
  for (const f of inWindow) perSlot.set(`${f.key}@${f.slot}`, (perSlot.get(`${f.key}@${f.slot}`) ?? 0) + 1);
  let missed = 0;
  for (const k of keys) for (let s = first; s <= last; s += MINUTE) if (!perSlot.has(`${k}@${s}`)) missed++;
  const doubles = [...perSlot.values()].reduce((n, c) => n + c - 1, 0);
  const late = inWindow.map((f) => f.at - f.slot).sort((a, b) => a - b);
  const expected = keys.length * ((last - first) / MINUTE + 1);
  return { label, schedules: keys.length, expected, samples: late.length, p50: percentile(late, 50), p99: percentile(late, 99), max: late[late.length - 1] ?? NaN, missed, doubles };
}

/** A started peer: its fires so far, the keys of its schedules, and how to stop it. */
interface CronPeer { label: string; fires: Fire[]; keys: string[]; stop(): Promise<void> }

/** pg-boss has no slot in its job: a fire belongs to the minute it started in (its lateness stays well under a minute; a fire a whole minute late would show as missed + double). */
async function startPgBoss(url: string, schedules: number, tuned: boolean): Promise<CronPeer> {
  const label = tuned ? 'pg-boss 10 schedule() (shortest intervals)' : 'pg-boss 10 schedule() (defaults)';
  // Defaults: cron check every 30 s, cron worker every 5 s, job polling every 2 s. Shortest allowed: 1 s, 1 s, 0.5 s.
  const intervals = tuned ? { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 } : {};
  const boss = new PgBoss({ connectionString: url, ...intervals });
  const errors: unknown[] = [];
  boss.on('error', (e) => errors.push(e));
  await boss.start();
  const fires: Fire[] = [];
  const keys = Array.from({ length: schedules }, (_, i) => `tick-${i}`);
  for (const key of keys) {
    await boss.createQueue(key);
    await boss.schedule(key, '* * * * *', { key }, { tz: 'UTC' });
    await boss.work(key, tuned ? { pollingIntervalSeconds: 0.5 } : {}, async (jobs) => {
      const at = preciseNow();
      fires.push(...jobs.map(() => ({ key, slot: Math.floor(at / MINUTE) * MINUTE, at })));
    });
  }
  return {
    label, fires, keys,
    async stop() {
      await boss.stop({ graceful: false, wait: true });
      if (errors.length) console.log(`  ${label}: ${errors.length} error event(s), first: ${String(errors[0])}`);
    },
  };
}

/** graphile-worker's logger, quiet but for errors (its default logs every job). */
const quietLogger = new Logger(() => (level, message) => { if (level === 'error') console.error(`  graphile-worker: ${message}`); });

async function startGraphileCron(url: string, schedules: number, concurrency: number): Promise<CronPeer> {
  const keys = Array.from({ length: schedules }, (_, i) => `tick${i}`);
  const fires: Fire[] = [];
  const runner = await run({
    connectionString: url, concurrency, noHandleSignals: true, logger: quietLogger,
    // One line per schedule, the same task; `id` keeps each its own identifier, the payload says which it is.
    crontab: keys.map((key) => `* * * * * tick ?id=${key} ${JSON.stringify({ key })}`).join('\n'),
    taskList: {
      tick: async (payload) => {
        const at = preciseNow();
        const p = payload as { key: string; _cron: { ts: string } };
        fires.push({ key: p.key, slot: Date.parse(p._cron.ts), at });
      },
    },
  });
  return { label: `graphile-worker 0.17 crontab (concurrency ${concurrency})`, fires, keys, stop: () => runner.stop() };
}

/** The minute slots of the next measuring window, from now. */
export function minuteWindow(minutes: number, now = Date.now()): { first: number; last: number } {
  const first = Math.ceil((now + LEAD_IN_MS) / MINUTE) * MINUTE;
  return { first, last: first + (minutes - 1) * MINUTE };
}

export interface CronUrls { pgBossDefaults: string; pgBossTuned: string; graphile: string }

/**
 * Runs every cron peer over the same minute slots, at the same time, and returns their lateness.
 * `during(window)` runs alongside (the bench's own side measures over the same window there).
 */
export async function measureCronLateness(urls: CronUrls, opts: PeerOptions, log: (line: string) => void,
  during?: (window: { first: number; last: number }) => Promise<void>): Promise<Lateness[]> {
  const peers: CronPeer[] = [];
  try {
    peers.push(await startPgBoss(urls.pgBossDefaults, opts.schedules, false));
    peers.push(await startPgBoss(urls.pgBossTuned, opts.schedules, true));
    peers.push(await startGraphileCron(urls.graphile, opts.schedules, opts.cronConcurrency));
    const { first, last } = minuteWindow(opts.minutes);
    log(`cron peers: ${opts.schedules} schedules each, ${opts.minutes} minute slot(s) ${new Date(first).toISOString()} → ${new Date(last).toISOString()}`);
    const alongside = during?.({ first, last });
    const complete = () => peers.every((p) => p.fires.filter((f) => f.slot >= first && f.slot <= last).length >= p.keys.length * opts.minutes);
    await sleep(Math.max(0, last - Date.now()));
    while (!complete() && Date.now() < last + TAIL_MS) await sleep(250);
    await sleep(1_000); // a double fire of the last slot still gets counted
    await alongside;
    return peers.map((p) => latenessOf(p.label, p.fires, p.keys, first, last));
  } finally {
    for (const p of peers) await p.stop();
  }
}

export interface Throughput { label: string; jobs: number; concurrency: number; queueSeconds: number; runSeconds: number; perSecond: number }

/** graphile-worker in this process: N no-op jobs queued (batches of 1000), then a worker started; from its first job to the last complete. */
export async function graphileJobsPerSecond(url: string, jobs: number, concurrency: number): Promise<Throughput> {
  const utils = await makeWorkerUtils({ connectionString: url, logger: quietLogger });
  let runner: Runner | undefined;
  try {
    await utils.migrate();
    const q0 = preciseNow();
    for (let i = 0; i < jobs; i += 1000) {
      await utils.addJobs(Array.from({ length: Math.min(1000, jobs - i) }, () => ({ identifier: 'noop', payload: {} })));
    }
    const queueSeconds = (preciseNow() - q0) / 1000;
    let firstStart = 0;
    let completed = 0;
    let failed = 0;
    let allDone!: () => void;
    const done = new Promise<void>((r) => { allDone = r; });
    runner = await run({
      connectionString: url, concurrency, noHandleSignals: true, logger: quietLogger,
      taskList: { noop: async () => { if (!firstStart) firstStart = preciseNow(); } },
    });
    runner.events.on('job:complete', ({ error }) => {
      if (error) failed++;
      if (++completed === jobs) allDone();
    });
    // No run of this size takes 10 minutes unless something is wrong: say so rather than hang.
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`graphile-worker: only ${completed} of ${jobs} jobs completed in 10 minutes`)), 10 * MINUTE);
    });
    await Promise.race([done, limit]).finally(() => clearTimeout(timer));
    const runSeconds = (preciseNow() - firstStart) / 1000;
    if (failed) throw new Error(`graphile-worker: ${failed} of ${jobs} no-op jobs failed`);
    return { label: 'graphile-worker 0.17 jobs', jobs, concurrency, queueSeconds, runSeconds, perSecond: jobs / runSeconds };
  } finally {
    await runner?.stop();
    await utils.release();
  }
}

const ms = (x: number): string => (x >= 1_000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);

export function formatLateness(l: Lateness): string {
  return `${l.label}: minute-slot lateness p50 ${ms(l.p50)} · p99 ${ms(l.p99)} · max ${ms(l.max)}; `
    + `${l.samples}/${l.expected} fired (${l.schedules} schedules), missed ${l.missed}, doubles ${l.doubles}`;
}

export function formatThroughput(t: Throughput): string {
  return `${t.label}: ${t.perSecond.toFixed(0)} jobs/s with concurrency ${t.concurrency} `
    + `(${t.jobs} no-op jobs run in ${t.runSeconds.toFixed(2)} s by 1 worker process; queued in ${t.queueSeconds.toFixed(2)} s)`;
}
