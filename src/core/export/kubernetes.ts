// A task as a Kubernetes CronJob (batch/v1) per cron expression: `timeZone`, `concurrencyPolicy` from
// `overlap`, `startingDeadlineSeconds` from `catchUp`/`catchUpWindow`, a Pod deadline from `timeout`,
// `backoffLimit` from `retries.max`, history limits from the config; the container runs
// `task-scheduler run-now <task>` in the image given, on the workspace at `containerWorkspace`.
import * as crypto from 'crypto';
import { stringify } from 'yaml';
import { formatDuration } from '../duration';
import type { OverlapPolicy } from '../model';
import { standardCron } from './cronText';
import { BACKSTOP_S } from './systemd';
import { commonNotes, scheduleParts, slug, zoneOf } from './task';
import type { ExportFile, ExportInput, ExportTask, Translation } from './types';

/** Job names get an 11-character suffix, and a Job's name is at most 63: a CronJob's at most 52. */
const MAX_NAME = 52;
/**
 * `catchUp: skip` still needs a deadline: the controller checks every 10 s and a busy one is later; a
 * run more than this late is counted as missed.
 */
export const SKIP_DEADLINE_S = 60;
/** Finished Jobs (and their Pods) kept when the config keeps every run (`history.maxRunsPerTask: 0`). */
export const KEEP_ALL_JOBS = 100;

const POLICY: Record<OverlapPolicy, 'Forbid' | 'Allow' | 'Replace'> = { skip: 'Forbid', queue: 'Forbid', allow: 'Allow', replace: 'Replace' };

/** A DNS-1123 name from a task id, shortened with a hash when too long. */
export function cronJobName(id: string, suffix = ''): string {
  let name = slug(id, /[a-z0-9-]/, true);
  if (name.length + suffix.length > MAX_NAME) {
    const hash = crypto.createHash('sha256').update(id).digest('hex').slice(0, 8);
    name = `${name.slice(0, MAX_NAME - suffix.length - 9).replace(/-+$/, '')}-${hash}`;
  }
  return `${name}${suffix}`;
}

export function cronJobs(task: ExportTask, input: ExportInput): Translation {
  const { spec } = task;
  const notes = commonNotes(task, input);
  const schedules: Array<{ cron: string; source: string }> = [];
  const refusals: string[] = [];
  const parts = scheduleParts(task.schedule!);
  for (const part of parts) {
    if (part.kind === 'once') { refusals.push(`schedule "${part.source}": a one-time run has no CronJob form; create a Job when it is due`); continue; }
    if (part.kind === 'now') { notes.push(`"now" (run once when loaded) has no CronJob form: create a Job that runs \`task-scheduler run-now ${spec.id}\``); continue; }
    if (part.kind !== 'cron') continue;
    const cron = standardCron(part.cron!);
    if ('reason' in cron) { refusals.push(`schedule "${part.source}": ${cron.reason}`); continue; }
    if (cron.seconds.length > 1 || cron.seconds[0] !== 0) {
      refusals.push(`schedule "${part.source}": it fires at second ${cron.seconds.join(', ')}; a CronJob fires at minute precision`);
      continue;
    }
    schedules.push({ cron: cron.fields, source: part.source });
  }
  if (refusals.length) return { ok: false, reasons: refusals };
  if (!schedules.length) return { ok: false, reasons: ['no part of its schedule has a CronJob form', ...notes] };
  if (schedules.length > 1) notes.push(`a list of ${schedules.length} schedules: a CronJob has one, so it is split into ${schedules.length} CronJobs, and concurrencyPolicy holds within each, not across them`);
  if (spec.overlap === 'queue') notes.push('overlap: queue is kept as "skip" (Forbid): Kubernetes does not queue a run');
  if (spec.catchUp === 'all') notes.push('catchUp: all is kept as "latest": Kubernetes starts only the most recent missed run');
  if (spec.retries.max > 0) {
    notes.push(`retries: Kubernetes waits 10 s, 20 s, 40 s … (at most 6 min) between attempts, its own exponential back-off, not the task's ${spec.retries.backoff} ${formatDuration(spec.retries.delay)}${spec.retries.jitter ? ' with jitter' : ''}`);
  }
  if (input.maxRunsPerTask === 0) notes.push(`history.maxRunsPerTask 0 (keep every run): Kubernetes keeps the last ${KEEP_ALL_JOBS} finished Jobs`);
  const keep = input.maxRunsPerTask || KEEP_ALL_JOBS;
  const workspace = input.containerWorkspace ?? '/workspace';
  const deadline = spec.catchUp === 'skip' ? SKIP_DEADLINE_S : Math.max(SKIP_DEADLINE_S, Math.round(spec.catchUpWindow / 1000));

  const files: ExportFile[] = [];
  const outputs: string[] = [];
  schedules.forEach((s, i) => {
    const name = cronJobName(spec.id, schedules.length > 1 ? `-${i + 1}` : '');
    const job = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: {
        name,
        namespace: input.namespace ?? 'default',
        labels: { 'app.kubernetes.io/name': 'task-scheduler', 'app.kubernetes.io/managed-by': 'task-scheduler-export' },
        annotations: { 'task-scheduler/task': spec.id, 'task-scheduler/schedule': s.source },
      },
      spec: {
        schedule: s.cron,
        timeZone: zoneOf(task, input),
        concurrencyPolicy: POLICY[spec.overlap],
        startingDeadlineSeconds: deadline,
        successfulJobsHistoryLimit: keep,
        failedJobsHistoryLimit: keep,
        jobTemplate: {
          spec: {
            backoffLimit: spec.retries.max,
            template: {
              metadata: { labels: { 'app.kubernetes.io/name': 'task-scheduler' } },
              spec: {
                restartPolicy: 'Never',
                // Per attempt (the Pod), so a retry gets the task's whole timeout again.
                activeDeadlineSeconds: Math.ceil(spec.timeout / 1000) + BACKSTOP_S,
                containers: [{
                  name: 'task',
                  image: input.image!,
                  workingDir: workspace,
                  command: [...input.command, 'run-now', spec.id, '--workspace', workspace],
                }],
              },
            },
          },
        },
      },
    };
    const header = [
      `# Generated by \`task-scheduler export kubernetes\` from ${input.folder}`,
      `# Task ${spec.id} (${spec.name}): ${task.schedule!.describe()}`,
      ...notes.map((n) => `# Note: ${n}`),
    ].map((l) => l.replace(/\s*\n\s*/g, ' ')).join('\n');
    files.push({ name: `${name}.yaml`, text: `${header}\n${stringify(job, { lineWidth: 0 })}` });
    outputs.push(name);
  });
  return { ok: true, files, outputs, notes };
}
