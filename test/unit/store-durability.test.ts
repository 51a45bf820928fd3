// Durability: a finished run survives kill -9 of its writer once putRun resolved; the journal's torn or
// damaged lines never stop an open; replay is idempotent; a crash in the middle of a snapshot loses nothing.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { RunRecord } from '../../src/core/ports';
import { historyFiles, openHistoryReadOnly } from '../../src/core/store';
import { encodeEntry } from '../../src/core/store/journal';
import { loadSqlJs } from '../../src/core/store/locate';
import { ids, openHistory, removeTempDirs, run, tempDir } from './store-helpers';

const root = path.join(__dirname, '../..');

/** A writer in its own process: puts finished runs (4 at a time) and prints each id once putRun resolved. */
function writerScript(dir: string): string {
  const file = path.join(dir, 'writer.ts');
  fs.writeFileSync(file, `
    import { createHistory } from ${JSON.stringify(path.join(root, 'src/core/store'))};
    const [dataDir, prefix] = process.argv.slice(2);
    (async () => {
      // Small snapshot thresholds, so kills also land inside rotations and snapshots.
      const h = createHistory({ dataDir, policy: { minJournalBytes: 30_000, minJournalEntries: 40, journalToSnapshotRatio: 0.2 } });
      await h.open();
      process.stdout.write('open\\n');
      let n = 0;
      const output = 'x'.repeat(1500);
      await Promise.all([0, 1, 2, 3].map(async () => {
        for (;;) {
          const id = prefix + '-' + n++;
          await h.putRun({ id, taskId: 't' + (n % 3), trigger: 'schedule', status: 'succeeded', attempt: 1,
            queuedAt: n, startedAt: n, endedAt: n + 1, exitCode: 0, output });
          process.stdout.write(id + '\\n');
        }
      }));
    })().catch((e) => { console.error(e); process.exit(1); });
  `);
  return file;
}

/** Run the writer, kill -9 it `afterMs` after it opened, and return the ids it printed. */
function writeUntilKilled(script: string, dataDir: string, prefix: string, afterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(root, 'test/register.js'), script, dataDir, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    const printed: string[] = [];
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'open') setTimeout(() => child.kill('SIGKILL'), afterMs);
        else printed.push(line);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended by itself (${code}): ${stderr}`));
      else resolve(printed);
    });
  });
}

describe('history store: durability', function () {
  this.timeout(120_000);
  after(removeTempDirs);

  it('keeps every run whose putRun resolved when the writer is killed -9 at random moments', async () => {
    const dir = tempDir();
    const script = writerScript(dir);
    const dataDir = path.join(dir, 'data');
    const confirmed: string[] = [];
    for (let round = 0; round < 4; round++) {
      const printed = await writeUntilKilled(script, dataDir, `k${round}`, 200 + Math.floor(Math.random() * 1200));
      assert.ok(printed.length > 0, `round ${round} confirmed some runs`);
      confirmed.push(...printed);
    }
    const h = await openHistory(dataDir);
    const found = new Set(ids(await h.runs({ limit: 1e9 })));
    const lost = confirmed.filter((id) => !found.has(id));
    assert.deepStrictEqual(lost, [], `${lost.length} of ${confirmed.length} confirmed runs lost`);
    for (const r of await h.runs({ limit: 20 })) assert.strictEqual(r.status, 'succeeded');
    await h.close();
    const reader = await openHistoryReadOnly(dataDir, { inProcess: true });
    assert.ok((await reader.runs({ limit: 1e9 })).length >= confirmed.length);
    await reader.close();
  });

  it('ignores a torn last journal line, and appends after it cleanly', async () => {
    const dir = tempDir();
    let h = await openHistory(dir);
    await h.putRun(run('a'));
    await h.close();
    const { journal } = historyFiles(dir);
    fs.appendFileSync(journal, encodeEntry(99, { op: 'putRun', run: run('torn') }).slice(0, 40));
    h = await openHistory(dir);
    assert.deepStrictEqual(ids(await h.runs({})), ['a']);
    await h.putRun(run('b', { queuedAt: 2_000 }));
    await h.close();
    h = await openHistory(dir);
    assert.deepStrictEqual(ids(await h.runs({})), ['b', 'a']);
    await h.close();
  });

  it('ignores a zero-filled tail (a crash that extended the file before its data landed)', async () => {
    const dir = tempDir();
    let h = await openHistory(dir);
    await h.putRun(run('a'));
    await h.close();
    fs.appendFileSync(historyFiles(dir).journal, Buffer.alloc(4096));
    h = await openHistory(dir);
    assert.deepStrictEqual(ids(await h.runs({})), ['a']);
    assert.strictEqual((await h.open()).skippedJournalEntries, undefined);
    await h.close();
  });

  it('skips a damaged line in the middle, reports it, and applies the lines after it', async () => {
    const dir = tempDir();
    let h = await openHistory(dir);
    await h.putRun(run('a', { queuedAt: 1 }));
    await h.putRun(run('b', { queuedAt: 2 }));
    await h.putRun(run('c', { queuedAt: 3 }));
    await h.close();
    const { journal } = historyFiles(dir);
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    lines[1] = lines[1].slice(0, 30) + '#garbage#' + lines[1].slice(30);
    fs.writeFileSync(journal, lines.join('\n'));
    h = await openHistory(dir);
    const report = await h.open();
    assert.strictEqual(report.skippedJournalEntries, 1);
    assert.match(report.reason ?? '', /1 damaged history journal entries were skipped/);
    assert.deepStrictEqual(ids(await h.runs({})), ['c', 'a']);
    await h.close();
  });

  it('replays idempotently: entries the snapshot already holds are not applied again', async () => {
    const dir = tempDir();
    let h = await openHistory(dir);
    await h.putRun(run('r', { status: 'running', endedAt: undefined }));     // seq 1
    await h.putRun(run('r', { status: 'succeeded' }));                        // seq 2
    await h.close();
    // Fold the journal into the snapshot on open (the snapshot then includes seq 2)…
    h = await openHistory(dir, { policy: { journalToSnapshotRatio: 0, minJournalEntries: 1 } });
    await h.close();
    const { journal } = historyFiles(dir);
    assert.strictEqual(fs.readFileSync(journal, 'utf8'), '');
    // …then put seq 1 back, as if the crash came between the snapshot's rename and the journal's truncation.
    fs.writeFileSync(journal, encodeEntry(1, { op: 'putRun', run: run('r', { status: 'running', endedAt: undefined }) })
      + encodeEntry(3, { op: 'putRun', run: run('s', { queuedAt: 5_000 }) }));
    h = await openHistory(dir);
    assert.strictEqual((await h.getRun('r'))?.status, 'succeeded');
    assert.deepStrictEqual(ids(await h.runs({})), ['s', 'r']);
    await h.close();
  });

  it('recovers from a crash in the middle of a snapshot (old journal still there)', async () => {
    const dir = tempDir();
    let h = await openHistory(dir);
    for (let i = 1; i <= 3; i++) await h.putRun(run(`r${i}`, { queuedAt: i }));   // seq 1–3
    await h.close();
    const f = historyFiles(dir);
    fs.renameSync(f.journal, f.oldJournal);                                         // rotated…
    fs.writeFileSync(f.journal, encodeEntry(4, { op: 'putRun', run: run('r4', { queuedAt: 4 }) }));  // …and written on
    h = await openHistory(dir);
    assert.deepStrictEqual(ids(await h.runs({})), ['r4', 'r3', 'r2', 'r1']);
    assert.ok(!fs.existsSync(f.oldJournal), 'the old journal was folded in');
    await h.putRun(run('r5', { queuedAt: 5 }));
    await h.close();
    h = await openHistory(dir);
    assert.deepStrictEqual(ids(await h.runs({})), ['r5', 'r4', 'r3', 'r2', 'r1']);
    await h.close();
  });

  it('folds the journal into snapshots while writing, losing nothing and leaving no old journal', async () => {
    const dir = tempDir();
    const errors: Error[] = [];
    let h = await openHistory(dir, { policy: { minJournalBytes: 1, minJournalEntries: 1, journalToSnapshotRatio: 0.05 }, onError: (e) => errors.push(e) });
    const written: RunRecord[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const runs = Array.from({ length: 10 }, (_, i) => run(`b${batch}-${i}`, { queuedAt: batch * 10 + i, output: 'y'.repeat(800) }));
      await Promise.all(runs.map((r) => h.putRun(r)));
      written.push(...runs);
    }
    await h.close();
    assert.deepStrictEqual(errors, []);
    const f = historyFiles(dir);
    assert.ok(!fs.existsSync(f.oldJournal));
    // The first batch crossed the threshold, so a snapshot (awaited by close) holds at least that batch.
    const sql = await loadSqlJs();
    const onDisk = new sql.Database(fs.readFileSync(f.db)).exec("SELECT COUNT(*) FROM runs WHERE id LIKE 'b0-%'")[0].values[0][0];
    assert.strictEqual(onDisk, 10, 'a snapshot was written while writing');
    h = await openHistory(dir);
    assert.deepStrictEqual(ids(await h.runs({ limit: 1000 })).sort(), ids(written).sort());
    await h.close();
  });
});
