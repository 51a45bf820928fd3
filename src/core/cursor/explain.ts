// Why a run is where it is: which schedule of the task produced it, which field of its cron matched
// which part of the clock and calendar, whether a DST change moved it, its neighbours, and who else is
// due in the same second. Shown when a run is clicked in Preview Schedules.
import { cronMatcher } from '../schedule/matcher';
import { CronSchedule, OnceSchedule, UnionSchedule, type Schedule } from '../schedule/schedule';
import { MONTH_NAMES, DAY_NAMES } from '../schedule/time-text';
import { wallOf } from '../schedule/zone';
import { dstEffects } from './dst';
import type { PreviewTask } from './preview';
import { clockText, dateText, whenText } from './timeText';

export interface RunExplanation {
  title: string;
  lines: string[];
}

export function explainRun(task: PreviewTask, at: number, zone: string, alsoDue: readonly string[] = []): RunExplanation | { error: string } {
  const schedule = task.schedule;
  if (schedule.next(at - 1) !== at) return { error: `${task.name} has no run at ${whenText(at, zone)}` };
  const parts: readonly Schedule[] = schedule instanceof UnionSchedule ? schedule.parts : [schedule];
  const part = parts.find((p) => p.next(at - 1) === at)!;
  const ownZone = (part as CronSchedule | OnceSchedule).zone ?? zone;
  const iso = new Date(at).toISOString().replace('.000Z', 'Z');
  const title = `${task.name}: ${whenText(at, zone)}${ownZone !== zone ? ` (${whenText(at, ownZone)})` : ''} · ${iso}`;
  const lines: string[] = [];
  const which = parts.length > 1 ? ` (schedule ${parts.indexOf(part) + 1} of ${parts.length}; the task runs at each)` : '';
  lines.push(`Schedule: "${part.source}" — ${part.describe()}${which}.`);
  const effect = dstEffects(part, at - 2 * 86_400_000, at + 86_400_000).find((e) => e.firesAt === at);
  const wall = effect ? effect.wall : wallOf(ownZone, at);
  if (part instanceof CronSchedule) {
    if (part.description !== undefined) lines.push(`It is cron "${part.rule.expression}".`);
    lines.push(`Matches ${fieldMatches(part, wall)}.`);
  } else if (part instanceof OnceSchedule) {
    lines.push('A one-time run.');
  }
  if (effect?.kind === 'gap') {
    lines.push(`DST: ${clockText(effect.wall)} does not exist on ${dateText(effect.change.wallBefore)} in ${ownZone} (clocks jump ${clockText(effect.change.wallBefore)} → ${clockText(effect.change.wallAfter)}): `
      + `this is the ${clockText(effect.wall)} run, at the end of the gap.`);
  } else if (effect?.kind === 'repeat') {
    lines.push(`DST: ${clockText(effect.wall)} happens twice on ${dateText(effect.change.wallBefore)} in ${ownZone} (clocks go back ${clockText(effect.change.wallBefore)} → ${clockText(effect.change.wallAfter)}): it runs once, the first time — this one.`);
  }
  const previous = schedule.previous(at);
  const next = schedule.next(at);
  lines.push(`Previous run: ${previous === undefined ? 'none' : whenText(previous, zone)} · next run: ${next === undefined ? 'none' : whenText(next, zone)}.`);
  const others = alsoDue.filter((id) => id !== task.id);
  if (others.length) lines.push(`Also due in this second: ${others.join(', ')}${others.length + 1 >= 5 ? ' (a herd: they start together and wait for each other)' : ''}.`);
  return { title, lines };
}

/** "minute 30 (field "30"), hour 2 (field "2"), Sunday 28 March (day of month "*", …)". */
function fieldMatches(part: CronSchedule, wall: number): string {
  const fields = part.rule.expression.split(' ');
  const layout = fields.length === 5 ? ['minute', 'hour', 'dom', 'month', 'dow'] : ['second', 'minute', 'hour', 'dom', 'month', 'dow', 'year'];
  const f = (name: string) => fields[layout.indexOf(name)];
  const d = new Date(wall);
  const out: string[] = [];
  if (layout.includes('second')) out.push(`second ${d.getUTCSeconds()} ("${f('second')}")`);
  out.push(`minute ${d.getUTCMinutes()} ("${f('minute')}")`, `hour ${d.getUTCHours()} ("${f('hour')}")`);
  const dayText = `${DAY_NAMES[d.getUTCDay()]} ${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]}`;
  let days = `day of month "${f('dom')}", month "${f('month')}", day of week "${f('dow')}"`;
  if (part.rule.bothDaysRestricted && part.rule.legacyMode) {
    // Which of the two OR'd day fields let this day through.
    const onlyDom = cronMatcher({ ...part.rule, croner: part.rule.croner.replace(/\S+$/, '*') });
    const byDom = onlyDom.matchesDay(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    days += byDom ? ': the day of month matches (cron runs when either day field does)' : ': the day of week matches (cron runs when either day field does)';
  }
  out.push(`${dayText} (${days})`);
  if (layout.includes('year')) out.push(`year ${d.getUTCFullYear()} ("${f('year')}")`);
  return out.join(', ');
}
