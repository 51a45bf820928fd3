// One member of the claims benchmark (clusterOurs.ts), started as its own process: the real cluster
// member (ClusterService: membership, claims, history, reaper) with an in-process executor that does
// nothing, so what is measured is the scheduling and the claims, not a process start per run.
//   node -r test/register.js test/bench/clusterNoopMember.ts <folder> <database url> <cluster> <data dir>
// Prints `member ready` once it executes; stops cleanly on SIGTERM.
import * as path from 'path';
import { loadCluster } from '../../src/core/clusterChunk';
import type { Executor } from '../../src/core/ports';
import { runtimeFromDist } from '../../src/core/workspace/runtime';

const [folder, url, name, dataDir] = process.argv.slice(2);

/** `vscodeCommand` jobs: a kind the process executor leaves to others, so every run comes here. */
const noop: Executor = {
  kinds: ['vscodeCommand'],
  start() {
    const now = Date.now();
    return { cancel: () => undefined, done: Promise.resolve({ status: 'succeeded', startedAt: now, endedAt: now, output: '', outputTruncated: false }) };
  },
  dispose: async () => undefined,
};

const { ClusterService } = loadCluster();
const service = new ClusterService({
  folder, dataDir, store: { url, name }, version: 'bench', runtime: runtimeFromDist(path.join(__dirname, '../../dist')),
  ownerLabel: `bench member (pid ${process.pid})`, executors: [noop], warmSpare: false,
  log: (level, message) => { if (level === 'warn' || level === 'error') process.stderr.write(`${level}: ${message}\n`); },
});
service.onEvent((e) => { if (e.type === 'role-changed' && e.role === 'executor') console.log('member ready'); });
process.once('SIGTERM', () => { void service.stop().then(() => process.exit(0), () => process.exit(1)); });
service.start().catch((e: Error) => { console.error(e.message); process.exit(1); });
