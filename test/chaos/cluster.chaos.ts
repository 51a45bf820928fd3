// Three `task-scheduler run` members of one cluster, each in its own network namespace (netns.ts), on one
// PostgreSQL (test/pg/server.ts) listening on the bridge, with 24 tasks (clusterWorkspace.ts: 15 every
// second, every overlap policy, retries, a timeout, a dependency, long runs). Every ~30 s (a few seconds
// in the quick form) something goes wrong, in turn: kill -9 of a member (restarted after), SIGSTOP of a
// member until the cluster declared it dead (then SIGCONT), a member's link to Postgres cut until it was
// declared dead (then restored), `pg_ctl restart -m immediate`, and a member cut off long enough to keep
// its writes locally, then killed and restarted (its successor writes what it kept). A victim is a member
// running a long task when there is one, so its death interrupts a run whose retry can be timed.
//
// At the end the members stop one by one (the last ones reap what the others left), the whole history is
// read from Postgres, and one line says: slots run, duplicates (database and ledger), finished runs lost
// (printed by a member, not stored with that status), runs stuck running, slots with no record, stale
// writes refused, failover (death → the first slot the victim ranked first for, started by another
// member; bar 5 s) and retry after death (death → the interrupted run's retry starting; bar 10 s).
// Cluster timings: the defaults in the full form (heartbeat 1 s, TTL 4 s), short ones in the quick form.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_TIMINGS } from '../../src/core/cluster/timings';
import { startPostgres, type PgServer } from '../pg/server';
import { sql } from '../unit/helpers/clusterMembers';
import type { ChaosCheck, ChaosOptions, ChaosResult } from './check';
import { analyze, pidOf, RETRY_BAR_MS, spread, TAKEOVER_BAR_MS, type ClusterEvent, type EventKind, type Row } from './clusterFigures';
import { clusterFiles, LEDGER_FILE, LONG_TASKS, TASK_COUNT, TICKS, type LedgerLine } from './clusterWorkspace';
import { createNetns, netnsUnavailable, type Netns } from './netns';
import { ensureBuilt, killPids, makeWorkspace, processesMentioning, removeWorkspace, RunProcess, sleep, tail, type Workspace } from './procs';

const CLUSTER = 'chaos';
const FULL_MS = 10.5 * 60_000;
const FULL_GAP_MS = 30_000;
const QUICK_GAP_MS = 4_000;
const QUICK_TIMINGS = { heartbeatMs: 500, ttlMs: 2_000, pollMs: 1_000 };
const FULL_PATTERN: EventKind[] = ['kill', 'freeze', 'kill', 'cut', 'pg-restart', 'kill', 'freeze', 'kill', 'cut-kill', 'kill'];
const QUICK_PATTERN: EventKind[] = ['kill', 'freeze', 'cut', 'pg-restart'];
/** A member notices a cut link when a query has not answered for 10 s (db.ts QUERY_TIMEOUT_MS); then it keeps its writes locally. */
const NOTICE_CUT_MS = 12_000;
const EXECUTING = /executing this workspace's tasks/;

export const check: ChaosCheck = {
  name: 'cluster',
  quickTimeoutMs: 180_000,
  unavailable: () => netnsUnavailable(),
  async run({ full, log }: ChaosOptions): Promise<ChaosResult> {
    ensureBuilt();
    const timings = full ? DEFAULT_TIMINGS : QUICK_TIMINGS;
    const net = createNetns({ count: 3, prefix: 'tsc' });
    let pg: PgServer | undefined;
    let w: Workspace | undefined;
    const procs: RunProcess[] = [];
    const slots: Array<RunProcess | undefined> = [undefined, undefined, undefined];
    const frozen = new Set<number>();
    const events: ClusterEvent[] = [];
    const problems: string[] = [];
    try {
      pg = await startPostgres({ listen: ['127.0.0.1', net.hostAddress] });
      const url = await pg.createDatabase('cluster_chaos');
      w = makeWorkspace('cluster', {});
      const ledgerFile = path.join(w.base, LEDGER_FILE);
      const store = `store: { url: "\${env:TEST_DATABASE_URL}", name: ${CLUSTER} }`;
      for (const [rel, text] of Object.entries(clusterFiles(ledgerFile))) fs.writeFileSync(path.join(w.ws, rel), text.replace('STORE', store));
      const env: NodeJS.ProcessEnv = {
        ...w.env, TEST_DATABASE_URL: pg.urlFor('cluster_chaos', net.hostAddress),
        TASK_SCHEDULER_CLUSTER_HEARTBEAT_MS: String(timings.heartbeatMs), TASK_SCHEDULER_CLUSTER_TTL_MS: String(timings.ttlMs),
        TASK_SCHEDULER_CLUSTER_POLL_MS: String(timings.pollMs),
      };
      delete env.TASK_SCHEDULER_DATABASE_URL;
      const ws = w;
      const start = (i: number): RunProcess => {
        const home = path.join(ws.base, `home-${i}`);
        const p = new RunProcess({ ...ws, home, env: { ...env, TASK_SCHEDULER_HOME: home } }, [], (cmd, args, opts) => net.exec(i, cmd, args, opts));
        procs.push(p);
        slots[i] = p;
        return p;
      };
      const q = <T>(text: string, params: unknown[] = []) => sql<T>(url, text, params);
      /** Active members' ids (a query that fails while Postgres restarts is asked again). */
      const activeIds = async (): Promise<string[]> => {
        for (;;) {
          try { return (await q<{ id: string }>('SELECT id FROM task_scheduler.members WHERE cluster = $1 AND standby IS NULL', [CLUSTER])).map((r) => r.id); }
          catch { await sleep(200); }
        }
      };
      const up = (i: number) => { const p = slots[i]; return !!p && !p.exited && !frozen.has(p.pid) && !net.isCut(i) && EXECUTING.test(p.out); };

      for (let i = 0; i < 3; i++) start(i);
      await Promise.all(slots.map((p) => p!.waitFor(EXECUTING, 120_000)));
      log(`3 members in namespaces ${net.members.map((m) => m.name).join(', ')} on ${net.subnet}; Postgres at ${net.hostAddress}:${pg.port}`);
      await sleep(3_000);
      const t0 = Date.now();

      /** A member up, preferably one running a long task now (its death then interrupts a run with retries). */
      const pickVictim = async (waitMs: number): Promise<number> => {
        const end = Date.now() + waitMs;
        for (;;) {
          const live = [0, 1, 2].filter(up);
          const rows = await q<{ member: string }>("SELECT member FROM task_scheduler.runs WHERE cluster = $1 AND status = 'running' AND task_id = ANY($2)", [CLUSTER, LONG_TASKS]).catch(() => []);
          const busy = live.filter((i) => rows.some((r) => pidOf(r.member) === slots[i]!.pid));
          if (busy.length || Date.now() > end) {
            const from = busy.length ? busy : live;
            if (from.length) return from[Math.floor(Math.random() * from.length)];
          }
          await sleep(250);
        }
      };
      /** Until the cluster deleted the victim's member row (declared it dead); false after `ms`. */
      const declaredDead = async (id: string, ms: number): Promise<boolean> => {
        for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
          const rows = await q('SELECT 1 FROM task_scheduler.members WHERE cluster = $1 AND id = $2', [CLUSTER, id]).catch(() => undefined);
          if (rows && rows.length === 0) return true;
        }
        return false;
      };
      const restart = async (i: number) => {
        const p = start(i);
        await p.waitFor(EXECUTING, 60_000).catch((e: Error) => problems.push(`restarted member ${i} did not execute: ${e.message}`));
      };

      const act = async (kind: EventKind) => {
        if (kind === 'pg-restart') {
          const at = Date.now();
          await pg!.restartImmediate();
          events.push({ kind, at });
          log(`${((at - t0) / 1000).toFixed(0)} s: pg_ctl restart -m immediate (${Date.now() - at} ms)`);
          return;
        }
        const i = await pickVictim(full ? 15_000 : 5_000);
        const victim = slots[i]!;
        const members = await activeIds();
        const victimId = members.find((id) => pidOf(id) === victim.pid);
        if (!victimId) problems.push(`${kind}: member ${i} (pid ${victim.pid}) was not an active member`);
        const at = Date.now();
        const event: ClusterEvent = { kind, at, victimPid: victim.pid, victimId, members };
        events.push(event);
        const deadWithin = timings.ttlMs + timings.heartbeatMs * 3 + 5_000;
        if (kind === 'kill') {
          victim.child.kill('SIGKILL');
          await victim.exit;
          await sleep(full ? 3_000 : 1_000);
          await restart(i);
        } else if (kind === 'freeze') {
          process.kill(victim.pid, 'SIGSTOP');
          frozen.add(victim.pid);
          if (victimId && !(await declaredDead(victimId, deadWithin))) problems.push(`the frozen member ${victim.pid} was not declared dead within ${deadWithin} ms`);
          await sleep(1_000);
          process.kill(victim.pid, 'SIGCONT');
          frozen.delete(victim.pid);
        } else {
          net.cut(i);
          if (victimId && !(await declaredDead(victimId, deadWithin))) problems.push(`the cut-off member ${victim.pid} was not declared dead within ${deadWithin} ms`);
          if (kind === 'cut-kill') {
            await sleep(NOTICE_CUT_MS);
            victim.child.kill('SIGKILL');
            await victim.exit;
            net.restore(i);
            await restart(i);
          } else {
            await sleep(1_000);
            net.restore(i);
          }
        }
        log(`${((at - t0) / 1000).toFixed(0)} s: ${kind} of member ${i} (pid ${victim.pid}) for ${((Date.now() - at) / 1000).toFixed(1)} s`);
      };

      const pattern = full ? FULL_PATTERN : QUICK_PATTERN;
      const gap = full ? FULL_GAP_MS : QUICK_GAP_MS;
      for (let n = 0; full ? Date.now() - t0 < FULL_MS - gap : n < pattern.length; n++) {
        await sleep(gap * (0.75 + Math.random() * 0.5));
        await act(pattern[n % pattern.length]);
      }
      if (full) await sleep(Math.max(0, t0 + FULL_MS - Date.now()));
      // The last event's retries run (a long retry is interrupted by the stop below, as it should be).
      await sleep(timings.ttlMs * 2 + 4_000);
      const stopAt = Date.now();
      const elapsed = stopAt - t0;
      // One by one: those still running reap what a stopping member might leave.
      for (const [i, p] of slots.entries()) {
        if (!p || p.exited) continue;
        const end = await p.stop('SIGTERM', 60_000);
        if (end.code !== 0) problems.push(`member ${i} (pid ${p.pid}) ended with ${end.code ?? end.signal} on SIGTERM:\n${tail(p.out, 8)}`);
        await sleep(timings.heartbeatMs * 3);
      }

      const rows = (await q<Record<string, string | number | null>>(`SELECT id, task_id, status, attempt, trigger, occurrence, member, scheduled_for,
          started_at, ended_at, error FROM task_scheduler.runs WHERE cluster = $1`, [CLUSTER])).map(toRow);
      if (process.env.CHAOS_KEEP) fs.writeFileSync(path.join(ws.base, 'runs.json'), JSON.stringify(rows));
      const ledgerLines = fs.existsSync(ledgerFile) ? fs.readFileSync(ledgerFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LedgerLine) : [];
      const f = analyze(rows, procs.map((p) => ({ pid: p.pid, out: p.out })), ledgerLines, events, { from: t0, to: stopAt - 2_000 });
      problems.push(...f.problems);
      for (let i = 0; i < 3; i++) {
        const left = journalLines(path.join(ws.base, `home-${i}`));
        if (left) problems.push(`member ${i}'s local journal still holds ${left} write(s) after it stopped`);
      }
      for (const p of procs) if (/Unhandled|TypeError|ReferenceError/.test(p.out)) problems.push(`pid ${p.pid} printed an error:\n${tail(p.out, 8)}`);
      const leftovers = processesMentioning(ws.base);
      if (leftovers.length) problems.push(`${leftovers.length} processes left after the members stopped`);
      for (const p of problems.slice(0, 30)) log(p);

      const kinds = (k: EventKind) => events.filter((e) => e.kind === k).length;
      const memberEvents = events.filter((e) => e.victimId);
      const ok = problems.length === 0 && f.duplicatesDb + f.duplicatesLedger === 0 && f.lost === 0 && f.stuck === 0 && f.slotsWithoutRecord === 0
        && f.takeovers.length === memberEvents.length && f.retries.length > 0 && f.staleWrites > 0
        && Math.max(...f.takeovers) <= TAKEOVER_BAR_MS && Math.max(...f.retries) <= RETRY_BAR_MS
        && (!full || (elapsed >= 10 * 60_000 && (['kill', 'freeze', 'cut', 'cut-kill', 'pg-restart'] as EventKind[]).every((k) => kinds(k) > 0)));
      const line = `cluster: 3 members in network namespaces, ${TASK_COUNT} tasks (${TICKS.length + 5} every second), ${(elapsed / 1000).toFixed(0)} s; `
        + `${f.slotsRun} slots run, ${f.duplicatesDb + f.duplicatesLedger} duplicates, ${f.lost} lost finished runs (of ${f.reportedFinished} reported), `
        + `${f.stuck} stuck running, ${f.slotsWithoutRecord} slots without a record; stale writes refused ${f.staleWrites}; `
        + `${kinds('kill') + kinds('cut-kill')} kill -9 (${kinds('cut-kill')} while cut off), ${kinds('freeze')} SIGSTOP, ${kinds('cut') + kinds('cut-kill')} links cut, ${kinds('pg-restart')} Postgres restarts; `
        + `failover ${spread(f.takeovers)} (bar ${TAKEOVER_BAR_MS / 1000} s), retry after death ${spread(f.retries)} (bar ${RETRY_BAR_MS / 1000} s) `
        + `(heartbeat ${timings.heartbeatMs / 1000} s, TTL ${timings.ttlMs / 1000} s)`;
      return { ok, line };
    } finally {
      for (const pid of frozen) { try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ } }
      for (const p of procs) if (!p.exited) p.child.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exit));
      if (w) {
        killPids(processesMentioning(w.base));
        if (process.env.CHAOS_KEEP) {
          for (const p of procs) fs.writeFileSync(path.join(w.base, `member-${p.pid}.log`), p.out);
          fs.writeFileSync(path.join(w.base, 'events.json'), JSON.stringify(events, null, 1));
        }
      }
      net.teardown();
      await pg?.stop();
      if (w) removeWorkspace(w);
    }
  },
};

function toRow(r: Record<string, string | number | null>): Row {
  const n = (v: string | number | null) => (v === null ? null : Number(v));
  return {
    id: String(r.id), task: String(r.task_id), status: String(r.status), attempt: Number(r.attempt), trigger: String(r.trigger),
    occurrence: r.occurrence === null ? null : String(r.occurrence), member: r.member === null ? null : String(r.member),
    scheduledFor: n(r.scheduled_for), startedAt: n(r.started_at), endedAt: n(r.ended_at), error: r.error === null ? null : String(r.error),
  };
}

/** Lines left in a member's local journal (cluster-journal.jsonl in its data folder). */
function journalLines(home: string): number {
  let n = 0;
  try {
    for (const d of fs.readdirSync(path.join(home, 'workspaces'))) {
      const file = path.join(home, 'workspaces', d, 'cluster-journal.jsonl');
      if (fs.existsSync(file)) n += fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    }
  } catch { /* no data folder: it never started */ }
  return n;
}
