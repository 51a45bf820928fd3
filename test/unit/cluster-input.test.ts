// Bad input to the cluster gives a clear error that changes nothing and never prints a password; a
// folder without a store never loads the cluster chunk (or pg); `store:` in .scheduler.yaml is checked
// with positions like every other key.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PG_PASSWORD, startPostgres, type PgServer } from '../pg/server';
import { CLI, cli, ensureBuilt } from '../chaos/procs';
import { clusterFolder, sql } from './helpers/clusterMembers';
import { loadConfig } from '../../src/core/config';
import { resolveStore } from '../../src/core/config/store';
import { redact } from '../../src/core/cluster/redact';
import { SCHEMA_VERSION } from '../../src/core/cluster/schema';
import { WorkspaceService } from '../../src/core/service/workspaceService';
import { runtimeFromDist } from '../../src/core/workspace/runtime';

describe('cluster: bad input', function () {
  this.timeout(120_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  const folder = (url: string, name = 'bad') => clusterFolder(url, name, { '.scheduler.yaml': 'STORE\njobs:\n  a: { command: "echo a", schedule: "every minute" }\n' });
  async function refused(url: string, expected: RegExp): Promise<string> {
    const r = await cli(folder(url), ['status']);
    assert.strictEqual(r.code, 1, `exit ${r.code}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.ok(!r.stderr.includes(PG_PASSWORD) && !r.stdout.includes(PG_PASSWORD), `the password was printed: ${r.stderr}`);
    return r.stderr;
  }

  it('an unreachable host', async () => {
    await refused(pg.urlFor('postgres').replace(`:${pg.port}/`, ':1/'), /cannot reach PostgreSQL at postgres@127\.0\.0\.1:1\/postgres: connection refused/);
  });

  it('a wrong password (and the wrong one is not printed either)', async () => {
    const r = await refused(pg.urlFor('postgres').replace(PG_PASSWORD, 'hunter2'), /refused the login: password authentication failed/);
    assert.ok(!r.includes('hunter2'));
  });

  it('a role without the privilege to create the schema: nothing created', async () => {
    const url = await pg.createDatabase('noprivs');
    pg.psql("CREATE ROLE weak LOGIN PASSWORD 'weakpw'; REVOKE CREATE ON DATABASE noprivs FROM PUBLIC; REVOKE CREATE ON SCHEMA public FROM PUBLIC", 'noprivs');
    await refused(url.replace(`postgres:${PG_PASSWORD}`, 'weak:weakpw'), /lacks a privilege task-scheduler needs/);
    assert.strictEqual(pg.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'task_scheduler'", 'noprivs').trim(), '0');
  });

  it('a database of a newer schema: refused, left as it was', async () => {
    const url = await pg.createDatabase('newer');
    assert.strictEqual((await cli(folder(url), ['status'])).code, 0); // creates the schema
    await sql(url, "UPDATE task_scheduler.meta SET value = '99' WHERE key = 'schema_version'");
    await refused(url, new RegExp(`schema is version 99, newer than this version of task-scheduler understands \\(${SCHEMA_VERSION}\\)`));
    assert.strictEqual(pg.psql("SELECT value FROM task_scheduler.meta WHERE key = 'schema_version'", 'newer').trim(), '99');
  });

  it('a database of schema version 1 is brought to the current version, its rows kept', async () => {
    const url = await pg.createDatabase('older');
    assert.strictEqual((await cli(folder(url), ['status'])).code, 0);
    pg.psql("DROP TABLE task_scheduler.waiting; UPDATE task_scheduler.meta SET value = '1' WHERE key = 'schema_version'; INSERT INTO task_scheduler.clusters (name) VALUES ('kept')", 'older');
    const r = await cli(folder(url), ['status']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(pg.psql("SELECT value FROM task_scheduler.meta WHERE key = 'schema_version'", 'older').trim(), String(SCHEMA_VERSION));
    assert.strictEqual(pg.psql("SELECT count(*) FROM task_scheduler.waiting", 'older').trim(), '0');
    assert.strictEqual(pg.psql("SELECT count(*) FROM task_scheduler.clusters WHERE name = 'kept'", 'older').trim(), '1');
  });

  it('a database holding unrelated tables of the same names: refused, untouched', async () => {
    const url = await pg.createDatabase('unrelated');
    pg.psql('CREATE SCHEMA task_scheduler; CREATE TABLE task_scheduler.runs (n int); INSERT INTO task_scheduler.runs VALUES (7); CREATE TABLE public.runs (x text)', 'unrelated');
    await refused(url, /has a schema "task_scheduler" that task-scheduler did not create/);
    assert.strictEqual(pg.psql("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'task_scheduler'", 'unrelated').trim(), 'runs');
    assert.strictEqual(pg.psql('SELECT n FROM task_scheduler.runs', 'unrelated').trim(), '7');
  });

  it('a database whose only same-named tables are elsewhere (public.runs) is used, in its own schema', async () => {
    const url = await pg.createDatabase('sharing');
    pg.psql('CREATE TABLE public.runs (x text); CREATE TABLE public.tasks (y int)', 'sharing');
    const r = await cli(folder(url, 'share'), ['status', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(JSON.parse(r.stdout).cluster.cluster, 'share');
  });
});

describe('cluster: only when asked for', function () {
  this.timeout(60_000);

  it('a store-less CLI run never loads the cluster chunk or pg', () => {
    ensureBuilt();
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-nocluster-'));
    fs.writeFileSync(path.join(ws, '.scheduler.yaml'), 'jobs:\n  a: { command: "echo a", schedule: "every second" }\n');
    const log = path.join(ws, 'loaded.txt');
    const hook = path.join(ws, 'hook.js');
    fs.writeFileSync(hook, `const M = require('module'); const fs = require('fs'); const orig = M._load;
      M._load = function (request, parent, isMain) { fs.appendFileSync(${JSON.stringify(log)}, request + '\\n'); return orig.apply(this, arguments); };
      setTimeout(() => process.kill(process.pid, 'SIGINT'), 2500).unref();`);
    const env: NodeJS.ProcessEnv = { ...process.env, TASK_SCHEDULER_HOME: path.join(ws, 'home') };
    delete env.TASK_SCHEDULER_DATABASE_URL;
    for (const args of [['run'], ['status'], ['list']]) {
      const r = spawnSync(process.execPath, ['-r', hook, CLI, ...args, '--workspace', ws], { env, encoding: 'utf8', timeout: 30_000 });
      assert.ok(r.status === 0, `${args[0]}: ${r.stdout}${r.stderr}`);
    }
    const loaded = fs.readFileSync(log, 'utf8').split('\n');
    assert.ok(loaded.includes('./runner.js') || loaded.some((l) => l.endsWith('runner.js')) || loaded.length > 5, 'the hook saw nothing');
    assert.deepStrictEqual(loaded.filter((l) => /cluster(\.js)?$|^pg($|\/)/.test(l)), []);
  });
});

describe('cluster: the chunk', () => {
  it('dist/cluster.js carries no engine of its own: it runs on its caller\'s (src/core/cluster/host.ts)', () => {
    ensureBuilt();
    const text = fs.readFileSync(path.join(__dirname, '../../dist/cluster.js'), 'utf8');
    // The development build names each module it holds in a comment.
    const modules = [...text.matchAll(/^\/\/ (src\/\S+)$/gm)].map((m) => m[1]).filter((m) => !m.startsWith('src/core/cluster/'));
    assert.deepStrictEqual(modules, ['src/core/model.ts']);
    assert.ok(text.length < 400_000, `dist/cluster.js is ${text.length} bytes`);
  });
});

describe('config: store', () => {
  const load = (text: string) => loadConfig('/w/.scheduler.yaml', text);

  it('reads url and name, default name "default"', () => {
    assert.deepStrictEqual(load('store: { url: "${env:DB}" }\n').config.store, { url: '${env:DB}', name: 'default' });
    assert.deepStrictEqual(load('store: { url: "${env:DB}", name: chores }\n').diagnostics, []);
  });

  it('positions its errors, and a store with an error still refuses to run without the cluster', () => {
    const l = load('store:\n  url: mysql://x\n  nmae: a\n');
    const lines = l.diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    assert.ok(lines.some((x) => /^2:8: error: `store\.url` must be a PostgreSQL URL/.test(x)), lines.join('\n'));
    assert.ok(lines.some((x) => /^3:3: warning: unknown key `nmae`/.test(x)), lines.join('\n'));
    assert.throws(() => resolveStore(l.config.store, {}), /`store` in \.scheduler\.yaml has an error/);
  });

  it('warns about a literal password, not about ${env:…}', () => {
    const l = load('store:\n  url: postgres://u:secret@db/x\n');
    assert.match(l.diagnostics[0].message, /holds a password in plain text/);
    assert.strictEqual(l.diagnostics[0].line, 2);
    assert.deepStrictEqual(load('store: { url: "postgres://u:${env:PW}@db/x" }\n').diagnostics, []);
  });

  it('expands ${env:…} when used, and says which variable is missing', () => {
    assert.deepStrictEqual(resolveStore({ url: 'postgres://u:${env:PW}@${env:HOST}/x', name: 'c' }, { PW: 'p', HOST: 'h' }), { url: 'postgres://u:p@h/x', name: 'c' });
    assert.throws(() => resolveStore({ url: '${env:NOPE}', name: 'c' }, {}), /\$\{env:NOPE\}, which is not set/);
    assert.deepStrictEqual(resolveStore(undefined, { TASK_SCHEDULER_DATABASE_URL: 'postgres://h/x' }), { url: 'postgres://h/x', name: 'default' });
    assert.strictEqual(resolveStore(undefined, {}), undefined);
  });

  it('redacts passwords in URLs and keyword strings', () => {
    assert.strictEqual(redact('cannot reach postgres://me:s3cr%40t@h:5/db now'), 'cannot reach postgres://me:***@h:5/db now');
    assert.strictEqual(redact("host=h password='a b' user=u"), 'host=h password=*** user=u');
  });
});

describe('cluster: a folder that names a store, opened without it (a VS Code window)', function () {
  this.timeout(60_000);

  it('never executes its tasks with the local lease, and says why', async () => {
    ensureBuilt();
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-window-'));
    fs.writeFileSync(path.join(ws, '.scheduler.yaml'), 'store: { url: "${env:NOT_SET_HERE}", name: chores }\njobs:\n  now: { command: "echo ran > ran.txt", schedule: now }\n');
    const errors: string[] = [];
    const service = new WorkspaceService({ folder: ws, runtime: runtimeFromDist(path.join(__dirname, '../../dist')), ownerLabel: 'test window', dataDir: path.join(ws, 'data'), warmSpare: false });
    service.onEvent((e) => { if (e.type === 'error') errors.push(e.message); });
    await service.start();
    try {
      assert.strictEqual(service.role, 'viewer');
      assert.match(errors.join('\n'), /runs on the cluster "chores"/);
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(!fs.existsSync(path.join(ws, 'ran.txt')), 'the task ran in the window');
      assert.ok(!fs.existsSync(path.join(ws, 'data', 'executor.lease')), 'the window took the local lease');
    } finally {
      await service.stop();
    }
  });
});
