// `npm run bench cluster`: the cluster on PostgreSQL beside its peers, all in one run on one Postgres that
// this bench starts (test/pg/server.ts), one database per measurement.
//  1. Firing lateness over the same window: our 1-second slots across 3 members with an in-process no-op
//     executor (goal p99 ≤ 100 ms; then 30 s of members whose runs are `true` processes, shown) beside
//     pg-boss `schedule()` and graphile-worker's crontab on minute slots (both are minute-granular).
//  2. Throughput: our slot claims per second with 1, 2 and 3 members (an in-process no-op executor) beside
//     graphile-worker's no-op jobs per second in one worker process on this machine.
// Settings: BENCH_PEER_MINUTES (default 3), BENCH_PEER_SCHEDULES, BENCH_PEER_JOBS, BENCH_PEER_CONCURRENCY,
// BENCH_PEER_CRON_CONCURRENCY (clusterPeers.ts), BENCH_OUR_TASKS, BENCH_CLAIM_TASKS (clusterOurs.ts).
// Takes about minutes + 3.
// Run: npm run bench cluster   (BENCH_PEER_MINUTES=1 BENCH_PEER_JOBS=2000 for a quick look)
import * as os from 'os';
import { startPostgres, type PgServer } from '../pg/server';
import { claimsPerSecond, formatOurClaims, formatOurLateness, ourOptionsFromEnv, startLatenessMembers, type OurClaims } from './clusterOurs';
import { formatLateness, formatThroughput, graphileJobsPerSecond, measureCronLateness, peerOptionsFromEnv, type Throughput } from './clusterPeers';

/**
 * graphile-worker's stop() ends its pool without waiting: a connection Postgres closed under it would be an
 * unhandled 'error' that ends this process. So the server stops once every client has left (or after 10 s).
 */
async function clientsGone(pg: PgServer): Promise<void> {
  const count = () => Number(pg.psql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()").trim());
  for (const end = Date.now() + 10_000; Date.now() < end && count() > 0;) await new Promise((r) => setTimeout(r, 100));
}

/** How long the members whose runs are processes are measured (after the peers' window). */
const PROCESS_WINDOW_MS = 30_000;

async function main(): Promise<void> {
  const t0 = Date.now();
  const opts = peerOptionsFromEnv();
  const pg = await startPostgres();
  console.log(`PostgreSQL on ${pg.host}:${pg.port}; ${os.cpus().length} CPU(s), Node ${process.version}`);
  try {
    const urls = {
      pgBossDefaults: await pg.createDatabase('peer_pgboss_defaults'),
      pgBossTuned: await pg.createDatabase('peer_pgboss_tuned'),
      graphile: await pg.createDatabase('peer_graphile_cron'),
    };
    const ours = ourOptionsFromEnv();
    // Our members start first (each loads and joins), then measure over the peers' window.
    const members = await startLatenessMembers(await pg.createDatabase('ours_lateness'), ours, 'noop');
    let window = { first: 0, last: 0 };
    let lateness: Awaited<ReturnType<typeof measureCronLateness>>;
    let mine: Awaited<ReturnType<typeof members.measure>>;
    try {
      lateness = await measureCronLateness(urls, opts, (l) => console.log(l), async (w) => {
        window = w;
        // Our 1-second slots of the same minutes: the last minute's 60 of them, and a moment for their starts.
        while (Date.now() < w.last + 62_000) await new Promise((r) => setTimeout(r, 500));
      });
      mine = await members.measure(window);
    } finally {
      await members.stop();
    }
    // Beside it, after the window: real members whose runs are processes (a process start per run).
    const real = await startLatenessMembers(await pg.createDatabase('ours_lateness_processes'), ours, 'process');
    let withProcesses: Awaited<ReturnType<typeof real.measure>>;
    try {
      const first = Math.ceil(Date.now() / 1000) * 1000 + 2_000;
      await new Promise((r) => setTimeout(r, PROCESS_WINDOW_MS + 4_000));
      withProcesses = await real.measure({ first, last: first + PROCESS_WINDOW_MS - 60_000 });
    } finally {
      await real.stop();
    }
    console.log('\nfiring lateness');
    console.log(formatOurLateness(mine));
    console.log(formatOurLateness(withProcesses));
    for (const l of lateness) {
      console.log(formatLateness(l));
      if (mine.p99 > 0) console.log(`  p99 ratio ${l.label.split(' (')[0]} / ours: ${(l.p99 / mine.p99).toFixed(1)}× (their minute slots, our 1-second slots)`);
    }

    console.log('\nthroughput');
    const claims: OurClaims[] = [];
    for (const n of [1, 2, 3]) {
      claims.push(await claimsPerSecond(await pg.createDatabase(`ours_claims_${n}`), n, ours.claimTasks));
      console.log(formatOurClaims(claims[claims.length - 1]));
    }
    const peers: Throughput[] = [];
    for (const c of opts.concurrencies) {
      const url = await pg.createDatabase(`peer_graphile_jobs_c${c}`);
      peers.push(await graphileJobsPerSecond(url, opts.jobs, c));
      console.log(formatThroughput(peers[peers.length - 1]));
    }
    for (const p of peers) {
      console.log(`  ratio ours / graphile-worker (concurrency ${p.concurrency}): ${claims.map((c) => `${c.members} member(s) ${(c.perSecond / p.perSecond).toFixed(2)}×`).join(', ')}`);
    }
  } finally {
    await clientsGone(pg);
    await pg.stop();
  }
  console.log(`\ncluster bench took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
