// `npm run bench cluster`: the cluster on PostgreSQL beside its peers, all in one run on one Postgres that
// this bench starts (test/pg/server.ts), one database per measurement.
//  1. Firing lateness over the same window: our 1-second slots across 3 members (goal p99 ≤ 100 ms) beside
//     pg-boss `schedule()` and graphile-worker's crontab on minute slots (both are minute-granular).
//  2. Throughput: our slot claims per second with 1, 2 and 3 members (an in-process no-op executor) beside
//     graphile-worker's no-op jobs per second in one worker process on this machine.
// Our side lands with the cluster core (issue 11); until then this prints the peers and says ours is not
// measured. Peers' settings: BENCH_PEER_MINUTES (default 3), BENCH_PEER_SCHEDULES, BENCH_PEER_JOBS,
// BENCH_PEER_CONCURRENCY, BENCH_PEER_CRON_CONCURRENCY (see clusterPeers.ts). Takes about minutes + 2.
// Run: npm run bench cluster   (BENCH_PEER_MINUTES=1 BENCH_PEER_JOBS=2000 for a quick look)
import * as os from 'os';
import { startPostgres, type PgServer } from '../pg/server';
import { formatLateness, formatThroughput, graphileJobsPerSecond, measureCronLateness, peerOptionsFromEnv } from './clusterPeers';

const NOT_YET = 'not yet measured (cluster core not merged)';

/**
 * graphile-worker's stop() ends its pool without waiting: a connection Postgres closed under it would be an
 * unhandled 'error' that ends this process. So the server stops once every client has left (or after 10 s).
 */
async function clientsGone(pg: PgServer): Promise<void> {
  const count = () => Number(pg.psql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()").trim());
  for (const end = Date.now() + 10_000; Date.now() < end && count() > 0;) await new Promise((r) => setTimeout(r, 100));
}

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
    // OURS (1), as measureCronLateness's `during` argument: start 3 members (`task-scheduler run` against a
    // database of this server) with ≥ 20 tasks on 1-second schedules, record each slot's start against its due
    // second over this same window, stop them.
    const lateness = await measureCronLateness(urls, opts, (l) => console.log(l));
    console.log('\nfiring lateness');
    console.log(`ours (3 members, 1-second slots): ${NOT_YET}`);
    for (const l of lateness) console.log(formatLateness(l));

    console.log('\nthroughput');
    // OURS (2): slot claims per second with 1, 2 and 3 members, each an in-process engine with a no-op
    // executor, on a fresh database of this server.
    console.log(`ours (slot claims/s with 1, 2, 3 members): ${NOT_YET}`);
    for (const c of opts.concurrencies) {
      const url = await pg.createDatabase(`peer_graphile_jobs_c${c}`);
      console.log(formatThroughput(await graphileJobsPerSecond(url, opts.jobs, c)));
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
