// A cluster's tables as one end of a history move (../transfer). Runs copied in keep their ids and get
// no member or token (nobody runs them); states written here bump the change sequence and pending jobs
// are announced, so running members pick both up at once, as they would another member's.
import type { PendingJob, RunRecord, TaskStateRecord } from '../ports';
import type { HistoryEnd } from '../transfer/ends';
import type { Db } from './db';
import { jobFromRow, RUN_COLUMNS, runFromRow, runValues, stateFromRow, type RunRow, type TaskRow } from './rows';
import { SCHEMA } from './schema';

/** Rows per statement and per page. */
const PAGE = 500;

export class ClusterEnd implements HistoryEnd {
  readonly label: string;

  constructor(private readonly db: Db, private readonly cluster: string, private readonly ttlMs: number) {
    this.label = `cluster "${cluster}" at ${db.where}`;
  }

  async *runs(): AsyncIterable<RunRecord[]> {
    let after: [number, string] | undefined;
    for (;;) {
      const rows = await this.db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${SCHEMA}.runs WHERE cluster = $1
          ${after ? 'AND (queued_at, id) > ($3, $4)' : ''} ORDER BY queued_at, id LIMIT $2`,
      after ? [this.cluster, PAGE, after[0], after[1]] : [this.cluster, PAGE]);
      if (!rows.length) return;
      const page = rows.map(runFromRow);
      yield page;
      const last = page[page.length - 1];
      after = [last.queuedAt, last.id];
    }
  }

  async knownRuns(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.runs WHERE cluster = $1 AND id = ANY($2)`, [this.cluster, ids]);
    return new Set(rows.map((r) => r.id));
  }

  async addRuns(runs: RunRecord[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < runs.length; i += PAGE) {
      const batch = runs.slice(i, i + PAGE);
      const width = 19;
      const values = batch.flatMap((r) => [this.cluster, ...runValues(r, null)]);
      const rows = batch.map((_, j) => `(${Array.from({ length: width }, (__, k) => `$${j * width + k + 1}`).join(', ')})`);
      const inserted = await this.db.query(`INSERT INTO ${SCHEMA}.runs (cluster, ${RUN_COLUMNS}) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING RETURNING 1`, values);
      added += inserted.length;
    }
    return added;
  }

  async taskStates(): Promise<TaskStateRecord[]> {
    const rows = await this.db.query<TaskRow>(`SELECT * FROM ${SCHEMA}.tasks WHERE cluster = $1 ORDER BY task_id`, [this.cluster]);
    return rows.map(stateFromRow);
  }

  async putTaskStates(states: TaskStateRecord[]): Promise<void> {
    await this.db.tx(async (c) => {
      for (const s of states) {
        await c.query(`INSERT INTO ${SCHEMA}.tasks (cluster, task_id, name, file, kind, paused, paused_reason, last_slot, retry_count, consecutive_failures, removed, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
          ON CONFLICT (cluster, task_id) DO UPDATE SET paused = excluded.paused, paused_reason = excluded.paused_reason,
            last_slot = GREATEST(${SCHEMA}.tasks.last_slot, excluded.last_slot), retry_count = excluded.retry_count,
            consecutive_failures = excluded.consecutive_failures, removed = excluded.removed, updated_at = excluded.updated_at,
            change = nextval('${SCHEMA}.changes')`,
        [this.cluster, s.taskId, s.name, s.file, s.kind, s.paused, s.pausedReason ?? null, s.lastSlot ?? null, s.retryCount, s.consecutiveFailures, s.removed, s.updatedAt]);
      }
    });
    this.db.notify('state');
  }

  async pending(): Promise<PendingJob[]> {
    const rows = await this.db.query<{ job: PendingJob; due_at: number }>(`SELECT job, due_at FROM ${SCHEMA}.pending WHERE cluster = $1 ORDER BY due_at, id`, [this.cluster]);
    return rows.map(jobFromRow);
  }

  async addPending(jobs: PendingJob[]): Promise<number> {
    let added = 0;
    await this.db.tx(async (c) => {
      for (const j of jobs) {
        // A job that already ran here (a move repeated after its run) is not added again.
        const r = await c.query(`INSERT INTO ${SCHEMA}.pending (cluster, id, task_id, due_at, job)
            SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.runs WHERE cluster = $1 AND task_id = $3 AND occurrence = $6)
          ON CONFLICT (cluster, id) DO NOTHING`, [this.cluster, j.id, j.taskId, j.dueAt, JSON.stringify(j), `job:${j.id}`]);
        added += r.rowCount ?? 0;
      }
    });
    if (added) this.db.notify('pending');
    return added;
  }

  async deletePending(ids: string[]): Promise<void> {
    await this.db.query(`DELETE FROM ${SCHEMA}.pending WHERE cluster = $1 AND id = ANY($2)`, [this.cluster, ids]);
    this.db.notify('pending');
  }

  async executing(): Promise<string | undefined> {
    const live = await this.db.query<{ label: string }>(`SELECT label FROM ${SCHEMA}.members WHERE cluster = $1 AND standby IS NULL
        AND heartbeat_at > now() - make_interval(secs => $2 / 1000.0) ORDER BY since`, [this.cluster, this.ttlMs]);
    if (!live.length) return undefined;
    return `${live.length} member(s) of the cluster execute them (${live.map((m) => m.label).join('; ')}): stop them, then move again to bring the pending jobs too`;
  }

  async close(): Promise<void> { /* the service owns the connection */ }
}
