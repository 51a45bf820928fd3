// Regression (seen in the cluster's "PostgreSQL down" test: a member died of "Connection terminated
// unexpectedly", an unhandled 'error' event): node-postgres's pool stops listening for a client's errors
// while it is checked out, so a server that went away between two statements of a transaction ended the
// whole process. Now the transaction fails, the database is reported down once, and the process lives.
import * as assert from 'assert';
import { Db } from '../../src/core/cluster/db';
import { startPostgres, type PgServer } from '../pg/server';

describe('regression: the cluster database goes away in the middle of a transaction', function () {
  this.timeout(60_000);
  let pg: PgServer;
  before(async () => { pg = await startPostgres(); });
  after(async () => { await pg?.stop(); });

  it('fails that transaction and reports the outage, without an uncaught error', async () => {
    const url = await pg.createDatabase('terminated_in_tx');
    const logs: string[] = [];
    const db = new Db({ url, cluster: 'c', applicationName: 'ts-regression', log: (level, m) => logs.push(`${level}: ${m}`) });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.prependListener('uncaughtException', onUncaught);
    try {
      await assert.rejects(db.tx(async (c) => {
        const [{ pid }] = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
        pg.psql(`SELECT pg_terminate_backend(${pid})`);
        // No statement is in flight while the server closes this connection.
        await new Promise((r) => setTimeout(r, 500));
        await c.query('SELECT 1');
      }));
      assert.deepStrictEqual(uncaught, []);
      assert.strictEqual(logs.filter((l) => /is unreachable/.test(l)).length, 1, JSON.stringify(logs));
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      await db.close();
    }
  });
});
