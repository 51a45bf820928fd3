// Bringing the other members' changes into this member's engine (README.md "State shared between
// engines"): pending jobs, task states and the global pause, on every NOTIFY and at least every poll.
import type { Scheduler } from '../engine';
import type { PendingJob } from '../ports';
import type { Db } from './db';
import type { ClusterHistory } from './history';
import { jobFromRow, stateFromRow, type TaskRow } from './rows';
import { SCHEMA } from './schema';

export class Sync {
  /** The global pause as last read from the cluster's table. */
  pausedAll?: boolean;
  private lastChange = 0;
  private running?: Promise<void>;
  private again = false;

  constructor(private readonly db: Db, private readonly cluster: string, private readonly engine: Scheduler, private readonly history: ClusterHistory) {}

  /** Reads and applies; calls made while one runs are folded into one more. */
  run(): Promise<void> {
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.once();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async once(): Promise<void> {
    const { db, cluster, engine } = this;
    const [cl] = await db.query<{ paused_all: boolean }>(`SELECT paused_all FROM ${SCHEMA}.clusters WHERE name = $1`, [cluster]);
    const rows = await db.query<TaskRow>(`SELECT * FROM ${SCHEMA}.tasks WHERE cluster = $1 AND change > $2`, [cluster, this.lastChange]);
    const pending = await db.query<{ job: PendingJob; due_at: number }>(`SELECT job, due_at FROM ${SCHEMA}.pending WHERE cluster = $1`, [cluster]);
    for (const r of rows) this.lastChange = Math.max(this.lastChange, r.change);
    const states = rows.map(stateFromRow);
    this.history.know(states);
    engine.absorb({ pending: pending.map(jobFromRow), states });
    if (cl) this.pausedAll = cl.paused_all;
    if (cl && cl.paused_all !== engine.pausedAll) {
      if (cl.paused_all) engine.pauseAll(); else engine.resumeAll();
    }
  }
}
