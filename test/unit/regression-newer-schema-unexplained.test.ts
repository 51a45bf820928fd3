// Found by the history-file battery (test/chaos/history-file.chaos.ts): with a history written by a
// newer version (refused, left untouched, as it must be), `task-scheduler status` and `history` said only
// "the history is not open", and `run-now` told the user to start `task-scheduler run` — which refuses
// the same file. They now give the reason: the file's schema is newer than this version understands.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { workspaceDataDir } from '../../src/core/paths';
import { createHistory, historyFiles, SCHEMA_VERSION } from '../../src/core/store';
import { loadSqlJs } from '../../src/core/store/locate';
import { CLI, ensureBuilt } from '../chaos/procs';

describe('regression: a history from a newer version was refused without saying why', function () {
  this.timeout(60_000);
  let base: string;
  before(() => ensureBuilt());
  beforeEach(() => { base = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-reg-newer-')); });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('status, history and run-now name the newer schema (and leave the file alone)', async () => {
    const ws = path.join(base, 'ws');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, '.scheduler.yaml'), 'jobs:\n  a: { command: "echo a", schedule: manual }\n');
    const env = { ...process.env, TASK_SCHEDULER_HOME: path.join(base, 'home') };
    const dataDir = workspaceDataDir(ws, env);
    const h = createHistory({ dataDir });
    await h.open();
    await h.close();
    const sql = await loadSqlJs();
    const file = historyFiles(dataDir).db;
    const db = new sql.Database(fs.readFileSync(file));
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    fs.writeFileSync(file, Buffer.from(db.export()));
    db.close();
    const before = fs.readFileSync(file);

    for (const args of [['status'], ['history', '--json'], ['run-now', 'a']]) {
      const r = spawnSync(process.execPath, [CLI, ...args, '--workspace', ws], { env, encoding: 'utf8', timeout: 30_000 });
      assert.strictEqual(r.status, 1, `${args[0]}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this version understands`), `${args[0]} did not say why: ${r.stderr}`);
    }
    assert.ok(fs.readFileSync(file).equals(before), 'the newer file was changed');
  });
});
