// A database of its own with the cluster's tables and one cluster's row, and a Db onto it: for the tests of
// one seam (claims, history, reaper) without members.
import { Db } from '../../../src/core/cluster/db';
import { ensureCluster, migrate } from '../../../src/core/cluster/schema';
import type { PgServer } from '../../pg/server';

export async function migratedCluster(pg: PgServer, database: string, cluster: string, applicationName = cluster): Promise<{ url: string; db: Db }> {
  const url = await pg.createDatabase(database);
  const db = new Db({ url, cluster, applicationName, log: () => undefined });
  await migrate(db);
  await ensureCluster(db, cluster);
  return { url, db };
}
