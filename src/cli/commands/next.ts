import type { Command } from '../table';
import { flag, has, type Args } from '../args';
import { planFor, workspaceOf } from '../workspace';
import { formatInstant, parseSchedules, type Schedule } from '../../core/schedule';

const DEFAULT_COUNT = 5;

export const nextCommand: Command = {
  usage: 'next <task-or-schedule> [--count N] [--from ISO] [--tz ZONE] [--json]',
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

    const json = has(args, 'json');
    let schedule: Schedule | undefined;
    let task: string | undefined;
    let label = what;
    const looksLikeTaskId = /^[\w.-]+(\/[\w.-]+)*$/.test(what) && !/^\d/.test(what);
    if (looksLikeTaskId && flag(args, 'workspace') !== undefined || looksLikeTaskId && !/\s/.test(what) && what.includes('/')) {
      const plan = await planFor(workspaceOf(args));
      const found = plan.tasks.find((t) => t.spec.id === what);
      if (found) {
        task = found.spec.id;
        schedule = tz ? parseSchedules(found.spec.schedule, { timezone: tz }).schedule : found.schedule;
        label = `${found.spec.id} (${found.spec.name})`;
        if (!schedule) {
          if (json) io.out(`${JSON.stringify({ task, schedule: 'manual', description: 'Manual: runs only when started or triggered by a dependency', timezone: tz ?? found.spec.timezone, nextRuns: [] }, null, 2)}\n`);
          else io.out(`${label}: manual, no scheduled runs\n`);
          return 0;
        }
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
    const zone = tz ?? schedule.timezone;
    const runs = schedule.nextRuns(from, count);
    if (json) {
      const out = { ...(task ? { task } : {}), schedule: schedule.source, description: schedule.describe(), timezone: zone, nextRuns: runs.map((t) => new Date(t).toISOString()) };
      io.out(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    io.out(`${label}: ${schedule.describe()}\n`);
    for (const t of runs) io.out(`  ${formatInstant(t, zone)}\n`);
    return 0;
  },
};
