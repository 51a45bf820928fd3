// The database file itself: schema and migrations, damaged files moved aside, newer files refused.
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { historyFiles, NewerSchemaError, openHistoryReadOnly, SCHEMA_VERSION } from '../../src/core/store';
import { loadSqlJs } from '../../src/core/store/locate';
import { MIGRATIONS, migrate, schemaVersion } from '../../src/core/store/migrations';
import { encodeEntry } from '../../src/core/store/journal';
import { folderState, ids, openHistory, removeTempDirs, run, tempDir } from './store-helpers';

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);
const clock = { now: () => NOW };

async function readDb(file: string) {
  const sql = await loadSqlJs();
  return new sql.Database(fs.readFileSync(file));
}

describe('history store: schema and migrations', () => {
  after(removeTempDirs);

  it('numbers its migrations 1, 2, … and SCHEMA_VERSION is the last', () => {
    assert.deepStrictEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
    assert.strictEqual(SCHEMA_VERSION, MIGRATIONS.length);
  });

  it('creates a fresh file at the current version with the tables and indexes the views query', async () => {
    const dir = tempDir();
    const h = await openHistory(dir);
    assert.deepStrictEqual(await h.open(), {});
    await h.close();
    const db = await readDb(historyFiles(dir).db);
    assert.strictEqual(schemaVersion(db), SCHEMA_VERSION);
    const names = db.exec("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name")[0].values.flat();
    assert.deepStrictEqual(names, [
      'meta', 'pending', 'pending_due', 'runs', 'runs_queued', 'runs_status_ended', 'runs_status_queued', 'runs_task_queued',
      'runs_task_status_queued', 'tasks',
    ]);
  });

  it('migrates a v1 file to the current version, keeping its data, and writes it back migrated', async () => {
    const dir = tempDir();
    const sql = await loadSqlJs();
    const v1 = new sql.Database();
    migrate(v1, 1);
    v1.run(`INSERT INTO runs (id, task_id, trigger, status, attempt, queued_at, started_at, ended_at, exit_code, output)
            VALUES ('old', 'backup', 'schedule', 'failed', 2, 100, 110, 120, '1', 'log')`);
    v1.run(`INSERT INTO tasks (task_id, name, file, kind, updated_at) VALUES ('backup', 'Backup', '/w/backup.task.ts', 'module', 5)`);
    fs.writeFileSync(historyFiles(dir).db, v1.export());
    assert.strictEqual(schemaVersion(v1), 1);

    const h = await openHistory(dir);
    assert.deepStrictEqual(await h.open(), { fromVersion: 1 });
    assert.deepStrictEqual(await h.getRun('old'), {
      id: 'old', taskId: 'backup', trigger: 'schedule', status: 'failed', attempt: 2, queuedAt: 100, startedAt: 110,
      endedAt: 120, exitCode: 1, output: 'log',
    });
    await h.putRun(run('new', { executor: 'me' }));          // the v2 column works
    assert.strictEqual((await h.getRun('new'))?.executor, 'me');
    assert.strictEqual((await h.taskStates())[0].name, 'Backup');
    await h.close();
    assert.strictEqual(schemaVersion(await readDb(historyFiles(dir).db)), SCHEMA_VERSION);
  });
});

describe('history store: damaged files', () => {
  after(removeTempDirs);

  /** A history whose snapshot holds run `in-snapshot` and whose journal holds run `in-journal`. */
  async function seeded(): Promise<string> {
    const dir = tempDir();
    let h = await openHistory(dir);
    await h.putRun(run('in-snapshot', { queuedAt: 1 }));
    await h.close();
    h = await openHistory(dir, { policy: { journalToSnapshotRatio: 0, minJournalEntries: 1 } });  // folds it in on open
    await h.close();
    h = await openHistory(dir);
    await h.putRun(run('in-journal', { queuedAt: 2 }));
    await h.close();
    assert.ok(fs.readFileSync(historyFiles(dir).journal, 'utf8').includes('in-journal'));
    assert.ok(!fs.readFileSync(historyFiles(dir).journal, 'utf8').includes('in-snapshot'));
    return dir;
  }

  const damage: Record<string, (bytes: Buffer) => Buffer> = {
    truncated: (b) => b.subarray(0, Math.floor(b.length / 2)),
    'cut inside the header': (b) => b.subarray(0, 60),
    'zero-filled': (b) => Buffer.alloc(b.length),
    'random bytes': (b) => crypto.randomBytes(b.length),
    empty: () => Buffer.alloc(0),
    'damaged pages': (b) => { const c = Buffer.from(b); crypto.randomBytes(c.length - 4096).copy(c, 4096); return c; },
  };

  for (const [name, spoil] of Object.entries(damage)) {
    it(`moves a damaged file aside with a timestamp, keeps its bytes, and starts fresh: ${name}`, async () => {
      const dir = await seeded();
      const { db } = historyFiles(dir);
      const bad = spoil(fs.readFileSync(db));
      fs.writeFileSync(db, bad);
      const h = await openHistory(dir, { clock });
      const report = await h.open();
      const aside = `${db}.corrupt-2025-01-02T03-04-05.000Z`;
      assert.strictEqual(report.movedAside, aside);
      assert.match(report.reason ?? '', /history\.sqlite could not be read \(.+\); it was moved to .*corrupt-2025-01-02T03-04-05\.000Z/);
      assert.ok(fs.readFileSync(aside).equals(bad), 'the damaged file is kept byte for byte');
      // What the journal held since the last snapshot is recovered; what only the damaged file held is in the kept file.
      assert.deepStrictEqual(ids(await h.runs({})), ['in-journal']);
      await h.putRun(run('after', { queuedAt: 3 }));
      await h.close();
      const again = await openHistory(dir, { clock });
      assert.deepStrictEqual(await again.open(), { fromVersion: SCHEMA_VERSION });
      assert.deepStrictEqual(ids(await again.runs({})), ['after', 'in-journal']);
      await again.close();
    });
  }

  it('a reader reports a damaged file but neither moves nor writes anything', async () => {
    const dir = await seeded();
    fs.writeFileSync(historyFiles(dir).db, Buffer.alloc(8192));
    const before = folderState(dir);
    for (const inProcess of [true, false]) {
      const r = await openHistoryReadOnly(dir, { inProcess });
      assert.match(r.report.reason ?? '', /cannot be read/);
      assert.strictEqual(r.report.movedAside, undefined);
      assert.deepStrictEqual(ids(await r.runs({})), ['in-journal']);
      await r.close();
    }
    assert.deepStrictEqual(folderState(dir), before);
  });

  it('refuses a file from a newer schema, in writer and readers, changing no byte', async () => {
    const dir = tempDir();
    const f = historyFiles(dir);
    const h = await openHistory(dir);
    await h.putRun(run('a'));
    await h.close();
    const db = await readDb(f.db);
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    fs.writeFileSync(f.db, db.export());
    fs.appendFileSync(f.journal, encodeEntry(50, { op: 'putRun', run: run('b') }) + '{"torn');
    const bytes = { db: fs.readFileSync(f.db), journal: fs.readFileSync(f.journal) };
    const before = folderState(dir);

    const writer = openHistory(dir);
    await assert.rejects(writer, (e: unknown) => e instanceof NewerSchemaError && e.found === SCHEMA_VERSION + 1 && e.supported === SCHEMA_VERSION);
    await assert.rejects(openHistoryReadOnly(dir), NewerSchemaError);
    await assert.rejects(openHistoryReadOnly(dir, { inProcess: true }), NewerSchemaError);

    assert.deepStrictEqual(folderState(dir), before);
    assert.ok(fs.readFileSync(f.db).equals(bytes.db));
    assert.ok(fs.readFileSync(f.journal).equals(bytes.journal));
    assert.deepStrictEqual(fs.readdirSync(dir).filter((n) => n.includes('corrupt')), []);
    assert.ok(!fs.existsSync(path.join(dir, 'history.sqlite.tmp')));
  });
});
