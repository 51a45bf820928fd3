// The engine's History on the cluster's tables. Every write for a run this member claimed is fenced by
// its token (fence.ts); runs it only queued stay local (in a cluster a run exists from its claim on);
// decisions not to run (skipped, missed) are written once per occurrence whoever makes them. Writes the
// database cannot take now go to the local journal and are replayed in order when it is back.
import type { Health, History, OpenReport, PendingJob, RunQuery, RunRecord, TaskStateRecord } from '../ports';
import type { Millis } from '../model';
import type { Db } from './db';
import { isUnavailable } from './errors';
import type { Fence } from './fence';
import type { JournalEntry, LocalJournal } from './journal';
import { jobFromRow, PUT_PENDING, RUN_COLUMNS, runFromRow, runValues, stateFromRow, type RunRow, type TaskRow } from './rows';
import { SCHEMA } from './schema';

/**
 * A task's last slot alone is written at most this often by a member: every member follows every slot, so
 * writing each would be a write per task per second per member. It only bounds catch-up after the whole
 * cluster was down, where a slot that ran meanwhile is `taken` by its occurrence rather than run again.
 */
export const LAST_SLOT_EVERY_MS = 5_000;

const FINAL = ['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'interrupted', 'missed'];
const STATE_FIELDS = ['name', 'file', 'kind', 'paused', 'pausedReason', 'lastSlot', 'retryCount', 'consecutiveFailures', 'removed'] as const;
const COLUMN: Record<(typeof STATE_FIELDS)[number], string> = {
  name: 'name', file: 'file', kind: 'kind', paused: 'paused', pausedReason: 'paused_reason', lastSlot: 'last_slot',
  retryCount: 'retry_count', consecutiveFailures: 'consecutive_failures', removed: 'removed',
};

export interface ClusterHistoryOptions {
  db: Db;
  cluster: string;
  member: string;
  fence: Fence;
  journal: LocalJournal;
  log: (level: 'debug' | 'info' | 'warn', message: string) => void;
}

export class ClusterHistory implements History {
  private readonly db: Db;
  private readonly cluster: string;
  /** What this member last read or wrote per task: a save writes only the fields it changed. */
  private readonly base = new Map<string, TaskStateRecord>();
  private replaying?: Promise<void>;
  /** When this member last wrote each task's last slot, and the newer ones not written yet. */
  private readonly slotWritten = new Map<string, number>();
  private readonly slotPending = new Map<string, TaskStateRecord>();
  private replayAgain = false;

  constructor(private readonly o: ClusterHistoryOptions) {
    this.db = o.db;
    this.cluster = o.cluster;
  }

  async open(): Promise<OpenReport> {
    return {};
  }

  /** States as another member wrote them: the base for this member's next save of each. */
  know(states: TaskStateRecord[]): void {
    for (const s of states) this.base.set(s.taskId, { ...s });
  }

  async syncTasks(tasks: Array<Pick<TaskStateRecord, 'taskId' | 'name' | 'file' | 'kind'>>, now: number): Promise<void> {
    await this.db.tx(async (c) => {
      for (const t of tasks) {
        await c.query(`INSERT INTO ${SCHEMA}.tasks (cluster, task_id, name, file, kind, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (cluster, task_id) DO UPDATE SET name = excluded.name, file = excluded.file, kind = excluded.kind, removed = false`,
        [this.cluster, t.taskId, t.name, t.file, t.kind, now]);
      }
      await c.query(`UPDATE ${SCHEMA}.tasks SET removed = true, change = nextval('${SCHEMA}.changes') WHERE cluster = $1 AND NOT removed AND NOT (task_id = ANY($2))`,
        [this.cluster, tasks.map((t) => t.taskId)]);
    });
  }

  async taskStates(): Promise<TaskStateRecord[]> {
    const rows = await this.db.query<TaskRow>(`SELECT * FROM ${SCHEMA}.tasks WHERE cluster = $1 ORDER BY task_id`, [this.cluster]);
    const states = rows.map(stateFromRow);
    this.know(states);
    return states;
  }

  saveTaskState(state: TaskStateRecord): Promise<void> {
    const before = this.base.get(state.taskId);
    const fields = STATE_FIELDS.filter((f) => !before || before[f] !== state[f]);
    if (fields.length === 1 && fields[0] === 'lastSlot' && Date.now() - (this.slotWritten.get(state.taskId) ?? 0) < LAST_SLOT_EVERY_MS) {
      // The base keeps the last slot written: the next save (or the flush at stop) writes this one.
      this.slotPending.set(state.taskId, { ...state });
      return Promise.resolve();
    }
    this.base.set(state.taskId, { ...state });
    this.slotPending.delete(state.taskId);
    if (!fields.length) return Promise.resolve();
    if (fields.includes('lastSlot')) this.slotWritten.set(state.taskId, Date.now());
    return this.write({ op: 'saveTaskState', state: { ...state }, fields });
  }

  putRun(run: RunRecord): Promise<void> {
    const token = this.o.fence.token(run.id);
    // In a cluster a run exists from its claim on, as `running`. A queued record is the member's own queue:
    // never written, also when the claim was granted before the engine's write of it came up — it would
    // turn the claimed row back to `queued`, where no reaper looks for it if this member then dies.
    if (run.status === 'queued') return Promise.resolve();
    // Never claimed: it exists only in this member's queue (the claim writes the row).
    if (token === undefined && (run.status === 'running' || run.status === 'cancelled')) return Promise.resolve();
    return this.write({ op: 'putRun', run: { ...run }, token });
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const rows = await this.db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${SCHEMA}.runs WHERE cluster = $1 AND id = $2`, [this.cluster, id]);
    return rows[0] && runFromRow(rows[0]);
  }

  /** `columns`: RUN_COLUMNS, or a list that reads NULL for the big ones (a window's lists: output is read when opened). */
  async runs(query: RunQuery, columns = RUN_COLUMNS): Promise<RunRecord[]> {
    const where = ['cluster = $1'];
    const params: unknown[] = [this.cluster];
    if (query.taskId !== undefined) { params.push(query.taskId); where.push(`task_id = $${params.length}`); }
    if (query.before !== undefined) { params.push(query.before); where.push(`queued_at < $${params.length}`); }
    if (query.statuses?.length) { params.push(query.statuses); where.push(`status = ANY($${params.length})`); }
    params.push(Math.min(query.limit ?? 100, 1_000_000));
    const rows = await this.db.query<RunRow>(
      `SELECT ${columns} FROM ${SCHEMA}.runs WHERE ${where.join(' AND ')} ORDER BY queued_at DESC, id DESC LIMIT $${params.length}`, params);
    return rows.map(runFromRow);
  }

  async lastErrors(taskId: string, limit = 5): Promise<RunRecord[]> {
    return this.runs({ taskId, limit, statuses: ['failed', 'timed-out', 'interrupted'] });
  }

  async health(windowMs: Millis, now: number): Promise<Health> {
    const [row] = await this.db.query<{ finished: number; succeeded: number; running: number; avg: number | null }>(
      `SELECT count(*) FILTER (WHERE status = ANY($3) AND ended_at >= $2)::int AS finished,
              count(*) FILTER (WHERE status = 'succeeded' AND ended_at >= $2)::int AS succeeded,
              count(*) FILTER (WHERE status = 'running')::int AS running,
              avg(ended_at - started_at) FILTER (WHERE status = 'succeeded' AND ended_at >= $2)::float8 AS avg
         FROM ${SCHEMA}.runs WHERE cluster = $1 AND (status = 'running' OR ended_at >= $2)`,
      [this.cluster, now - windowMs, FINAL.filter((s) => s !== 'missed')]);
    return {
      windowMs, finished: row.finished, succeeded: row.succeeded, successRate: row.finished ? row.succeeded / row.finished : undefined,
      running: row.running, queued: 0, averageDurationMs: row.avg === null ? undefined : Math.round(row.avg),
    };
  }

  /** A dead member's runs are recovered by the reaper (reaper.ts), not at this member's start. */
  async abandoned(): Promise<RunRecord[]> { return []; }
  async markInterrupted(): Promise<RunRecord[]> { return []; }

  putPending(job: PendingJob): Promise<void> {
    return this.write({ op: 'putPending', job: { ...job } });
  }

  deletePending(id: string): Promise<void> {
    return this.write({ op: 'deletePending', id });
  }

  async pending(): Promise<PendingJob[]> {
    const rows = await this.db.query<{ job: PendingJob; due_at: number }>(`SELECT job, due_at FROM ${SCHEMA}.pending WHERE cluster = $1 ORDER BY due_at, id`, [this.cluster]);
    return rows.map(jobFromRow);
  }

  async cleanup(opts: { now: number; olderThanMs?: Millis; maxRunsPerTask?: number }): Promise<{ deleted: number }> {
    let deleted = 0;
    if (opts.olderThanMs !== undefined) {
      const rows = await this.db.query(`DELETE FROM ${SCHEMA}.runs WHERE cluster = $1 AND status = ANY($2) AND ended_at < $3 RETURNING 1`,
        [this.cluster, FINAL, opts.now - opts.olderThanMs]);
      deleted += rows.length;
    }
    if (opts.maxRunsPerTask) {
      const rows = await this.db.query(`DELETE FROM ${SCHEMA}.runs r USING (
          SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY task_id ORDER BY queued_at DESC) AS n
            FROM ${SCHEMA}.runs WHERE cluster = $1 AND status = ANY($2)) ranked WHERE n > $3) old
        WHERE r.cluster = $1 AND r.id = old.id RETURNING 1`, [this.cluster, FINAL, opts.maxRunsPerTask]);
      deleted += rows.length;
    }
    return { deleted };
  }

  async flush(): Promise<void> {
    for (const state of [...this.slotPending.values()]) {
      this.slotWritten.delete(state.taskId);
      await this.saveTaskState(state).catch(() => undefined);
    }
    if (this.db.up) await this.replay();
  }

  async close(): Promise<void> {
    await this.replaying?.catch(() => undefined);
  }

  /**
   * Writes what the journal kept while the database was away; stops (keeping the rest) if it goes again.
   * Writes made meanwhile join the journal (their order counts) and are written in the next pass, until
   * it is empty: else they would wait there for the next outage, and every later write behind them.
   */
  replay(): Promise<void> {
    if (this.replaying) { this.replayAgain = true; return this.replaying; }
    this.replaying = (async () => {
      let total = 0;
      try {
        for (;;) {
          this.replayAgain = false;
          const n = await this.o.journal.replay(async (e) => {
            try {
              await this.apply(e);
              return true;
            } catch (err) {
              if (isUnavailable(err)) return false;
              this.o.log('warn', `a kept write could not be replayed and was dropped: ${(err as Error).message}`);
              return true;
            }
          });
          total += n;
          if (!n || !this.db.up || (!this.replayAgain && this.o.journal.size === 0)) break;
        }
        if (total) this.o.log('info', `wrote ${total} record(s) kept locally while PostgreSQL was unreachable`);
      } finally {
        this.replaying = undefined;
      }
    })();
    return this.replaying;
  }

  // ---------------------------------------------------------------------------------------------

  /** Straight to the database, or to the journal while it is away (or still holds earlier writes, whose order counts). */
  private async write(entry: JournalEntry): Promise<void> {
    if (this.o.journal.size === 0 && this.db.up) {
      try {
        await this.apply(entry);
        return;
      } catch (err) {
        if (!isUnavailable(err)) throw err;
      }
    }
    this.o.journal.append(entry);
    // Behind kept writes while the database is up: a replay is running (this joins its next pass) or due.
    if (this.db.up) void this.replay().catch(() => undefined);
  }

  private async apply(e: JournalEntry): Promise<void> {
    switch (e.op) {
      case 'putRun': return this.applyRun(e.run, e.token);
      case 'putPending':
        await this.db.query(PUT_PENDING, [this.cluster, e.job.id, e.job.taskId, e.job.dueAt, JSON.stringify(e.job)]);
        this.db.notify('pending');
        return;
      case 'deletePending':
        if ((await this.db.query(`DELETE FROM ${SCHEMA}.pending WHERE cluster = $1 AND id = $2 RETURNING 1`, [this.cluster, e.id])).length) this.db.notify('pending');
        return;
      case 'saveTaskState': return this.applyState(e.state, e.fields);
    }
  }

  private async applyRun(run: RunRecord, token: number | undefined): Promise<void> {
    if (token === undefined) {
      // A decision not to run (skipped, missed): one row per occurrence, whichever member made it first.
      const inserted = await this.db.query(`INSERT INTO ${SCHEMA}.runs (cluster, ${RUN_COLUMNS}) VALUES ($1, ${placeholders(2, 18)}) ON CONFLICT DO NOTHING RETURNING 1`,
        [this.cluster, ...runValues(run, this.o.member)]);
      if (inserted.length) this.db.notify('ended');
      return;
    }
    const v = runValues(run, this.o.member);
    const rows = await this.db.query(`UPDATE ${SCHEMA}.runs SET status = $3, started_at = $4, ended_at = $5, exit_code = $6, error = $7,
        output = $8, output_truncated = $9, result = $10 WHERE cluster = $1 AND id = $2 AND token = $11 RETURNING 1`,
    [this.cluster, run.id, run.status, v[7], v[8], v[9], v[10], v[11], v[12], v[13], token]);
    if (!rows.length) { this.o.fence.refuse(run.id, run.taskId, token, `its ${run.status} record`); return; }
    if (FINAL.includes(run.status)) {
      this.o.fence.release(run.id);
      this.db.notify('ended');
    }
  }

  private async applyState(s: TaskStateRecord, fields: string[]): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [this.cluster, s.taskId, s.updatedAt];
    for (const f of fields as Array<(typeof STATE_FIELDS)[number]>) {
      params.push(s[f] ?? null);
      const col = COLUMN[f];
      // Slots only move forward: two members handling slots never move it back.
      sets.push(col === 'last_slot' ? `last_slot = GREATEST(${SCHEMA}.tasks.last_slot, $${params.length})` : `${col} = $${params.length}`);
    }
    await this.db.query(`INSERT INTO ${SCHEMA}.tasks (cluster, task_id, name, file, kind, paused, paused_reason, last_slot, retry_count, consecutive_failures, removed, updated_at)
        VALUES ($1, $2, $${params.push(s.name)}, $${params.push(s.file)}, $${params.push(s.kind)}, $${params.push(s.paused)}, $${params.push(s.pausedReason ?? null)},
          $${params.push(s.lastSlot ?? null)}, $${params.push(s.retryCount)}, $${params.push(s.consecutiveFailures)}, $${params.push(s.removed)}, $3)
      ON CONFLICT (cluster, task_id) DO UPDATE SET ${[...sets, 'updated_at = $3', `change = nextval('${SCHEMA}.changes')`].join(', ')}`, params);
    if (fields.some((f) => f === 'paused' || f === 'retryCount' || f === 'consecutiveFailures')) this.db.notify('state');
  }
}

function placeholders(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');
}
