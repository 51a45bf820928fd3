// Two `task-scheduler run` processes on one workspace with one-second schedules. Every minute or so
// (a few seconds in the quick form) the leader — whoever holds the executor lease — is killed with
// SIGKILL and a replacement is started, so two processes always contend; once, the leader is frozen
// with SIGSTOP until the other has taken over, then resumed with SIGCONT. Default lease timings in the
// full form (heartbeat 5 s, TTL 15 s), short ones in the quick form.
//
// From the history at the end: no two runs of a task for one slot; never two runs of a task executing
// at once (every task has overlap: skip, so their [start, end] intervals must not overlap, across both
// processes); a deposed leader starts nothing after it was killed or frozen; the survivor's first run
// comes ≤ 30 s after each kill or freeze; nothing is left running after the clean stop.
import * as fs from 'fs';
import type { ChaosCheck, ChaosOptions, ChaosResult } from './check';
import {
  analyzeFailover, DEFAULT_TTL_MS, FAILOVER_FILES, failoverLine, failoverOk, FULL_EVENT_EVERY_MS, FULL_MIN_EVENTS, FULL_MIN_MS, FULL_MS,
  leaseRecord, QUICK_LEASE, QUICK_MIN_EVENTS, TAKEOVER_LIMIT_MS, type LeaderEvent,
} from './failover';
import {
  dataDirOf, ensureBuilt, historyRuns, killPids, makeWorkspace, processesMentioning, removeWorkspace, RunProcess,
  sleep, tail,
} from './procs';

const QUICK_EVENT_EVERY_MS = 5_000;

export const check: ChaosCheck = {
  name: 'two-executors',
  quickTimeoutMs: 120_000,
  async run({ full, log }: ChaosOptions): Promise<ChaosResult> {
    ensureBuilt();
    const durationMs = FULL_MS;
    const everyMs = full ? FULL_EVENT_EVERY_MS : QUICK_EVENT_EVERY_MS;
    const lease = full ? undefined : QUICK_LEASE;
    const ttlMs = lease?.ttlMs ?? DEFAULT_TTL_MS;
    const w = makeWorkspace('two', FAILOVER_FILES, lease);
    const procs: RunProcess[] = [];
    const events: LeaderEvent[] = [];
    const problems: string[] = [];
    const frozen = new Set<number>();
    const start = () => { const p = new RunProcess(w); procs.push(p); return p; };
    try {
      const first = start();
      await first.waitFor(/executing this workspace's tasks/, 60_000);
      const second = start();
      await second.waitFor(/standing by/, 60_000);
      const t0 = Date.now();
      const freezeAt = full ? 2 : 1; // the second event (or the third, in full) is the freeze
      for (let n = 0; ; n++) {
        // Full: as many as fit the duration; quick: a fixed number, so the form always proves as much.
        if (full ? Date.now() - t0 > durationMs - everyMs * 1.75 : n >= QUICK_MIN_EVENTS) break;
        await sleep(everyMs * (full ? 0.9 + Math.random() * 0.2 : 0.75 + Math.random() * 0.5));
        const record = leaseRecord(dataDirOf(w));
        const leader = procs.find((p) => !p.exited && p.pid === record?.pid);
        if (!record || !leader) { problems.push(`event ${n + 1}: no live process of ours holds the lease (${JSON.stringify(record)})`); continue; }
        if (n === freezeAt) {
          // Frozen in the middle of a run, whose child goes on without it.
          const from = leader.out.length;
          await leader.waitFor(/▶ busy started/, 10_000, from).catch(() => undefined);
          const at = Date.now();
          process.kill(leader.pid, 'SIGSTOP');
          frozen.add(leader.pid);
          events.push({ kind: 'freeze', at, leaderId: record.id, leaderPid: leader.pid });
          // Frozen past the TTL: until the other process holds the lease (or the limit), then a beat more.
          const until = at + TAKEOVER_LIMIT_MS + ttlMs;
          while (Date.now() < until && leaseRecord(dataDirOf(w))?.pid === leader.pid) await sleep(200);
          await sleep(Math.min(ttlMs, 3_000));
          process.kill(leader.pid, 'SIGCONT');
          frozen.delete(leader.pid);
          log(`froze the leader (pid ${leader.pid}) for ${((Date.now() - at) / 1000).toFixed(1)} s, then resumed it`);
        } else {
          events.push({ kind: 'kill', at: Date.now(), leaderId: record.id, leaderPid: leader.pid });
          leader.child.kill('SIGKILL');
          await leader.exit;
          start(); // two contenders again
          log(`killed the leader (pid ${leader.pid}) at ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        }
      }
      // The full form runs its whole duration; then the last takeover settles before the clean stop.
      if (full) await sleep(Math.max(0, t0 + durationMs - Date.now()));
      await sleep(Math.min(TAKEOVER_LIMIT_MS, ttlMs * 2 + 2_000));
      const elapsed = Date.now() - t0;
      const live = procs.filter((p) => !p.exited);
      const ends = await Promise.all(live.map((p) => p.stop('SIGINT')));
      ends.forEach((e, i) => { if (e.code !== 0) problems.push(`pid ${live[i].pid} ended with ${e.code ?? e.signal} on SIGINT:\n${tail(live[i].out, 8)}`); });
      for (const p of procs) if (/moved to|could not be read|error: history/i.test(p.out)) problems.push(`pid ${p.pid} reported a history problem:\n${tail(p.out, 8)}`);

      const runs = await historyRuns(w);
      const f = analyzeFailover(runs, events);
      problems.push(...f.problems);
      const leftovers = processesMentioning(w.base);
      if (leftovers.length) problems.push(`${leftovers.length} processes left after the clean stop`);
      for (const p of problems.slice(0, 20)) log(p);

      const ok = problems.length === 0 && failoverOk(f, events) && (!full || elapsed >= FULL_MIN_MS)
        && events.length >= (full ? FULL_MIN_EVENTS : QUICK_MIN_EVENTS) && events.some((e) => e.kind === 'freeze');
      const line = `two-executors: ${(elapsed / 1000).toFixed(0)} s, ${failoverLine(f, events)} `
        + `(lease: heartbeat ${(lease?.heartbeatMs ?? 5_000) / 1000} s, TTL ${ttlMs / 1000} s)`;
      return { ok, line };
    } finally {
      for (const pid of frozen) { try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ } }
      for (const p of procs) if (!p.exited) p.child.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exit));
      killPids(processesMentioning(w.base));
      if (process.env.CHAOS_KEEP) for (const p of procs) fs.writeFileSync(`${w.base}/run-${p.pid}.log`, p.out);
      removeWorkspace(w);
    }
  },
};
