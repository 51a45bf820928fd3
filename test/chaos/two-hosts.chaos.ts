// Two real extension hosts on one folder: code-server with the packaged extension, and two browser
// windows on the same workspace, so each window has its own extension host and both contend for the
// executor lease. Every minute or so (a few seconds in the quick form) the leader's host is killed with
// SIGKILL — the window then starts a fresh host, as VS Code does after a crash (or the page is reloaded
// when VS Code stops restarting it: three crashes in five minutes) — and every third event it is frozen
// with SIGSTOP instead, so the other window's host must take over, then resumed as a deposed leader.
// Default lease timings in the full form (heartbeat 5 s, TTL 15 s), short ones in the quick form.
//
// The history is judged as in the two-CLI check (failover.ts); the clean end closes both windows and
// stops code-server, after which a `task-scheduler run` opens the history once to settle what the hosts
// left running, so "stuck" counts runs that stay running after recovery, not those interrupted by the stop.
import * as fs from 'fs';
import * as path from 'path';
import type { ChaosCheck, ChaosOptions, ChaosResult } from './check';
import {
  analyzeFailover, DEFAULT_TTL_MS, FAILOVER_FILES, failoverLine, failoverOk, FULL_EVENT_EVERY_MS, FULL_MIN_EVENTS, FULL_MIN_MS, FULL_MS,
  leaseRecord, QUICK_LEASE, QUICK_MIN_EVENTS, TAKEOVER_LIMIT_MS, type LeaderEvent,
} from './failover';
import { dataDirOf, ensureBuilt, historyRuns, processesMentioning, RunProcess, sleep, type Workspace } from './procs';

/* eslint-disable @typescript-eslint/no-require-imports -- the harness is plain JS */
const cs = require('../vscode/codeServer');
const browser = require('../vscode/browser');
const { packageVsix } = require('../../scripts/package');

type Page = { goto(url: string): Promise<unknown>; reload(): Promise<unknown>; locator(s: string): { waitFor(o: { timeout: number }): Promise<void> } };

const QUICK_EVENT_EVERY_MS = 6_000;
/** VS Code restarts a crashed remote host within about a second; past this we reload the page ourselves. */
const AUTO_RESTART_WAIT_MS = 20_000;

interface Window { name: string; page: Page; hostPid: number }
/** The host of the other window when the leader died: a takeover by it is one by the survivor. */
type Survivor = { pid: number };

export const check: ChaosCheck = {
  name: 'two-hosts',
  needsCodeServer: true,
  quickTimeoutMs: 240_000,
  async run({ full, log }: ChaosOptions): Promise<ChaosResult> {
    ensureBuilt();
    const lease = full ? undefined : QUICK_LEASE;
    const ttlMs = lease?.ttlMs ?? DEFAULT_TTL_MS;
    const everyMs = full ? FULL_EVENT_EVERY_MS : QUICK_EVENT_EVERY_MS;
    const vsix = packageVsix(path.join(cs.ROOT, 'out/chaos/task-scheduler-dev.vsix'), { quiet: true });
    const run = cs.createRun('two-hosts');
    // The VSIX carries no esbuild: the first window installs it into global storage, as for a user.
    cs.addUserSettings(run, { 'taskScheduler.esbuild.autoInstall': true });
    cs.installExtension(run, vsix);
    const folder: string = cs.copyWorkspace(run);
    for (const [rel, text] of Object.entries(FAILOVER_FILES)) fs.writeFileSync(path.join(folder, rel), text);
    const home = path.join(run.dir, 'state');
    const env: NodeJS.ProcessEnv = { TASK_SCHEDULER_HOME: home };
    if (lease) {
      env.TASK_SCHEDULER_LEASE_HEARTBEAT_MS = String(lease.heartbeatMs);
      env.TASK_SCHEDULER_LEASE_TTL_MS = String(lease.ttlMs);
    }
    // The CLI reads the same history folder (for the figures and the recovery pass).
    const w: Workspace = { base: run.dir, ws: folder, home, env: { ...process.env, ...env } };
    const server = await cs.startCodeServer(run, { env });
    const { context } = await browser.launch(run);
    const windows: Window[] = [];
    const events: LeaderEvent[] = [];
    const survivors: Survivor[] = [];
    const problems: string[] = [];
    const frozen = new Set<number>();
    let autoRestarts = 0;
    let reloads = 0;
    let replaced = 0;
    const hosts = (): number[] => cs.extensionHostPids(server.pid);
    /** The extension host that appears (not among `known`) within `ms`. */
    const newHost = async (known: number[], ms: number): Promise<number | undefined> => {
      for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) {
        const fresh = hosts().find((p) => !known.includes(p));
        if (fresh) return fresh;
      }
      return undefined;
    };
    const open = async (name: string): Promise<Window> => {
      const known = hosts();
      const page: Page = windows.length ? await context.newPage() : context.pages()[0];
      await page.goto(browser.workbenchUrl(server, folder));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const hostPid = await newHost(known, 60_000);
      if (!hostPid) throw new Error(`window ${name} started no extension host`);
      const win = { name, page, hostPid };
      windows.push(win);
      return win;
    };
    /**
     * A window's host can be replaced without an event of ours (once in CI window B's first host was
     * gone and another had come by the first event): when one window's host is gone and one live host
     * belongs to no window, it is that window's.
     */
    const follow = () => {
      const live = hosts();
      const lost = windows.filter((x) => !live.includes(x.hostPid));
      const unclaimed = live.filter((pid) => !windows.some((x) => x.hostPid === pid));
      if (lost.length !== 1 || unclaimed.length !== 1) return;
      log(`window ${lost[0].name}'s host ${lost[0].hostPid} is gone; its host is now ${unclaimed[0]}`);
      lost[0].hostPid = unclaimed[0];
      replaced++;
    };
    const holder = () => leaseRecord(dataDirOf(w));
    const waitFor = async (what: string, ok: () => boolean, ms: number) => {
      for (const end = Date.now() + ms; !ok(); await sleep(200)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    };
    try {
      const a = await open('A');
      await waitFor('window A to execute', () => { follow(); return holder()?.pid === a.hostPid; }, 120_000);
      const b = await open('B');
      // B's extension is up once it writes its role; give it the time a heartbeat takes to see A.
      await sleep((lease?.heartbeatMs ?? 5_000) * 2);
      log(`windows A (host ${a.hostPid}, executor) and B (host ${b.hostPid}) on ${folder}`);

      const t0 = Date.now();
      for (let n = 0; ; n++) {
        if (full ? Date.now() - t0 > FULL_MS - everyMs * 1.75 : n >= QUICK_MIN_EVENTS) break;
        await sleep(everyMs * (0.9 + Math.random() * 0.2));
        follow();
        const record = holder();
        const leader = windows.find((x) => x.hostPid === record?.pid);
        if (!record || !leader) { problems.push(`event ${n + 1}: no extension host of ours holds the lease (${JSON.stringify(record)}; hosts ${hosts().join(', ')})`); continue; }
        const at = Date.now();
        survivors.push({ pid: windows.find((x) => x !== leader)!.hostPid });
        if (n % 3 === 1) {
          process.kill(leader.hostPid, 'SIGSTOP');
          frozen.add(leader.hostPid);
          events.push({ kind: 'freeze', at, leaderId: record.id, leaderPid: leader.hostPid });
          const until = at + TAKEOVER_LIMIT_MS + ttlMs;
          while (Date.now() < until && holder()?.pid === leader.hostPid) await sleep(200);
          await sleep(Math.min(ttlMs, 3_000));
          process.kill(leader.hostPid, 'SIGCONT');
          frozen.delete(leader.hostPid);
          log(`froze window ${leader.name}'s host ${leader.hostPid} for ${((Date.now() - at) / 1000).toFixed(1)} s, then resumed it`);
          continue;
        }
        const known = hosts();
        process.kill(leader.hostPid, 'SIGKILL');
        events.push({ kind: 'kill', at, leaderId: record.id, leaderPid: leader.hostPid });
        let fresh = await newHost(known, AUTO_RESTART_WAIT_MS);
        if (fresh) autoRestarts++;
        else {
          reloads++;
          await leader.page.reload();
          fresh = await newHost(known, 60_000);
        }
        if (!fresh) { problems.push(`window ${leader.name} got no new extension host after the kill`); break; }
        log(`killed window ${leader.name}'s host ${leader.hostPid} at ${((at - t0) / 1000).toFixed(0)} s; its new host is ${fresh}`);
        leader.hostPid = fresh;
      }
      if (full) await sleep(Math.max(0, t0 + FULL_MS - Date.now()));
      await sleep(Math.min(TAKEOVER_LIMIT_MS, ttlMs * 2 + 2_000));
      const elapsed = Date.now() - t0;

      // The end: windows closed, code-server stopped; then one executor opens the history and settles it.
      await context.close().catch(() => undefined);
      await server.stop();
      const recovery = new RunProcess(w);
      await recovery.waitFor(/executing this workspace's tasks/, 60_000);
      const end = await recovery.stop('SIGINT');
      if (end.code !== 0) problems.push(`the recovery run ended with ${end.code ?? end.signal}`);
      const runs = (await historyRuns(w)).filter((r) => !r.executor?.includes(`:${recovery.pid}:`));
      const f = analyzeFailover(runs, events);
      problems.push(...f.problems);
      const bySurvivor = f.takeoverBy.filter((id, i) => id.split(':')[1] === String(survivors[i]?.pid)).length;
      await sleep(5_000); // an orphaned runner notices its host is gone within ~5 s
      const leftovers = processesMentioning(folder);
      if (leftovers.length) problems.push(`${leftovers.length} processes left after code-server stopped: ${leftovers.join(' ')}`);
      for (const p of problems.slice(0, 20)) log(p);

      const ok = problems.length === 0 && failoverOk(f, events) && (!full || elapsed >= FULL_MIN_MS)
        && events.length >= (full ? FULL_MIN_EVENTS : QUICK_MIN_EVENTS) && events.some((e) => e.kind === 'freeze');
      const line = `two-hosts: 2 extension hosts in code-server ${cs.VERSION}, ${(elapsed / 1000).toFixed(0)} s, ${failoverLine(f, events)}; `
        + `${bySurvivor} by the other window's host, ${f.takeovers.length - bySurvivor} by the killed window's new host; hosts restarted by VS Code ${autoRestarts}, by reload ${reloads}, `
        + `replaced unasked ${replaced} (lease: heartbeat ${(lease?.heartbeatMs ?? 5_000) / 1000} s, TTL ${ttlMs / 1000} s)`;
      return { ok, line };
    } finally {
      for (const pid of frozen) { try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ } }
      await context.close().catch(() => undefined);
      await server.stop();
    }
  },
};
