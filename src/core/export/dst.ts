// Where systemd's calendar and ours part ways: a wall time inside a spring-forward gap (systemd 252
// skips it; we run it when the gap ends) and an hourly schedule in a repeated autumn hour (systemd runs
// the wall time once; we run both passes). Found by looking at the zone's offset changes in the next
// two years and whether the rule has a slot inside one.
import { cronFields, type CronFields } from './cronFields';
import { nextTransition, offsetAt } from '../schedule/zone';

const DAY = 86_400_000;
const HORIZON = 2 * 366 * DAY;

/** Could the rule fire on the wall date `wall` (day fields, ignoring the finer points of L, W and #)? */
function onDay(f: CronFields, wall: number): boolean {
  const d = new Date(wall);
  if (!f.months.includes(d.getUTCMonth() + 1)) return false;
  const dom = f.days.star || f.days.values.includes(d.getUTCDate()) || f.days.last || f.days.nearestWeekday !== undefined;
  const dow = f.weekdays.star || f.weekdays.values.includes(d.getUTCDay()) || f.weekdays.nth.some((n) => n.weekday === d.getUTCDay());
  if (f.days.star) return dow;
  if (f.weekdays.star) return dom;
  return f.and ? dom && dow : dom || dow;
}

/** Has the rule a second of the day in [fromWall, toWall)? */
function slotIn(f: CronFields, fromWall: number, toWall: number): boolean {
  for (let t = fromWall - (fromWall % 1000); t < toWall; t += 1000) {
    const d = new Date(t);
    if (f.hours.includes(d.getUTCHours()) && f.minutes.includes(d.getUTCMinutes()) && f.seconds.includes(d.getUTCSeconds()) && onDay(f, t)) return true;
  }
  return false;
}

const date = (t: number) => new Date(t).toISOString().slice(0, 10);

export function systemdDstNotes(expression: string, zone: string, from: number): string[] {
  const f = cronFields(expression);
  const notes: string[] = [];
  let gap = false;
  let repeat = false;
  for (let t = nextTransition(zone, from, from + HORIZON); t !== undefined; t = nextTransition(zone, t, from + HORIZON)) {
    const before = offsetAt(zone, t - 1);
    const after = offsetAt(zone, t);
    if (!gap && after > before && slotIn(f, t + before, t + after)) {
      gap = true;
      notes.push(`DST: in the spring-forward gap (${date(t + after)}) systemd skips a time that does not exist; Task Scheduler runs it when the gap ends`);
    }
    if (!repeat && after < before && f.hours.length === 24 && slotIn(f, t + after, t + before)) {
      repeat = true;
      notes.push(`DST: in the repeated autumn hour (${date(t + after)}) systemd runs each wall time once; Task Scheduler runs an hourly schedule in both passes`);
    }
  }
  return notes;
}
