// The harness side of the tests where a window watches a cluster (in-host pass `host-cluster`, UI test
// cluster.ui.js, the cluster-window benchmark): a real PostgreSQL (test/pg/server.ts), a workspace folder
// whose .scheduler.yaml names it through ${env:TASK_SCHEDULER_TEST_DATABASE_URL}, and real
// `task-scheduler run` members on that folder, each with its own home. Everything is started here, in
// Node outside VS Code, and stopped by PID.
import * as fs from 'fs';
import * as path from 'path';
import { startPostgres, type PgServer } from '../pg/server';
import { descendants, ensureBuilt, killPids, RunProcess } from '../chaos/procs';

/** The variable the folder's store names: code-server passes it on to the extension host. */
export const DATABASE_URL_VAR = 'TASK_SCHEDULER_TEST_DATABASE_URL';
/** Short cluster timings (members and the window alike): deaths are seen in about a second. */
export const TIMINGS = { TASK_SCHEDULER_CLUSTER_HEARTBEAT_MS: '300', TASK_SCHEDULER_CLUSTER_TTL_MS: '1500', TASK_SCHEDULER_CLUSTER_POLL_MS: '1000' };

export interface ClusterSetup {
  pg: PgServer;
  url: string;
  cluster: string;
  members: RunProcess[];
  /** For code-server (so for the extension host): the database URL variable, the timings, the members' pids. */
  env: Record<string, string>;
  /** Starts one more member on the folder (its own home under `base`). */
  addMember(): Promise<RunProcess>;
  stop(): Promise<void>;
}

/**
 * Writes `files` into `folder` (the text STORE becomes the store line) and starts PostgreSQL and
 * `members` members. `base` holds the members' homes.
 */
export async function startCluster(opts: { folder: string; base: string; cluster: string; files: Record<string, string>; members: number; pgSettings?: Record<string, string> }): Promise<ClusterSetup> {
  ensureBuilt();
  const pg = await startPostgres({ settings: opts.pgSettings });
  try {
    const url = await pg.createDatabase(opts.cluster.replace(/[^a-z0-9_]/g, '_'));
    for (const [rel, text] of Object.entries(opts.files)) {
      fs.mkdirSync(path.dirname(path.join(opts.folder, rel)), { recursive: true });
      fs.writeFileSync(path.join(opts.folder, rel), text.replace('STORE', `store: { url: "\${env:${DATABASE_URL_VAR}}", name: ${opts.cluster} }`));
    }
    const members: RunProcess[] = [];
    const memberEnv = (n: number): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { ...process.env, ...TIMINGS, [DATABASE_URL_VAR]: url, TASK_SCHEDULER_HOME: path.join(opts.base, `member-${n}`) };
      delete env.TASK_SCHEDULER_DATABASE_URL;
      return env;
    };
    const addMember = async () => {
      const n = members.length + 1;
      const m = new RunProcess({ base: opts.base, ws: opts.folder, home: path.join(opts.base, `member-${n}`), env: memberEnv(n) });
      members.push(m);
      await m.waitFor(/executing this workspace's tasks/, 60_000);
      return m;
    };
    for (let i = 0; i < opts.members; i++) await addMember();
    const setup: ClusterSetup = {
      pg, url, cluster: opts.cluster, members, addMember,
      env: { ...TIMINGS, [DATABASE_URL_VAR]: url, TASK_SCHEDULER_TEST_MEMBERS: members.map((m) => m.pid).join(',') },
      async stop() {
        for (const m of members) {
          const kids = descendants(m.pid);
          await m.stop('SIGTERM', 15_000);
          killPids(kids);
        }
        await pg.stop();
      },
    };
    return setup;
  } catch (e) {
    await pg.stop();
    throw e;
  }
}
