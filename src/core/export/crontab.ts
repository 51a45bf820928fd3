// A task as crontab lines: `CRON_TZ=<zone>`, a comment with its schedule in words, then one line per
// cron expression (and per second of the minute, which cron lacks: `sleep N` first), each running
// `task-scheduler run-now` from the workspace, under `flock` when the task must not overlap itself.
import * as crypto from 'crypto';
import { formatDuration } from '../duration';
import { standardCron } from './cronText';
import { commonNotes, runArgv, scheduleParts, zoneOf } from './task';
import type { ExportInput, ExportTask, Translation } from './types';

/** "every 5 seconds" is 12 lines a minute; more than that is not a crontab any person would keep. */
export const MAX_SECOND_LINES = 12;

/** A word for sh: bare when safe, else single-quoted. cron turns `%` into a newline unless escaped. */
export function shWord(word: string): string {
  const quoted = /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  return quoted.replace(/%/g, '\\%');
}

/** The lock file of a task: one per workspace and task, in /tmp (flock creates it). */
export function lockFile(folder: string, taskId: string): string {
  const hash = crypto.createHash('sha256').update(`${folder}\0${taskId}`).digest('hex').slice(0, 12);
  return `/tmp/task-scheduler-${hash}.lock`;
}

export function crontabLines(task: ExportTask, input: ExportInput): Translation {
  const { spec } = task;
  const notes = commonNotes(task, input);
  const entries: Array<{ fields: string; seconds: number[]; source: string }> = [];
  const refusals: string[] = [];
  const parts = scheduleParts(task.schedule!);
  for (const part of parts) {
    if (part.kind === 'once') { refusals.push(`schedule "${part.source}": a one-time run has no crontab form (cron has no year); use at(1)`); continue; }
    if (part.kind === 'now') { notes.push(`"now" (run once when loaded) has no crontab form: run \`task-scheduler run-now ${spec.id}\` once`); continue; }
    if (part.kind !== 'cron') continue;
    const cron = standardCron(part.cron!);
    if ('reason' in cron) { refusals.push(`schedule "${part.source}": ${cron.reason}`); continue; }
    if (cron.seconds.length > MAX_SECOND_LINES) {
      refusals.push(`schedule "${part.source}": it fires ${cron.seconds.length} times a minute; cron fires at most once a minute and would need ${cron.seconds.length} lines (at most ${MAX_SECOND_LINES} are written)`);
      continue;
    }
    entries.push({ ...cron, source: part.source });
  }
  if (refusals.length) return { ok: false, reasons: refusals };
  if (!entries.length) return { ok: false, reasons: ['no part of its schedule has a crontab form', ...notes] };
  if (parts.length > 1) notes.push(`a list of ${parts.length} schedules: one line for each`);
  for (const e of entries) {
    if (e.seconds.length > 1 || e.seconds[0] !== 0) {
      notes.push(`schedule "${e.source}" fires at second${e.seconds.length > 1 ? 's' : ''} ${e.seconds.join(', ')}: cron has no seconds, so ${e.seconds.length > 1 ? `it is split into ${e.seconds.length} lines, each` : 'its line'} waiting with sleep (a few seconds late at most)`);
    }
  }
  if (spec.overlap === 'queue') notes.push('overlap: queue waits with flock: every run due meanwhile waits its turn (Task Scheduler keeps at most one waiting)');
  if (spec.overlap === 'replace') notes.push('overlap: replace is kept as "skip": flock cannot stop the running one');
  if (spec.overlap === 'allow') notes.push('overlap: allow: no lock, runs may overlap');
  if (spec.catchUp !== 'skip') notes.push(`catchUp: ${spec.catchUp} is not kept: cron does not run slots missed while the machine was off or asleep`);
  if (spec.retries.max > 0) notes.push(`retries (${spec.retries.max}, ${spec.retries.backoff} ${formatDuration(spec.retries.delay)}) are not carried out: run-now makes one attempt and cron does not repeat a failed run (the failure is in the history)`);

  const lock = spec.overlap === 'allow' ? [] : ['flock', ...(spec.overlap === 'queue' ? [] : ['-n']), lockFile(input.folder, spec.id)];
  const run = [...lock, ...runArgv(input, spec.id)].map(shWord).join(' ');
  const oneLine = (s: string) => s.replace(/\s+/g, ' ');
  const lines = [
    `# ${oneLine(spec.id)} (${oneLine(spec.name)}): ${oneLine(task.schedule!.describe())}`,
    ...notes.map((n) => `#   note: ${oneLine(n)}`),
    `CRON_TZ=${zoneOf(task, input)}`,
  ];
  const outputs: string[] = [];
  for (const e of entries) {
    for (const second of e.seconds) {
      const line = `${e.fields} cd ${shWord(input.folder)} && ${second ? `sleep ${second} && ` : ''}${run}`;
      lines.push(line);
      outputs.push(line);
    }
  }
  return { ok: true, files: [{ name: 'task-scheduler.crontab', text: `${lines.join('\n')}\n` }], outputs, notes };
}
