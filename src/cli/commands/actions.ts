// Commands that act on the workspace: done by this process when nothing else executes the
// workspace's tasks, else handed to the process that does.
import type { Command, Io } from '../table';
import { flag, has, type Args } from '../args';
import { cliService, describeEvent } from '../service';
import type { InboxAction } from '../../core/service/inbox';
import type { SchedulerService } from '../../core/service/api';
import type { RunRecord } from '../../core/ports';

async function withService<T>(args: Args, io: Io, fn: (service: SchedulerService) => Promise<T>): Promise<T> {
  const service = cliService(args, io, { warmSpare: false, oneShot: true });
  await service.start();
  try {
    return await fn(service);
  } finally {
    await service.stop();
  }
}

function parseParams(args: Args): Record<string, unknown> | undefined {
  const text = flag(args, 'params');
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`--params must be a JSON object, e.g. '{"days": 7}': ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('--params must be a JSON object, e.g. \'{"days": 7}\'');
  return value as Record<string, unknown>;
}

export const runNowCommand: Command = {
  usage: 'run-now <task> [--params JSON]',
  summary: 'Run a task now and wait for its result (exit 1 unless it succeeded)',
  async run(args, io) {
    const taskId = args.positionals[0];
    if (!taskId) { io.err('run-now: name a task id (see `task-scheduler list`)\n'); return 2; }
    const params = parseParams(args);
    return withService(args, io, async (service) => {
      if (!service.plan?.tasks.some((t) => t.spec.id === taskId)) {
        const invalid = service.plan?.invalid.find((t) => t.id === taskId);
        io.err(invalid ? `run-now: ${taskId} is invalid: ${invalid.reason}\n` : `run-now: no task "${taskId}" (see \`task-scheduler list\`)\n`);
        return 1;
      }
      if (service.role !== 'executor') {
        await service.act({ action: 'runNow', taskId, params });
        io.out(`handed to ${service.holder?.label ?? 'the executor'}; see \`task-scheduler history ${taskId}\`\n`);
        return 0;
      }
      const finished = new Map<string, RunRecord>();
      service.onEvent((e) => {
        if (e.type === 'run-output') io.out(`${describeEvent(e, service.folder)}\n`);
        if (e.type !== 'run-finished') return;
        finished.set(e.run.id, e.run);
        io.out(`${describeEvent(e, service.folder)}\n`);
        if (e.run.result !== undefined) io.out(`    result: ${JSON.stringify(e.run.result)}\n`);
      });
      const runId = String(await service.act({ action: 'runNow', taskId, params }));
      // The run, then its dependents (Run Now of a root runs the chain): wait until nothing is left.
      await untilQuiet(service, () => finished.has(runId));
      return finished.get(runId)?.status === 'succeeded' ? 0 : 1;
    });
  },
};

/** How often run-now looks whether the chain it started has ended. */
const QUIET_POLL_MS = 100;

async function untilQuiet(service: SchedulerService, started: () => boolean): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, QUIET_POLL_MS));
    if (!started()) continue;
    const busy = (await service.tasks()).some((t) => t.running.length > 0 || t.queued > 0);
    if (!busy) return;
  }
}

function simpleAction(usage: string, summary: string, make: (args: Args) => InboxAction | string): Command {
  return {
    usage,
    summary,
    async run(args, io) {
      const action = make(args);
      if (typeof action === 'string') { io.err(`${action}\n`); return 2; }
      return withService(args, io, async (service) => {
        await service.act(action);
        io.out(`${summary.split(' ')[0].toLowerCase()}: done${service.role === 'executor' ? '' : ` by ${service.holder?.label}`}\n`);
        return 0;
      });
    },
  };
}

export const pauseCommand = simpleAction('pause <task> | --all', 'Pause a task, or all tasks', (a) =>
  has(a, 'all') ? { action: 'pauseAll' } : a.positionals[0] ? { action: 'pause', taskId: a.positionals[0] } : 'pause: name a task id, or --all');
export const cancelCommand = simpleAction('cancel <run-id | task>', 'Cancel a run, or every queued and running run of a task', (a) =>
  a.positionals[0] ? { action: 'cancel', id: a.positionals[0] } : 'cancel: name a run id or a task id');
export const resetRetriesCommand = simpleAction('reset-retries <task>', 'Clear a task\'s retry count, failed state and pending retries', (a) =>
  a.positionals[0] ? { action: 'resetRetries', taskId: a.positionals[0] } : 'reset-retries: name a task id');
export const resumeCommand = simpleAction('resume <task> | --all', 'Resume a task, or all tasks', (a) =>
  has(a, 'all') ? { action: 'resumeAll' } : a.positionals[0] ? { action: 'resume', taskId: a.positionals[0] } : 'resume: name a task id, or --all');
