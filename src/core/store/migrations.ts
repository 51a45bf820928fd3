// The schema, as the list of steps that build it. A file's `PRAGMA user_version` says how many steps
// it has had; opening applies the missing ones in order, each in its own transaction. Never edit a
// step that has shipped: add the next one.
import type { Database } from 'sql.js';

export interface Migration {
  /** The user_version after this step. */
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'tasks, runs, pending jobs',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE tasks (
        task_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        file TEXT NOT NULL,
        kind TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        paused_reason TEXT,
        last_slot INTEGER,
        retry_count INTEGER NOT NULL DEFAULT 0,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        trigger TEXT NOT NULL,
        status TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        scheduled_for INTEGER,
        queued_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        exit_code TEXT,            -- JSON: a number, or null when ended by a signal; NULL = no process
        error TEXT,
        output TEXT,
        output_truncated INTEGER,
        result TEXT,               -- JSON
        params TEXT                -- JSON
      );
      CREATE INDEX runs_task_queued ON runs (task_id, queued_at);
      CREATE TABLE pending (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        trigger TEXT NOT NULL,
        params TEXT,
        retries TEXT,
        previous_run_id TEXT,
        created_at INTEGER NOT NULL
      );`,
  },
  {
    version: 2,
    description: 'executor column; indexes for the tree and the dashboard',
    sql: `
      ALTER TABLE runs ADD COLUMN executor TEXT;
      -- Every list is ordered by (queued_at DESC, id DESC); with id in the index, a LIMIT reads only
      -- the rows it returns instead of sorting all candidates.
      DROP INDEX runs_task_queued;
      -- a task's recent runs (tree children)
      CREATE INDEX runs_task_queued ON runs (task_id, queued_at, id);
      -- last errors of a task
      CREATE INDEX runs_task_status_queued ON runs (task_id, status, queued_at, id);
      -- runs by status; running / queued counts
      CREATE INDEX runs_status_queued ON runs (status, queued_at, id);
      -- recent runs across tasks (timeline), paging by queued time
      CREATE INDEX runs_queued ON runs (queued_at, id);
      -- health over a window: covers the query, so no run row (with its output) is read
      CREATE INDEX runs_status_ended ON runs (status, ended_at, started_at);
      CREATE INDEX pending_due ON pending (due_at);`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function schemaVersion(db: Database): number {
  const v = db.exec('PRAGMA user_version')[0]?.values[0]?.[0];
  return typeof v === 'number' ? v : 0;
}

/** Bring `db` from its version up to `target`; returns the version it had. */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number {
  const from = schemaVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    db.run('BEGIN');
    try {
      db.run(m.sql);
      db.run(`PRAGMA user_version = ${m.version}`);
      db.run('COMMIT');
    } catch (e) {
      db.run('ROLLBACK');
      throw new Error(`history migration to v${m.version} (${m.description}) failed: ${(e as Error).message}`);
    }
  }
  return from;
}
