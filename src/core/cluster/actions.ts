// Actions between members and the CLI (README.md "Actions"). State actions are written to the tables
// directly, so they hold with no member running; the rest are rows addressed to one member (or to any),
// taken FOR UPDATE SKIP LOCKED, answered in the same row. A NOTIFY carries each at once; polling is the fallback.
import type { InboxAction } from '../service/inbox';
import type { Db } from './db';
import { SCHEMA } from './schema';

/** An action nobody took within this long is not acted on late (no member ran then). */
const ACTION_TTL_S = 60;
/** How long a sender waits for the answer, and how often it looks (a NOTIFY usually answers first). */
const ANSWER_TIMEOUT_MS = 10_000;
const ANSWER_POLL_MS = 50;
/** A sender that hears the members' `done` notice wakes on it; it looks this often only in case one is lost. */
const ANSWER_FALLBACK_MS = 1_000;

/** Written to the tables by whoever asks; every member picks them up (sync.ts). */
export async function applyStateAction(db: Db, cluster: string, a: InboxAction): Promise<boolean> {
  const touch = `change = nextval('${SCHEMA}.changes'), updated_at = $3`;
  const now = Date.now();
  switch (a.action) {
    case 'pause':
    case 'resume': {
      const paused = a.action === 'pause';
      const rows = await db.query(`UPDATE ${SCHEMA}.tasks SET paused = $4, paused_reason = $5, ${touch} WHERE cluster = $1 AND task_id = $2 RETURNING 1`,
        [cluster, a.taskId, now, paused, paused ? 'paused by the user' : null]);
      if (!rows.length) throw new Error(`no task "${a.taskId}" in cluster "${cluster}" (it has not run there yet)`);
      break;
    }
    case 'pauseAll':
    case 'resumeAll':
      await db.query(`UPDATE ${SCHEMA}.clusters SET paused_all = $2 WHERE name = $1`, [cluster, a.action === 'pauseAll']);
      break;
    case 'resetRetries':
      await db.tx(async (c) => {
        await c.query(`UPDATE ${SCHEMA}.tasks SET retry_count = 0, consecutive_failures = 0, ${touch} WHERE cluster = $1 AND task_id = $2`, [cluster, a.taskId, now]);
        await c.query(`DELETE FROM ${SCHEMA}.pending WHERE cluster = $1 AND task_id = $2 AND job->>'kind' = 'retry'`, [cluster, a.taskId]);
      });
      db.notify('pending');
      break;
    default:
      return false;
  }
  db.notify('state');
  return true;
}

export interface ActionRow { id: number; action: InboxAction }

/** Sends an action to `target` (a member id) or to any active member, and waits for its answer. */
export async function sendAction(db: Db, cluster: string, from: string, action: InboxAction, target?: string): Promise<unknown> {
  return (await sendActionFor(db, cluster, from, action, target)).result;
}

/** As sendAction, and which member took it (where a run now went). */
export async function sendActionFor(db: Db, cluster: string, from: string, action: InboxAction, target?: string): Promise<{ result: unknown; takenBy?: string }> {
  const [{ id }] = await db.query<{ id: number }>(`INSERT INTO ${SCHEMA}.actions (cluster, target, action, sender) VALUES ($1, $2, $3, $4) RETURNING id`,
    [cluster, target ?? null, JSON.stringify(action), from]);
  db.notify('action');
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  const poll = db.listening ? ANSWER_FALLBACK_MS : ANSWER_POLL_MS;
  // Heard at any time (even while looking): the next look comes at once.
  let heard = false;
  let wake: (() => void) | undefined;
  const off = db.onNotice((n) => { if (n === 'done') { heard = true; wake?.(); } });
  try {
    while (Date.now() < deadline) {
      if (!heard) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => { wake = undefined; resolve(); }, Math.min(poll, Math.max(0, deadline - Date.now())));
          wake = () => { clearTimeout(timer); wake = undefined; resolve(); };
        });
      }
      heard = false;
      const [row] = await db.query<{ done: boolean; ok: boolean | null; result: unknown; error: string | null; taken_by: string | null }>(
        `SELECT done_at IS NOT NULL AS done, ok, result, error, taken_by FROM ${SCHEMA}.actions WHERE id = $1`, [id]);
      if (row?.done) {
        if (!row.ok) throw new Error(row.error ?? 'the member refused the action');
        return { result: row.result ?? undefined, takenBy: row.taken_by ?? undefined };
      }
    }
  } finally {
    off();
  }
  await db.query(`UPDATE ${SCHEMA}.actions SET done_at = now(), ok = false, error = 'not answered in time' WHERE id = $1 AND taken_by IS NULL`, [id]).catch(() => undefined);
  throw new Error(`no member of cluster "${cluster}" answered within ${ANSWER_TIMEOUT_MS / 1000} s (is one running? see \`task-scheduler status\`)`);
}

/** Cancel: a run goes to the member running it; a task's queued copies and runs are on every member. Returns how many. */
export async function cancelInCluster(db: Db, cluster: string, from: string, id: string): Promise<number> {
  const [run] = await db.query<{ member: string; status: string }>(`SELECT member, status FROM ${SCHEMA}.runs WHERE cluster = $1 AND id = $2`, [cluster, id]);
  if (run) return run.status === 'running' ? Number(await sendAction(db, cluster, from, { action: 'cancel', id }, run.member)) : 0;
  const members = await db.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.members WHERE cluster = $1 AND standby IS NULL`, [cluster]);
  const counts = await Promise.all(members.map((m) => sendAction(db, cluster, from, { action: 'cancel', id }, m.id).catch(() => 0)));
  return counts.reduce((n: number, c) => n + Number(c ?? 0), 0);
}

/** A member takes the actions addressed to it (or to anyone), acts, and answers each. */
export async function takeActions(db: Db, cluster: string, member: string, act: (a: InboxAction) => unknown): Promise<number> {
  const taken = await db.query<ActionRow>(`UPDATE ${SCHEMA}.actions SET taken_by = $2 WHERE id IN (
      SELECT id FROM ${SCHEMA}.actions WHERE cluster = $1 AND done_at IS NULL AND taken_by IS NULL
        AND (target IS NULL OR target = $2) AND created_at > now() - make_interval(secs => $3)
      ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 20) RETURNING id, action`, [cluster, member, ACTION_TTL_S]);
  for (const row of taken.sort((a, b) => a.id - b.id)) {
    let ok = true;
    let result: unknown;
    let error: string | undefined;
    try {
      result = await act(row.action);
    } catch (e) {
      ok = false;
      error = (e as Error).message;
    }
    await db.query(`UPDATE ${SCHEMA}.actions SET done_at = now(), ok = $2, result = $3, error = $4 WHERE id = $1`,
      [row.id, ok, result === undefined ? null : JSON.stringify(result), error ?? null]);
  }
  if (taken.length) db.notify('done');
  return taken.length;
}

/** Answered actions are kept a day for whoever looks, then dropped. */
export async function pruneActions(db: Db, cluster: string): Promise<void> {
  await db.query(`DELETE FROM ${SCHEMA}.actions WHERE cluster = $1 AND created_at < now() - interval '1 day'`, [cluster]);
}
