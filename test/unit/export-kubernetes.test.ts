// `export kubernetes`: each CronJob validates against the Kubernetes schema (kubernetes-models), maps
// the task's options onto its fields, and its schedule (read as the CronJob controller reads five
// fields) fires at the task's next runs; what a CronJob cannot say is refused or split, with the reason.
import * as assert from 'assert';
import { parseAllDocuments } from 'yaml';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { exportTasks } from '../../src/core/export';
import { cronJobName } from '../../src/core/export/kubernetes';
import { exportInput, jobsYaml, tasksFromYaml } from './helpers/exportTasks';
import { vixieNext } from './helpers/vixieCron';

interface Job {
  metadata: { name: string; namespace: string; annotations: Record<string, string> };
  spec: {
    schedule: string; timeZone: string; concurrencyPolicy: string; startingDeadlineSeconds: number;
    successfulJobsHistoryLimit: number; failedJobsHistoryLimit: number;
    jobTemplate: { spec: { backoffLimit: number; template: { spec: { activeDeadlineSeconds: number; containers: Array<{ image: string; command: string[]; workingDir: string }> } } } };
  };
}

function jobs(text: string): Job[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Job);
}

describe('export kubernetes', () => {
  const yamlText = `timezone: Europe/Berlin
history: { maxRunsPerTask: 20 }
jobs:
  nightly:  { command: "true", schedule: "daily at 02:00", timeout: 10m, retries: { max: 3, backoff: exponential, delay: 30s }, overlap: skip, catchUp: latest, catchUpWindow: 2h }
  ticker:   { command: "true", schedule: "every 5 minutes", overlap: allow, catchUp: skip, timezone: UTC }
  replacer: { command: "true", schedule: "hourly at :15", overlap: replace, catchUp: all }
  queued:   { command: "true", schedule: "weekdays at 09:00", overlap: queue, priority: critical }
  twice:    { command: "true", schedule: ["daily at 08:00", "weekly on friday at 17:30"] }
`;

  it('writes CronJobs that validate against the Kubernetes schema, with the task mapped onto them', () => {
    const { folder, tasks } = tasksFromYaml(yamlText);
    const result = exportTasks('kubernetes', exportInput(folder, tasks, { command: ['task-scheduler'], maxRunsPerTask: 20, image: 'registry.example/tasks:1', namespace: 'ops', containerWorkspace: '/srv/ws' }));
    assert.deepStrictEqual(result.tasks.map((t) => t.status), ['exported', 'exported', 'exported', 'exported', 'exported']);
    const all = result.files.flatMap((f) => jobs(f.text));
    assert.strictEqual(all.length, 6, 'one CronJob per task, two for the list');
    for (const job of all) new CronJob(job as never).validate(); // throws with the path of what is wrong
    const by = Object.fromEntries(all.map((j) => [j.metadata.name, j]));
    const nightly = by.nightly.spec;
    assert.strictEqual(nightly.schedule, '0 2 * * *');
    assert.strictEqual(nightly.timeZone, 'Europe/Berlin');
    assert.strictEqual(nightly.concurrencyPolicy, 'Forbid');
    assert.strictEqual(nightly.startingDeadlineSeconds, 7200);
    assert.strictEqual(nightly.successfulJobsHistoryLimit, 20);
    assert.strictEqual(nightly.failedJobsHistoryLimit, 20);
    assert.strictEqual(nightly.jobTemplate.spec.backoffLimit, 3);
    assert.strictEqual(nightly.jobTemplate.spec.template.spec.activeDeadlineSeconds, 660);
    assert.deepStrictEqual(nightly.jobTemplate.spec.template.spec.containers[0].command, ['task-scheduler', 'run-now', 'nightly', '--workspace', '/srv/ws']);
    assert.strictEqual(nightly.jobTemplate.spec.template.spec.containers[0].image, 'registry.example/tasks:1');
    assert.strictEqual(by.nightly.metadata.namespace, 'ops');
    assert.match(result.tasks[0].reasons.join('\n'), /Kubernetes waits 10 s, 20 s, 40 s .* not the task's exponential 30s/);
    assert.strictEqual(by.ticker.spec.concurrencyPolicy, 'Allow');
    assert.strictEqual(by.ticker.spec.startingDeadlineSeconds, 60);
    assert.strictEqual(by.ticker.spec.timeZone, 'UTC');
    assert.strictEqual(by.replacer.spec.concurrencyPolicy, 'Replace');
    assert.match(result.tasks[2].reasons.join('\n'), /catchUp: all is kept as "latest"/);
    assert.strictEqual(by.queued.spec.concurrencyPolicy, 'Forbid');
    assert.match(result.tasks[3].reasons.join('\n'), /overlap: queue is kept as "skip"/);
    assert.match(result.tasks[3].reasons.join('\n'), /priority critical is not kept/);
    assert.deepStrictEqual([by['twice-1'].spec.schedule, by['twice-2'].spec.schedule], ['0 8 * * *', '30 17 * * 5']);
    assert.match(result.tasks[4].reasons.join('\n'), /split into 2 CronJobs/);
    assert.strictEqual(result.hint, 'kubectl apply -f <dir>/');
  });

  it('a schedule the schema rejects is caught (the check can fail)', () => {
    const { folder, tasks } = tasksFromYaml(jobsYaml([{ schedule: 'daily' }]));
    const job = jobs(exportTasks('kubernetes', exportInput(folder, tasks)).files[0].text)[0];
    (job.spec as unknown as Record<string, unknown>).concurrencyPolicy = 'Skip';
    assert.throws(() => new CronJob(job as never).validate(), /concurrencyPolicy/);
  });

  it('each schedule, read as five cron fields in its timeZone, fires at the task\'s next runs', () => {
    const from = Date.parse('2026-06-10T10:17:23Z');
    for (const schedule of ['every 10 minutes', 'weekdays at 09:00', '0 0 */2 * 1', 'monthly on 15 at 12:00', 'quarterly', '0 12 13 * 5']) {
      const { folder, tasks } = tasksFromYaml(jobsYaml([{ schedule, timezone: 'America/New_York' }]));
      const job = jobs(exportTasks('kubernetes', exportInput(folder, tasks)).files[0].text)[0];
      assert.deepStrictEqual(vixieNext(job.spec.schedule, job.spec.timeZone, from, 6), tasks[0].schedule!.nextRuns(from, 6), schedule);
    }
  });

  it('refuses what a CronJob cannot say, with the reason, and needs an image', () => {
    const cases: Array<[string, RegExp]> = [
      ['every 30 seconds', /a CronJob fires at minute precision/],
      ['0 0 L * *', /\(L\) has no cron form/],
      ['0 9 * * 1#2', /\(#\) has no cron form/],
      ['once at 2030-01-01 09:00', /a one-time run has no CronJob form/],
    ];
    const { folder, tasks } = tasksFromYaml(jobsYaml(cases.map(([schedule]) => ({ schedule }))));
    const result = exportTasks('kubernetes', exportInput(folder, tasks));
    cases.forEach(([schedule, reason], i) => {
      assert.strictEqual(result.tasks[i].status, 'refused', schedule);
      assert.match(result.tasks[i].reasons.join('\n'), reason, schedule);
    });
    assert.throws(() => exportTasks('kubernetes', exportInput(folder, tasks, { image: undefined })), /--image is required/);
  });

  it('names are DNS-1123 and at most 52 characters', () => {
    assert.strictEqual(cronJobName('tasks/Daily_Report'), 'tasks-daily-report');
    const long = cronJobName(`tasks/${'very-long-name-'.repeat(6)}`);
    assert.ok(long.length <= 52, long);
    assert.match(long, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    assert.notStrictEqual(long, cronJobName(`tasks/${'very-long-name-'.repeat(7)}`));
  });
});
