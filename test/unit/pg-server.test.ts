// The PostgreSQL test harness (test/pg/server.ts) itself: a real server of our own, password auth over
// TCP, committed rows kept across `pg_ctl restart -m immediate`, and nothing left running after stop().
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { PG_PASSWORD, startPostgres, type PgServer } from '../pg/server';

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** psql over TCP with a URL (as a client on another machine would connect). */
function tcp(url: string, sql: string): { code: number | null; out: string; err: string } {
  const r = spawnSync('psql', [url, '-X', '-A', '-t', '-c', sql], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr };
}

describe('PostgreSQL test harness', function () {
  this.timeout(120_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  it('answers over TCP with the password and refuses a wrong one', async () => {
    const url = await pg.createDatabase('harness_check');
    assert.deepStrictEqual(tcp(url, 'SELECT 40 + 2'), { code: 0, out: '42', err: '' });
    const wrong = tcp(url.replace(PG_PASSWORD, 'wrong'), 'SELECT 1');
    assert.notStrictEqual(wrong.code, 0);
    assert.match(wrong.err, /password authentication failed/);
  });

  it('keeps committed rows across an immediate restart, under a new PID', async () => {
    const url = pg.urlFor('harness_check');
    tcp(url, 'CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)');
    const before = pg.pid();
    await pg.restartImmediate();
    assert.notStrictEqual(pg.pid(), before);
    assert.strictEqual(tcp(url, 'SELECT sum(n) FROM t').out, '3');
  });

  it('stop() ends the server by PID', async () => {
    const other = await startPostgres();
    const pid = other.pid();
    assert.ok(alive(pid));
    await other.stop();
    assert.ok(!alive(pid), `postmaster ${pid} still alive`);
  });
});
