import type { Command } from '../table';
import { flag, type Args } from '../args';
import { planFor, workspaceOf } from '../workspace';
import { formatInstant, parseSchedules, type Schedule } from '../../core/schedule';

const DEFAULT_COUNT = 5;

export const nextCommand: Command = {
  usage: 'next <task-or-schedule> [--count N] [--from ISO] [--tz ZONE]',
  summary: 'Show the next runs of a task or of any schedule (a simulation, e.g. across DST)',
  async run(args: Args, io) {
    const what = args.positionals.join(' ').trim();
    if (!what) { io.err('next: name a task id or a schedule, e.g. next "daily at 09:30" --tz Europe/Berlin\n'); return 2; }
    const count = Number(flag(args, 'count') ?? DEFAULT_COUNT);
    if (!Number.isInteger(count) || count < 1 || count > 1000) { io.err('next: --count must be a whole number from 1 to 1000\n'); return 2; }
    const fromText = flag(args, 'from');
    const from = fromText === undefined ? Date.now() : Date.parse(fromText);
    if (Number.isNaN(from)) { io.err(`next: --from must be an ISO date/time like 2026-03-08T00:00:00Z, got "${fromText}"\n`); return 2; }
    const tz = flag(args, 'tz');

    let schedule: Schedule | undefined;
    let label = what;
    const looksLikeTaskId = /^[\w.-]+(\/[\w.-]+)*$/.test(what) && !/^\d/.test(what);
    if (looksLikeTaskId && flag(args, 'workspace') !== undefined || looksLikeTaskId && !/\s/.test(what) && what.includes('/')) {
      const plan = await planFor(workspaceOf(args));
      const task = plan.tasks.find((t) => t.spec.id === what);
      if (task) {
        schedule = tz ? parseSchedules(task.spec.schedule, { timezone: tz }).schedule : task.schedule;
        label = `${task.spec.id} (${task.spec.name})`;
        if (!schedule) { io.out(`${label}: manual, no scheduled runs\n`); return 0; }
      }
    }
    if (!schedule) {
      const parsed = parseSchedules([what], { timezone: tz });
      if (!parsed.schedule) {
        const e = parsed.errors[0];
        io.err(`next: "${what}" is neither a task id nor a valid schedule: ${e.message}\n  ${what}\n  ${' '.repeat(e.offset)}${'^'.repeat(Math.max(1, e.length))}\n`);
        return 1;
      }
      schedule = parsed.schedule;
    }
    io.out(`${label}: ${schedule.describe()}\n`);
    const zone = tz ?? schedule.timezone;
    for (const t of schedule.nextRuns(from, count)) io.out(`  ${formatInstant(t, zone)}\n`);
    return 0;
  },
};
