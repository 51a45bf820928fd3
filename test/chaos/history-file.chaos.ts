// The history file damaged on disk — truncated, zero-filled, random bytes, from a newer schema, and
// random damage (truncation points, byte flips, zeroed ranges, garbage and flips in the journal) —
// then opened by a real executor (a WorkspaceService in this process; `task-scheduler run` for the
// named cases, to see what a user is told). A file the check's own sql.js cannot read must be set
// aside with its bytes (`history.sqlite.corrupt-<time>`), said so, and a fresh history must work; a
// file from a newer schema must be refused (bytes unchanged, nothing executed, the reason given); a
// readable file must be kept with every run it held; runs lost to journal damage must be reported and
// the damaged journal's bytes kept. 0 crashes, 0 silent overwrites.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { OpenReport, RunRecord } from '../../src/core/ports';
import { WorkspaceService, type ServiceEvent } from '../../src/core/service/workspaceService';
import { createHistory, historyFiles, SCHEMA_VERSION } from '../../src/core/store';
import { loadSqlJs } from '../../src/core/store/locate';
import { runtimeFromDist } from '../../src/core/workspace/runtime';
import type { ChaosCheck, ChaosOptions, ChaosResult } from './check';
import { cli, ensureBuilt, killPids, processesMentioning, ROOT, RunProcess, sleep, tail, type Workspace } from './procs';

const FULL_RANDOM = 50;
const QUICK_RANDOM = 8;
const SNAPSHOT_RUNS = 40;
const JOURNAL_RUNS = 20;

type Damage =
  | 'truncated' | 'zero-filled' | 'random-bytes' | 'newer-schema'
  | 'snapshot-truncate' | 'snapshot-flip' | 'snapshot-zero-range' | 'journal-truncate' | 'journal-flip' | 'journal-garbage' | 'both-flip';
const NAMED: Damage[] = ['truncated', 'zero-filled', 'random-bytes', 'newer-schema'];
const RANDOM: Damage[] = ['snapshot-truncate', 'snapshot-flip', 'snapshot-zero-range', 'journal-truncate', 'journal-flip', 'journal-garbage', 'both-flip'];

type Verdict = 'ok' | 'newer' | 'corrupt' | 'missing';

/** The check's own reading of a snapshot's bytes, with sql.js: independent of how the product decides. */
async function verdictOf(bytes: Buffer | undefined): Promise<Verdict> {
  if (!bytes) return 'missing';
  if (bytes.length < 100 || !bytes.subarray(0, 16).equals(Buffer.from('SQLite format 3\0', 'latin1'))) return 'corrupt';
  const sql = await loadSqlJs();
  let db;
  try {
    db = new sql.Database(bytes);
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
    if (version > SCHEMA_VERSION) return 'newer';
    const rows = db.exec('PRAGMA integrity_check')[0]?.values ?? [];
    return rows.length === 1 && rows[0][0] === 'ok' ? 'ok' : 'corrupt';
  } catch {
    return 'corrupt';
  } finally {
    db?.close();
  }
}

/** Complete journal lines that are not valid entries (what replay must skip and report). */
function damagedLines(journal: Buffer | undefined): number {
  if (!journal) return 0;
  const text = journal.toString('utf8');
  const lines = text.split('\n').slice(0, -1); // the part after the last newline is a torn tail, dropped by design
  let bad = 0;
  for (const line of lines) {
    if (!line) continue;
    try {
      const v = JSON.parse(line) as { s?: unknown; m?: { op?: unknown } };
      if (typeof v.s !== 'number' || typeof v.m !== 'object' || v.m === null || typeof v.m.op !== 'string') bad++;
    } catch {
      bad++;
    }
  }
  return bad;
}

/** Complete lines of the original journal that the damaged one no longer holds verbatim. */
function changedLines(original: Buffer, damaged: Buffer | undefined): string[] {
  const now = new Set((damaged ?? Buffer.alloc(0)).toString('utf8').split('\n'));
  return original.toString('utf8').split('\n').slice(0, -1).filter((l) => !now.has(l));
}

const read = (file: string): Buffer | undefined => { try { return fs.readFileSync(file); } catch { return undefined; } };
const rnd = (n: number): number => crypto.randomInt(Math.max(1, n));

function run(id: string, taskId: string, at: number): RunRecord {
  return { id, taskId, trigger: 'manual', status: 'succeeded', attempt: 1, queuedAt: at, startedAt: at, endedAt: at + 5, scheduledFor: at, output: `output of ${id}\n`, outputTruncated: false, exitCode: 0 };
}

/** A real history: SNAPSHOT_RUNS runs folded into the snapshot, JOURNAL_RUNS more only in the journal. */
async function makeGolden(dir: string): Promise<string[]> {
  const ids: string[] = [];
  const t = Date.now() - 3_600_000;
  const folding = createHistory({ dataDir: dir, policy: { minJournalBytes: 0, minJournalEntries: 1, journalToSnapshotRatio: 0 } });
  await folding.open();
  for (let i = 0; i < SNAPSHOT_RUNS; i++) { const id = `golden-s-${String(i).padStart(3, '0')}`; ids.push(id); await folding.putRun(run(id, 'golden', t + i * 1000)); }
  await folding.close();
  const journaled = createHistory({ dataDir: dir });
  await journaled.open();
  for (let i = 0; i < JOURNAL_RUNS; i++) { const id = `golden-j-${String(i).padStart(3, '0')}`; ids.push(id); await journaled.putRun(run(id, 'golden', t + (SNAPSHOT_RUNS + i) * 1000)); }
  await journaled.close();
  return ids;
}

/** A real sql.js file from a newer version: the golden snapshot with its user_version raised. */
async function newerSchema(bytes: Buffer): Promise<Buffer> {
  const sql = await loadSqlJs();
  const db = new sql.Database(bytes);
  db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  db.run('CREATE TABLE added_in_a_later_version (x INTEGER)');
  const out = Buffer.from(db.export());
  db.close();
  return out;
}

function flip(buf: Buffer, count: number): Buffer {
  const out = Buffer.from(buf);
  for (let i = 0; i < count && out.length; i++) out[rnd(out.length)] ^= 1 + rnd(255);
  return out;
}

async function damage(kind: Damage, dir: string): Promise<string> {
  const f = historyFiles(dir);
  const db = fs.readFileSync(f.db);
  const journal = fs.readFileSync(f.journal);
  switch (kind) {
    case 'truncated': fs.writeFileSync(f.db, db.subarray(0, db.length >> 1)); return `snapshot cut to ${db.length >> 1} of ${db.length} bytes`;
    case 'zero-filled': fs.writeFileSync(f.db, Buffer.alloc(db.length)); return `snapshot zero-filled (${db.length} bytes)`;
    case 'random-bytes': fs.writeFileSync(f.db, crypto.randomBytes(db.length)); return `snapshot replaced by ${db.length} random bytes`;
    case 'newer-schema': fs.writeFileSync(f.db, await newerSchema(db)); return `snapshot at schema v${SCHEMA_VERSION + 1}`;
    case 'snapshot-truncate': { const at = rnd(db.length); fs.writeFileSync(f.db, db.subarray(0, at)); return `snapshot cut at ${at}`; }
    case 'snapshot-flip': { const n = 1 + rnd(8); fs.writeFileSync(f.db, flip(db, n)); return `${n} snapshot bytes flipped`; }
    case 'snapshot-zero-range': {
      const at = rnd(db.length);
      const len = 1 + rnd(8192);
      const out = Buffer.from(db);
      out.fill(0, at, Math.min(out.length, at + len));
      fs.writeFileSync(f.db, out);
      return `snapshot zeroed from ${at} for ${len}`;
    }
    case 'journal-truncate': { const at = rnd(journal.length); fs.writeFileSync(f.journal, journal.subarray(0, at)); return `journal cut at ${at} of ${journal.length}`; }
    case 'journal-flip': { const n = 1 + rnd(4); fs.writeFileSync(f.journal, flip(journal, n)); return `${n} journal bytes flipped`; }
    case 'journal-garbage': {
      const lines = journal.toString('utf8').split('\n');
      const at = rnd(lines.length - 1);
      lines.splice(at, 0, crypto.randomBytes(20 + rnd(200)).toString('latin1').replace(/\n/g, ' '));
      fs.writeFileSync(f.journal, lines.join('\n'));
      return `a garbage line inserted at line ${at + 1}`;
    }
    case 'both-flip': {
      fs.writeFileSync(f.db, flip(db, 1 + rnd(4)));
      fs.writeFileSync(f.journal, flip(journal, 1 + rnd(3)));
      return 'snapshot and journal bytes flipped';
    }
  }
}

interface Opened { events: ServiceEvent[]; role: string; ran?: RunRecord; runs: RunRecord[]; crashed?: string }

/** Opens `dataDir` with a real executor in this process, asks for one run, reads the history, stops. */
async function openWithService(ws: string, dataDir: string, cacheDir: string): Promise<Opened> {
  const events: ServiceEvent[] = [];
  const service = new WorkspaceService({
    folder: ws, runtime: runtimeFromDist(path.join(ROOT, 'dist')), ownerLabel: 'chaos history-file', dataDir, cacheDir, warmSpare: false,
  });
  service.onEvent((e) => events.push(e));
  try {
    await service.start();
    const role = service.role;
    let ran: RunRecord | undefined;
    if (role === 'executor') {
      const id = String(await service.act({ action: 'runNow', taskId: 'ping' }));
      for (let i = 0; i < 200 && !ran; i++) {
        await sleep(50);
        ran = events.map((e) => (e.type === 'run-finished' && e.run.id === id ? e.run : undefined)).find(Boolean);
      }
    }
    // (A refused history has nothing to query: that is what the refusal says.)
    const runs = await Promise.resolve().then(() => service.queries().runs({ limit: 100_000 })).catch(() => [] as RunRecord[]);
    return { events, role, ran, runs };
  } catch (e) {
    return { events, role: service.role, runs: [], crashed: (e as Error).stack ?? String(e) };
  } finally {
    await service.stop().catch(() => undefined);
  }
}

function corruptFiles(dir: string, base: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.startsWith(`${base}.corrupt-`)).map((n) => path.join(dir, n));
}

export const check: ChaosCheck = {
  name: 'history-file',
  quickTimeoutMs: 120_000,
  async run({ full, log }: ChaosOptions): Promise<ChaosResult> {
    ensureBuilt();
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-chaos-history-'));
    const problems: string[] = [];
    const counts = { setAside: 0, refused: 0, kept: 0, journalReported: 0, snapshotKept: 0, undetected: 0, cut: 0, crashes: 0, silent: 0 };
    try {
      const golden = path.join(base, 'golden');
      const goldenIds = await makeGolden(golden);
      const goldenJournal = fs.readFileSync(historyFiles(golden).journal);
      const ws = path.join(base, 'ws');
      fs.mkdirSync(ws);
      // `ping` for one run on demand; `marker` would leave a file if anything executed in a refused workspace.
      fs.writeFileSync(path.join(ws, '.scheduler.yaml'), [
        'jobs:',
        '  ping: { command: "echo ping", schedule: manual }',
        `  marker: { command: "echo ran >> ${path.join(base, 'executed.txt')}", schedule: "every 1 seconds" }`,
        '',
      ].join('\n'));
      const cases: Damage[] = [...NAMED];
      const randomCount = full ? FULL_RANDOM : QUICK_RANDOM;
      for (let i = 0; i < randomCount; i++) cases.push(RANDOM[i % RANDOM.length]);

      for (const [n, kind] of cases.entries()) {
        const dir = path.join(base, `case-${n}`);
        fs.cpSync(golden, dir, { recursive: true });
        const what = await damage(kind, dir);
        const f = historyFiles(dir);
        const damagedDb = read(f.db);
        const damagedJournal = read(f.journal);
        const verdict = await verdictOf(damagedDb);
        const badLines = damagedLines(damagedJournal);
        const fail = (msg: string) => problems.push(`case ${n + 1} (${kind}: ${what}): ${msg}`);
        fs.rmSync(path.join(base, 'executed.txt'), { force: true });

        const opened = await openWithService(ws, dir, path.join(base, 'cache'));
        const report = opened.events.map((e) => (e.type === 'history-opened' ? e.report : undefined)).find(Boolean) as OpenReport | undefined;
        const errors = opened.events.flatMap((e) => (e.type === 'error' ? [e.message] : []));
        if (opened.crashed) { counts.crashes++; fail(`the service threw: ${opened.crashed}`); continue; }
        const aside = corruptFiles(dir, 'history.sqlite');

        if (verdict === 'newer') {
          // Refused: never executed, never written, and said why.
          const ok = opened.role !== 'executor' && read(f.db)!.equals(damagedDb!) && (read(f.journal) ?? Buffer.alloc(0)).equals(damagedJournal ?? Buffer.alloc(0))
            && !aside.length && errors.some((m) => /newer/.test(m) && /not executing/.test(m));
          if (ok) counts.refused++; else fail(`not refused cleanly: role ${opened.role}, aside ${aside.length}, errors ${JSON.stringify(errors)}`);
        } else if (verdict === 'corrupt') {
          // Set aside with its bytes, said so, and a fresh history works.
          const kept = aside.find((a) => read(a)!.equals(damagedDb!));
          const said = !!report?.movedAside && /moved to/.test(report.reason ?? '');
          const works = opened.role === 'executor' && opened.ran?.status === 'succeeded' && opened.runs.some((r) => r.id === opened.ran!.id);
          if (kept && said && works) counts.setAside++;
          else {
            if (!kept) counts.silent++;
            fail(`not set aside cleanly: bytes kept ${!!kept}, said ${said} (${report?.reason}), fresh history works ${works}`);
          }
        } else if (verdict === 'ok') {
          // Readable: kept, with every run it held. A run may be lost only with a journal line that the
          // damage changed; the product must report (and keep the bytes of) what it could not replay.
          const present = new Set(opened.runs.map((r) => r.id));
          const lost = goldenIds.filter((id) => !present.has(id));
          const changed = changedLines(goldenJournal, damagedJournal);
          const skipped = report?.skippedJournalEntries ?? 0;
          // The database refused entries: the snapshot may be the damaged part, so its bytes are kept, and said.
          const snapshotKept = skipped > 0 && /replayed onto was copied/.test(report?.reason ?? '') && aside.some((a) => read(a)!.equals(damagedDb!));
          const unexplained = snapshotKept ? [] : lost.filter((id) => !changed.some((l) => l.includes(`"${id}"`)) && kind !== 'journal-truncate');
          if (aside.length && !snapshotKept) fail(`a readable file was set aside: ${report?.reason}`);
          if (snapshotKept) counts.snapshotKept++;
          if (opened.role !== 'executor' || opened.ran?.status !== 'succeeded') fail(`did not execute: role ${opened.role}, run ${opened.ran?.status}; errors ${JSON.stringify(errors)}`);
          if (unexplained.length) { counts.silent++; fail(`runs lost with no damaged journal line to explain it: ${unexplained.join(', ')}`); }
          if (badLines > skipped) fail(`${badLines} unreadable journal lines, ${skipped} reported skipped (${report?.reason})`);
          if (skipped > 0) {
            const journalKept = corruptFiles(dir, 'history.journal').some((a) => read(a)!.equals(damagedJournal!));
            if (/skipped/.test(report?.reason ?? '') && journalKept) counts.journalReported++;
            else { counts.silent++; fail(`${skipped} journal entries skipped: said ${report?.reason}, damaged journal kept ${journalKept}`); }
          } else if (lost.length && kind === 'journal-truncate') {
            counts.cut += lost.length; // what a crash mid-write looks like: the tail is dropped by design
          } else if (lost.length) {
            counts.undetected += lost.length; // a flip that left a valid entry (e.g. inside a run id): no checksum to tell
          } else {
            counts.kept++;
          }
        } else {
          fail(`unexpected verdict ${verdict}`);
        }
        log(`case ${n + 1}/${cases.length} ${kind} (${what}): verdict ${verdict}${badLines ? `, ${badLines} bad journal lines` : ''}; ${report?.reason ?? 'no report'}`);
      }

      // What a user of the CLI sees for the named cases: the same files under `task-scheduler run`.
      const seen = await cliCases(base, golden, ws, problems);
      for (const p of problems.slice(0, 20)) log(p);
      const total = cases.length;
      const line = `history-file: ${total} damaged histories opened (${NAMED.length} named + ${randomCount} random), ${counts.crashes} crashes, ${counts.silent} silent overwrites; `
        + `${counts.setAside} set aside with their bytes, ${counts.refused} refused (newer schema), ${counts.kept} readable and kept whole, `
        + `${counts.journalReported} with damaged journal lines reported and kept (${counts.snapshotKept} with the snapshot they were replayed onto), ${counts.undetected} runs altered by flips that left valid journal lines, ${counts.cut} cut off with a truncated journal; `
        + `CLI said so for ${seen}/${NAMED.length}`;
      return { ok: problems.length === 0 && counts.crashes === 0 && counts.silent === 0 && seen === NAMED.length, line };
    } finally {
      killPids(processesMentioning(base));
      if (process.env.CHAOS_KEEP) console.log(`kept ${base}`);
      else fs.rmSync(base, { recursive: true, force: true });
    }
  },
};

/** `task-scheduler run` on each named damage: what it prints, and (newer schema) that nothing runs. */
async function cliCases(base: string, golden: string, ws: string, problems: string[]): Promise<number> {
  let seen = 0;
  for (const kind of NAMED) {
    const home = path.join(base, `home-${kind}`);
    const w: Workspace = { base, ws, home, env: { ...process.env, TASK_SCHEDULER_HOME: home } };
    // Find the data folder the CLI uses for `ws`, and put the damaged copy there.
    const probe = new RunProcess(w, []);
    await probe.waitFor(/executing this workspace's tasks/, 30_000).catch(() => undefined);
    await probe.stop('SIGKILL');
    const [name] = fs.readdirSync(path.join(home, 'workspaces'));
    const dir = path.join(home, 'workspaces', name);
    for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    fs.cpSync(golden, dir, { recursive: true });
    await damage(kind, dir);
    const before = fs.readFileSync(historyFiles(dir).db);
    fs.rmSync(path.join(base, 'executed.txt'), { force: true });
    const p = new RunProcess(w, []);
    await sleep(3_000);
    await p.stop('SIGINT');
    const out = p.out;
    if (kind === 'newer-schema') {
      const refused = /newer than this version understands/.test(out) && /not executing tasks/.test(out);
      const untouched = fs.readFileSync(historyFiles(dir).db).equals(before);
      const executed = fs.existsSync(path.join(base, 'executed.txt'));
      // The commands that read it say why they cannot, rather than "not open".
      const asked = await Promise.all([['status', '--json'], ['history', '--json'], ['run-now', 'ping']].map((a) => cli(w, a)));
      const explained = asked.every((r) => r.code !== 0 && /newer than this version understands/.test(r.stderr));
      if (refused && untouched && !executed && explained) seen++;
      else problems.push(`CLI ${kind}: refused ${refused}, untouched ${untouched}, executed ${executed}, status/history/run-now explained ${explained} (${asked.map((r) => r.stderr.trim()).join(' | ')}):\n${tail(out, 10)}`);
    } else {
      const said = /history: .*moved to .*history\.sqlite\.corrupt-/.test(out);
      if (said) seen++;
      else problems.push(`CLI ${kind}: did not say the file was set aside:\n${tail(out, 10)}`);
    }
  }
  return seen;
}
