// The cluster's tables, in a schema of their own (`task_scheduler`) with a marker row, so a database that
// holds other tables — even ones called `runs` or `tasks` — is never touched. Versioned: migrations run
// in one transaction under an advisory lock, by whichever member starts first; a database written by a
// newer version is refused, unchanged.
import type { Db } from './db';
import { StoreError } from './errors';

export const SCHEMA = 'task_scheduler';
export const PRODUCT = 'task-scheduler';
/** The newest version this code writes; each entry of MIGRATIONS brings the schema to its index + 1. */
export const SCHEMA_VERSION = 2;
/** Serializes migrations across members (any constant, the same in every version). */
const MIGRATION_LOCK = 0x7453_6d67;

const MIGRATIONS: string[] = [
  `CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
   CREATE TABLE ${SCHEMA}.meta (key text PRIMARY KEY, value text NOT NULL);
   CREATE SEQUENCE ${SCHEMA}.fence;
   CREATE SEQUENCE ${SCHEMA}.changes;
   CREATE SEQUENCE ${SCHEMA}.member_locks MAXVALUE 2147483647 CYCLE;
   CREATE TABLE ${SCHEMA}.clusters (
     name text PRIMARY KEY, paused_all boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL DEFAULT now());
   CREATE TABLE ${SCHEMA}.members (
     cluster text NOT NULL REFERENCES ${SCHEMA}.clusters(name), id text NOT NULL, label text NOT NULL, host text NOT NULL,
     pid integer NOT NULL, version text NOT NULL, since timestamptz NOT NULL DEFAULT now(),
     heartbeat_at timestamptz NOT NULL DEFAULT now(), session_at timestamptz NOT NULL DEFAULT now(),
     lock_key integer NOT NULL, definitions text NOT NULL, task_hashes jsonb NOT NULL DEFAULT '{}',
     standby text, running integer NOT NULL DEFAULT 0, stale_writes integer NOT NULL DEFAULT 0,
     PRIMARY KEY (cluster, id));
   CREATE TABLE ${SCHEMA}.tasks (
     cluster text NOT NULL, task_id text NOT NULL, name text NOT NULL, file text NOT NULL, kind text NOT NULL,
     paused boolean NOT NULL DEFAULT false, paused_reason text, last_slot bigint, retry_count integer NOT NULL DEFAULT 0,
     consecutive_failures integer NOT NULL DEFAULT 0, removed boolean NOT NULL DEFAULT false, updated_at bigint NOT NULL,
     change bigint NOT NULL DEFAULT nextval('${SCHEMA}.changes'), PRIMARY KEY (cluster, task_id));
   CREATE TABLE ${SCHEMA}.runs (
     cluster text NOT NULL, id text NOT NULL, task_id text NOT NULL, trigger text NOT NULL, status text NOT NULL,
     attempt integer NOT NULL, scheduled_for bigint, queued_at bigint NOT NULL, started_at bigint, ended_at bigint,
     exit_code integer, error text, output text, output_truncated boolean NOT NULL DEFAULT false, result jsonb,
     params jsonb, executor text, member text, token bigint, occurrence text, PRIMARY KEY (cluster, id));
   CREATE UNIQUE INDEX runs_occurrence ON ${SCHEMA}.runs (cluster, task_id, occurrence);
   CREATE INDEX runs_running ON ${SCHEMA}.runs (cluster, member) WHERE status = 'running';
   CREATE INDEX runs_by_task ON ${SCHEMA}.runs (cluster, task_id, queued_at DESC);
   CREATE INDEX runs_by_time ON ${SCHEMA}.runs (cluster, queued_at DESC);
   CREATE TABLE ${SCHEMA}.pending (
     cluster text NOT NULL, id text NOT NULL, task_id text NOT NULL, due_at bigint NOT NULL, job jsonb NOT NULL,
     PRIMARY KEY (cluster, id));
   CREATE TABLE ${SCHEMA}.actions (
     id bigserial PRIMARY KEY, cluster text NOT NULL, target text, action jsonb NOT NULL, sender text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(), taken_by text, done_at timestamptz, ok boolean, result jsonb, error text);
   CREATE INDEX actions_open ON ${SCHEMA}.actions (cluster, id) WHERE done_at IS NULL;`,
  // Runs held back by the cluster's concurrency, per member (claims.ts "Priorities across members").
  `CREATE TABLE ${SCHEMA}.waiting (
     cluster text NOT NULL, task_id text NOT NULL, occurrence text NOT NULL, member text NOT NULL,
     rank integer NOT NULL, due_at bigint NOT NULL, expires_at timestamptz NOT NULL,
     PRIMARY KEY (cluster, task_id, occurrence, member));
   CREATE INDEX waiting_order ON ${SCHEMA}.waiting (cluster, rank, due_at);`,
];

/** Creates or upgrades the schema; refuses a foreign schema of our name and a newer version, changing nothing. */
export async function migrate(db: Db): Promise<{ from: number; to: number }> {
  return db.tx(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const found = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1`, [SCHEMA]);
    let from = 0;
    if (found.rows[0].n > 0) {
      const meta = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'meta'`, [SCHEMA]);
      const marker = meta.rows[0].n
        ? (await c.query<{ key: string; value: string }>(`SELECT key, value FROM ${SCHEMA}.meta WHERE key IN ('product', 'schema_version')`)).rows
        : [];
      const product = marker.find((r) => r.key === 'product')?.value;
      if (product !== PRODUCT) {
        throw new StoreError(`the database has a schema "${SCHEMA}" that task-scheduler did not create (no marker in ${SCHEMA}.meta); it is left untouched. Use another database, or drop that schema if it is a leftover`);
      }
      from = Number(marker.find((r) => r.key === 'schema_version')?.value ?? 0);
      if (from > SCHEMA_VERSION) {
        throw new StoreError(`the database's task-scheduler schema is version ${from}, newer than this version of task-scheduler understands (${SCHEMA_VERSION}); it is left untouched. Upgrade task-scheduler on this machine`);
      }
    }
    for (let v = from; v < SCHEMA_VERSION; v++) await c.query(MIGRATIONS[v]);
    if (from < SCHEMA_VERSION) {
      await c.query(`INSERT INTO ${SCHEMA}.meta (key, value) VALUES ('product', $1), ('schema_version', $2)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [PRODUCT, String(SCHEMA_VERSION)]);
    }
    return { from, to: SCHEMA_VERSION };
  });
}

/**
 * A window reads a cluster's tables and never changes their shape (a member of the matching version
 * does): 'absent' when no member created them yet; a StoreError, nothing changed, when they are not ours
 * or of another version.
 */
export async function checkSchema(db: Db): Promise<'absent' | 'current'> {
  const [found] = await db.query<{ meta: boolean }>(`SELECT to_regclass('${SCHEMA}.meta') IS NOT NULL AS meta`);
  const ns = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1`, [SCHEMA]);
  if (!ns[0].n) return 'absent';
  const marker = found.meta ? await db.query<{ key: string; value: string }>(`SELECT key, value FROM ${SCHEMA}.meta WHERE key IN ('product', 'schema_version')`) : [];
  if (marker.find((r) => r.key === 'product')?.value !== PRODUCT) {
    throw new StoreError(`the database has a schema "${SCHEMA}" that task-scheduler did not create (no marker in ${SCHEMA}.meta). Name another database in store.url`);
  }
  const version = Number(marker.find((r) => r.key === 'schema_version')?.value ?? 0);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(`the cluster's tables are version ${version}, newer than this version of Task Scheduler understands (${SCHEMA_VERSION}): update the extension, then Reload Tasks`);
  }
  if (version < SCHEMA_VERSION) {
    throw new StoreError(`the cluster's tables are version ${version}, older than this version of Task Scheduler reads (${SCHEMA_VERSION}): a member of this version (\`task-scheduler run\`) upgrades them when it starts; then Reload Tasks`);
  }
  return 'current';
}

/** The cluster's row (created on first use): claims lock it, pause-all lives in it. */
export async function ensureCluster(db: Db, name: string): Promise<void> {
  await db.query(`INSERT INTO ${SCHEMA}.clusters (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
}
