// How much the history costs the host, at 10k and 100k runs: the longest event-loop block on the
// main thread while runs keep finishing, and the time until a finished run is durable (putRun →
// resolved). Ours (database in a worker, journal fsync'd from the caller's side) beside the naive
// peer measured in the same run: sql.js on the main thread, export + temp file + fsync + rename
// after every run. Two baselines from the same run frame the figures: the same driver with no store
// (this machine's own loop noise) and a bare append + fdatasync per run (this disk's own latency).
//   node --expose-gc -r ./test/register.js test/bench/history.bench.ts [--sizes 10000,100000] [--runs 400] [--snapshot-runs 1200]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { monitorEventLoopDelay, PerformanceObserver } from 'perf_hooks';
import type { SqlJsStatic } from 'sql.js';
import type { History, RunRecord } from '../../src/core/ports';
import { createHistory, historyFiles, type SnapshotPolicy } from '../../src/core/store';
import { HistoryEngine } from '../../src/core/store/engine';
import { loadSqlJs } from '../../src/core/store/locate';
import { runQuery } from '../../src/core/store/queries';
import { placeholders, RUN_COLUMNS, runToRow } from '../../src/core/store/rows';
import { DEFAULT_SNAPSHOT_POLICY } from '../../src/core/store/snapshot';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg('sizes', '10000,100000').split(',').map(Number);
/** Finished runs measured per phase. */
const RUNS = Number(arg('runs', '400'));
/** The phase that forces snapshots runs longer, so that several complete even at 100k runs. */
const SNAPSHOT_RUNS = Number(arg('snapshot-runs', '1200'));
/** The naive peer exports the whole file per run; a few dozen show its cost without taking minutes. */
const NAIVE_RUNS = (size: number) => Math.min(RUNS, size >= 100_000 ? 15 : 60);
/** A run finishes every 10 ms: 100 runs/s, far busier than any workspace, so batching is exercised. */
const INTERVAL_MS = 10;
/** The dashboard refreshes (recent runs, health, last errors) every 25 runs. */
const QUERY_EVERY = 25;
const TASKS = 50;
/** Measured runs are numbered from here, after every pre-populated one. */
const MEASURED_FROM = 10_000_000;
const GOAL_BLOCK_MS = 10;
const GOAL_DURABLE_MS = 50;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// Realistic rows: output of 1–4 KB of log-like text, a JSON result, a few failures.
const OUTPUTS = Array.from({ length: 97 }, (_, k) => {
  const lines: string[] = [];
  let size = 0;
  const target = 1024 + ((k * 7919) % 3072);
  for (let i = 0; size < target; i++) {
    const line = `[${new Date(1.7e12 + i * 1000).toISOString()}] step ${i}: processed ${(k * 31 + i * 17) % 1000} items from batch-${k}-${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n').slice(0, target);
});

function finishedRun(i: number, base: number): RunRecord {
  const status = i % 17 === 0 ? 'failed' : i % 53 === 0 ? 'timed-out' : 'succeeded';
  const queuedAt = base + i * 1000;
  return {
    id: `${queuedAt.toString(36)}-${i.toString(36).padStart(6, '0')}`, taskId: `task-${i % TASKS}`, trigger: 'schedule', status,
    attempt: 1, scheduledFor: queuedAt, queuedAt, startedAt: queuedAt + 5, endedAt: queuedAt + 5 + (i % 900), exitCode: status === 'failed' ? 1 : 0,
    error: status === 'succeeded' ? undefined : `Error: step ${i % 7} failed\n    at run (task.ts:12:9)`,
    output: OUTPUTS[i % OUTPUTS.length], outputTruncated: false, result: { items: i % 1000, ok: status === 'succeeded' },
    executor: 'bench',
  };
}

/** Build a history of `n` runs quickly: one transaction in-process, then one snapshot. */
function prepopulate(sql: SqlJsStatic, dataDir: string, n: number, base: number): number {
  const { engine } = HistoryEngine.openWriter({ sql, dataDir, now: Date.now(), policy: DEFAULT_SNAPSHOT_POLICY });
  function* mutations() {
    for (let i = 0; i < n; i++) yield { seq: i + 1, mutation: { op: 'putRun' as const, run: finishedRun(i, base) } };
  }
  engine.applyAll(mutations());
  const { bytes } = engine.snapshot();
  engine.close();
  return bytes;
}

interface LoopFigures {
  /** Longest gap of a 1 ms interval, wall clock. */
  maxMs: number;
  /** The same gap minus the time the OS kept the main thread waiting for a CPU. */
  ownMaxMs: number;
  /** The most CPU time the main thread itself used within one gap: the work that blocked it (ours, or the peer's). */
  cpuMaxMs: number;
  p99Ms: number;
  /** Longest garbage collection pause on the main thread meanwhile. */
  gcMaxMs: number;
}
interface Loop { stop(): LoopFigures }

/** The main thread's time on a CPU and waiting for one, in ms (Linux schedstat; zeros elsewhere). */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const schedstat = fs.existsSync(SCHEDSTAT)
  ? () => fs.readFileSync(SCHEDSTAT, 'utf8').split(' ').slice(0, 2).map((ns) => Number(ns) / 1e6)
  : () => [0, 0];

/**
 * The main thread's event-loop delay: a 1 ms-resolution histogram plus a 1 ms interval's worst gap.
 * On a shared VM a gap of tens of ms also happens with no store at all (the thread neither runs nor
 * waits for a CPU), so each gap is also split: time waiting for a CPU, and time actually running.
 */
function watchLoop(): Loop {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  let gcMax = 0;
  const gcs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMax = Math.max(gcMax, e.duration); });
  gcs.observe({ entryTypes: ['gc'] });
  let last = performance.now();
  let [lastCpu, lastWait] = schedstat();
  let worstGap = 0;
  let worstOwn = 0;
  let worstCpu = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    const [cpu, wait] = schedstat();
    const gap = now - last - 1;
    worstGap = Math.max(worstGap, gap);
    worstOwn = Math.max(worstOwn, gap - (wait - lastWait));
    worstCpu = Math.max(worstCpu, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
    lastWait = wait;
  }, 1);
  return {
    stop() {
      clearInterval(tick);
      h.disable();
      gcs.disconnect();
      return {
        maxMs: Math.max(h.max / 1e6 - 1, worstGap), ownMaxMs: worstOwn, cpuMaxMs: worstCpu, p99Ms: h.percentile(99) / 1e6 - 1, gcMaxMs: gcMax,
      };
    },
  };
}

interface Store {
  putRun(r: RunRecord): Promise<void>;
  dashboard(now: number): Promise<unknown>;
}

/** Finish `count` runs, one every INTERVAL_MS (not waiting for the previous), and time each putRun. */
async function drive(store: Store, count: number, base: number): Promise<{ latencies: number[]; block: LoopFigures }> {
  gc();
  const loop = watchLoop();
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    let i = 0;
    const timer = setInterval(() => {
      const r = finishedRun(MEASURED_FROM + i, base);
      const t0 = performance.now();
      pending.push(store.putRun(r).then(() => { latencies.push(performance.now() - t0); }));
      if (i % QUERY_EVERY === 0) pending.push(store.dashboard(r.endedAt ?? 0).then(() => undefined));
      if (++i >= count) { clearInterval(timer); resolve(); }
    }, INTERVAL_MS);
  });
  await Promise.all(pending);
  return { latencies, block: loop.stop() };
}

const ours = (h: History): Store => ({
  putRun: (r) => h.putRun(r),
  dashboard: (now) => Promise.all([h.runs({ limit: 20 }), h.health(86_400_000, now), h.lastErrors('task-3')]),
});

/** The naive peer: every putRun inserts, exports the whole database and replaces the file (atomically). */
function exportPerRun(sql: SqlJsStatic, file: string): Store & { close(): void } {
  const db = new sql.Database(fs.readFileSync(file));
  const insert = `INSERT OR REPLACE INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${placeholders(RUN_COLUMNS)})`;
  let chain = Promise.resolve();
  return {
    putRun(r) {
      db.run(insert, runToRow(r));
      const bytes = db.export();                        // synchronous: blocks the main thread
      chain = chain.then(async () => {
        const tmp = `${file}.tmp`;
        const fh = await fs.promises.open(tmp, 'w');
        try {
          await fh.writeFile(bytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await fs.promises.rename(tmp, file);
      });
      return chain;
    },
    async dashboard(now) {
      return [runQuery(db, { q: 'runs', query: { limit: 20 } }), runQuery(db, { q: 'health', windowMs: 86_400_000, now }),
        runQuery(db, { q: 'lastErrors', taskId: 'task-3' })];
    },
    close: () => db.close(),
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const blk = (b: LoopFigures) =>
  `${f(b.maxMs)} ms wall (${f(b.ownMaxMs)} net of waiting for a CPU; most CPU used within one gap ${f(b.cpuMaxMs)} ms; longest GC ${f(b.gcMaxMs)} ms)`;
const lat = (xs: number[]) => `p50/p99/max ${f(pct(xs, 50))}/${f(pct(xs, 99))}/${f(Math.max(...xs))} ms`;
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

/** Count snapshots written during a phase by watching the file's identity. */
function countSnapshots(file: string): () => number {
  let last = fs.statSync(file).ino;
  let n = 0;
  const t = setInterval(() => {
    fs.promises.stat(file).then((st) => { if (st.ino !== last) { n++; last = st.ino; } }, () => undefined);
  }, 50);
  return () => { clearInterval(t); return n; };
}

async function phaseOurs(seedFile: string, root: string, name: string, policy: Partial<SnapshotPolicy>, base: number, runs: number) {
  const dataDir = path.join(root, name);
  fs.mkdirSync(dataDir);
  fs.copyFileSync(seedFile, historyFiles(dataDir).db);
  gc();
  const openLoop = watchLoop();
  const t0 = performance.now();
  const errors: Error[] = [];
  const h = createHistory({ dataDir, policy, onError: (e) => errors.push(e) });
  await h.open();
  const openMs = performance.now() - t0;
  const openBlock = openLoop.stop();
  const snapshots = countSnapshots(historyFiles(dataDir).db);
  const r = await drive(ours(h), runs, base);
  const during = snapshots();
  const t1 = performance.now();
  await h.close();
  const closeMs = performance.now() - t1;
  if (errors.length) throw errors[0];
  const check = createHistory({ dataDir });
  await check.open();
  const kept = (await check.runs({ limit: runs * 2 })).filter((x) => x.queuedAt >= base + MEASURED_FROM * 1000).length;
  await check.close();
  if (kept !== runs) throw new Error(`${name}: ${kept} of ${runs} measured runs found after reopening`);
  return { ...r, openMs, openBlock, closeMs, snapshots: during };
}

async function main(): Promise<void> {
  const sql = await loadSqlJs();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-history-bench-'));
  const lines: string[] = [];
  console.log(`node ${process.version}, ${os.cpus().length} cpus; ${RUNS} runs finishing every ${INTERVAL_MS} ms, dashboard queries every ${QUERY_EVERY}`);
  try {
    for (const size of SIZES) {
      const base = Date.UTC(2024, 0, 1);
      const seedDir = path.join(root, `seed-${size}`);
      let t = performance.now();
      const bytes = prepopulate(sql, seedDir, size, base);
      const seedFile = historyFiles(seedDir).db;
      console.log(`\n${label(size)} runs: file ${mb(bytes)}, built in ${f(performance.now() - t)} ms`);

      // The same driver with no store at all: the machine's own noise floor (other processes, GC, timers).
      const idle = await drive({ putRun: () => new Promise((r) => setImmediate(r)), dashboard: async () => undefined }, RUNS, base);
      console.log(`  baseline (no store): longest block ${blk(idle.block)}, loop delay p99 ${f(idle.block.p99Ms)} ms`);

      // The disk's own floor: each run's JSON line appended and fdatasync'd by itself, no database at all.
      const floorFile = await fs.promises.open(path.join(root, `floor-${size}.jsonl`), 'a');
      const disk = await drive({
        putRun: async (r) => { await floorFile.write(JSON.stringify(r) + '\n'); await floorFile.datasync(); },
        dashboard: async () => undefined,
      }, RUNS, base);
      await floorFile.close();
      console.log(`  baseline (append + fdatasync of each line, no database): durable ${lat(disk.latencies)}`);

      const a = await phaseOurs(seedFile, root, `ours-${size}`, {}, base, RUNS);
      console.log(`  ours (default policy): open ${f(a.openMs)} ms (main thread meanwhile: longest block ${blk(a.openBlock)}); `
        + `longest block ${blk(a.block)}, loop delay p99 ${f(a.block.p99Ms)} ms, durable ${lat(a.latencies)}, `
        + `${a.snapshots} snapshots, close ${f(a.closeMs)} ms`);
      // Long enough for snapshots of the largest file (export, then ~4 s of paced writing) to finish inside the window.
      const s = await phaseOurs(seedFile, root, `ours-snap-${size}`, { minJournalBytes: 256 << 10, minJournalEntries: 50, journalToSnapshotRatio: 0 }, base, SNAPSHOT_RUNS);
      console.log(`  ours (a snapshot whenever ~256 KiB of journal wait, ${SNAPSHOT_RUNS} runs): longest block ${blk(s.block)}, loop delay p99 ${f(s.block.p99Ms)} ms, `
        + `durable ${lat(s.latencies)}, ${s.snapshots} snapshots written meanwhile`);

      const naiveDir = path.join(root, `naive-${size}`);
      fs.mkdirSync(naiveDir);
      const naiveFile = path.join(naiveDir, 'history.sqlite');
      fs.copyFileSync(seedFile, naiveFile);
      gc();
      t = performance.now();
      const naive = exportPerRun(sql, naiveFile);
      const loadMs = performance.now() - t;
      const n = await drive(naive, NAIVE_RUNS(size), base);
      naive.close();
      console.log(`  export-per-run: load ${f(loadMs)} ms on the main thread, longest block ${blk(n.block)}, `
        + `durable ${lat(n.latencies)} (${n.latencies.length} runs)`);

      const worstBlock = Math.max(a.block.maxMs, s.block.maxMs);
      const worstP99 = Math.max(pct(a.latencies, 99), pct(s.latencies, 99));
      const met = worstBlock <= GOAL_BLOCK_MS && worstP99 <= GOAL_DURABLE_MS;
      lines.push(`${label(size)} runs (${mb(bytes)}): longest loop block ours ${f(a.block.maxMs)} ms (${f(s.block.maxMs)} with snapshots) `
        + `vs export-per-run ${f(n.block.maxMs)} ms [no store: ${f(idle.block.maxMs)} ms; main-thread CPU in one gap ours ${f(a.block.cpuMaxMs)}/${f(s.block.cpuMaxMs)} vs ${f(n.block.cpuMaxMs)} ms]; `
        + `durable p50/p99 ours ${f(pct(a.latencies, 50))}/${f(pct(a.latencies, 99))} ms (${f(pct(s.latencies, 50))}/${f(pct(s.latencies, 99))} with snapshots) `
        + `vs ${f(pct(n.latencies, 50))}/${f(pct(n.latencies, 99))} ms [raw append+fdatasync ${f(pct(disk.latencies, 50))}/${f(pct(disk.latencies, 99))} ms] `
        + `— goal ≤ ${GOAL_BLOCK_MS} ms / ≤ ${GOAL_DURABLE_MS} ms ${met ? 'met' : 'NOT met'}`);
      for (const d of [seedDir, naiveDir, path.join(root, `ours-${size}`), path.join(root, `ours-snap-${size}`)]) fs.rmSync(d, { recursive: true, force: true });
      gc();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log('\n' + lines.join('\n'));
}

main().catch((e) => { console.error(e); process.exit(1); });
