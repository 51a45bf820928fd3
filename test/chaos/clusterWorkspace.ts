// The workspace the cluster chaos check runs on three members: 24 tasks, 15 of them every second, with
// every overlap policy, retries, a timeout, a dependency, and long runs with retries (the ones a member's
// death interrupts, whose retry is timed). TypeScript tasks append each execution to a ledger file, so a
// slot executed twice shows even if the database said otherwise.

/** Every-second tasks that always succeed at once: where the next slot after a death is looked for. */
export const TICKS = Array.from({ length: 10 }, (_, i) => `tick-${String(i + 1).padStart(2, '0')}`);
/** Every-second TypeScript tasks that write the ledger. */
export const LEDGER_TASKS = ['ledger-a', 'ledger-b'];
/** 12-second runs twice a minute each, staggered: most of the time one runs on any member. */
export const LONG_TASKS = ['long-1', 'long-2', 'long-3', 'long-4'];
const LONG_SECONDS = [[0, 30], [8, 38], [15, 45], [23, 53]];
export const LONG_RUN_MS = 12_000;
/**
 * A retry 1 s after the reaper interrupts the run: the next slot of the task (30 s after the last) is
 * never due before the retry starts, so no scheduled success can make the retry unnecessary.
 */
const LONG_RETRIES = '{ max: 20, backoff: "fixed", delay: "1s", jitter: false }';
/** Tasks whose interrupted runs must be retried (the others' retries may be dropped by a later success, as the policy says). */
export const MUST_RETRY = new Set(LONG_TASKS);

export const LEDGER_FILE = 'ledger.jsonl';

export interface LedgerLine { task: string; slot: number | null; trigger: string; attempt: number; pid: number }

function ledgerTask(ledger: string, schedule: string, extra = '', body = ''): string {
  return [
    "import * as fs from 'fs';",
    'export default {',
    `  schedule: ${JSON.stringify(schedule)},`,
    extra,
    '  async run(ctx: { taskId: string; scheduledFor?: Date; trigger: string; attempt: number; signal: AbortSignal }) {',
    `    fs.appendFileSync(${JSON.stringify(ledger)}, JSON.stringify({ task: ctx.taskId, slot: ctx.scheduledFor ? ctx.scheduledFor.getTime() : null, trigger: ctx.trigger, attempt: ctx.attempt, pid: process.pid }) + '\\n');`,
    body,
    '  },',
    '};',
    '',
  ].filter((l) => l !== '').join('\n');
}

/** The files (relative path → text); `STORE` is replaced by the store line (test/unit/helpers/clusterMembers.ts). */
export function clusterFiles(ledger: string): Record<string, string> {
  const files: Record<string, string> = {
    '.scheduler.yaml': [
      'concurrency: 40',
      'timezone: UTC',
      // Nothing may be deleted by retention while the check reads the whole history.
      'history: { retentionDays: 0, maxRunsPerTask: 0 }',
      'STORE',
      'jobs:',
      ...TICKS.map((t) => `  ${t}: { command: "true", schedule: "every second" }`),
      '  skip-1s: { command: "sleep 1.4", schedule: "every second", overlap: skip }',
      '  queue-1s: { command: "sleep 1.2", schedule: "every second", overlap: queue }',
      '  allow-1s: { command: "sleep 1.5", schedule: "every second", overlap: allow }',
      '  replace-2s: { command: "sleep 3", schedule: "every 2 seconds", overlap: replace }',
      // Fails about one time in three (dash has no $RANDOM); retried after a second.
      '  flaky-2s: { command: "test $(od -An -N1 -tu1 /dev/urandom) -gt 85", schedule: "every 2 seconds", retries: { max: 3, backoff: fixed, delay: 1s, jitter: false } }',
      '  timeout-5s: { command: "sleep 3", schedule: "every 5 seconds", timeout: 1s }',
      '  parent-5s: { command: "echo parent", schedule: "every 5 seconds" }',
      '  child: { command: "echo child", schedule: manual, dependsOn: [{ task: parent-5s, on: success }] }',
      '',
    ].join('\n'),
  };
  for (const t of LEDGER_TASKS) files[`${t}.task.ts`] = ledgerTask(ledger, 'every second');
  LONG_TASKS.forEach((t, i) => {
    files[`${t}.task.ts`] = ledgerTask(ledger, `${LONG_SECONDS[i].join(',')} * * * * *`, `  retries: ${LONG_RETRIES},\n  timeout: "1m",`,
      `    await new Promise((resolve) => { const t = setTimeout(resolve, ${LONG_RUN_MS}); ctx.signal.addEventListener('abort', () => { clearTimeout(t); resolve(undefined); }); });`);
  });
  return files;
}

/** Task ids, for the count in the figure line. */
export const TASK_COUNT = TICKS.length + 8 + LEDGER_TASKS.length + LONG_TASKS.length;
