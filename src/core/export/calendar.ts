// systemd calendar expressions (OnCalendar=, systemd.time(7)) for a cron rule: one line per shape of
// day the rule has, since one line ANDs its weekday with its date while cron ORs day-of-month with
// day-of-week. What systemd cannot say (W, years past 2199) is returned as a reason.
import { compress, cronFields, isAll, type CronFields, type Nth } from './cronFields';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** systemd's calendar stops at 2199. */
const LAST_YEAR = 2199;

const pad = (n: number) => String(n).padStart(2, '0');
const list = (values: number[], min: number, max: number) =>
  isAll(values, min, max) ? '*' : compress(values, max, (a, b) => `${pad(a)}..${pad(b)}`, (a, s) => `${pad(a)}/${s}`, pad);

interface DayLine { weekdays?: number[]; days: string }

function weekdayText(days: number[]): string {
  return compress(days, 6, (a, b) => `${WEEKDAYS[a]}..${WEEKDAYS[b]}`, undefined, (d) => WEEKDAYS[d]);
}

/** `5#2` → the 8th to the 14th; `5#L` → the last seven days (`~07/1`). */
function nthDays(n: Nth['n']): string {
  return n === 'L' ? '~07/1' : `${pad(7 * n - 6)}..${pad(7 * n)}`;
}

function dayLines(f: CronFields): DayLine[] | string {
  const { days, weekdays } = f;
  if (days.nearestWeekday !== undefined) {
    return `the nearest weekday (${days.nearestWeekday ? `${days.nearestWeekday}W` : 'LW'}) has no OnCalendar= form`;
  }
  const dateParts = days.star ? [] : [...(days.values.length ? [list(days.values, 1, 31)] : []), ...(days.last ? ['~01'] : [])];
  const plainWeekdays = weekdays.star || !weekdays.values.length ? undefined : weekdays.values;
  // All seven days named ("0-6"): any day, but still a restriction for cron's OR.
  const anyWeekday = plainWeekdays?.length === 7;
  const weekdayLines: DayLine[] = [
    ...(plainWeekdays ? [{ weekdays: anyWeekday ? undefined : plainWeekdays, days: '*' }] : []),
    ...weekdays.nth.map((n) => ({ weekdays: [n.weekday], days: nthDays(n.n) })),
  ];
  if (days.star && weekdays.star) return [{ days: '*' }];
  if (weekdays.star) return dateParts.map((d) => ({ days: d }));
  if (days.star) return weekdayLines;
  if (!f.and) return [...dateParts.map((d) => ({ days: d })), ...weekdayLines];
  // "+": both must match.
  const lines: DayLine[] = plainWeekdays ? dateParts.map((d) => ({ weekdays: anyWeekday ? undefined : plainWeekdays, days: d })) : [];
  for (const n of weekdays.nth) {
    const k = n.n;
    if (k === 'L' || days.last) return `"+" with a last day (L) and an nth weekday (#) has no OnCalendar= form`;
    const inWeek = days.values.filter((d) => d >= 7 * k - 6 && d <= 7 * k);
    if (inWeek.length) lines.push({ weekdays: [n.weekday], days: list(inWeek, 1, 31) });
  }
  return lines;
}

function yearText(years: CronFields['years']): string | undefined {
  if (!years) return '*';
  const items = years.filter(([from]) => from <= LAST_YEAR).map(([from, to, step]) => {
    const end = Math.min(to, LAST_YEAR);
    if (from === end) return String(from);
    return step === 1 ? `${from}..${end}` : `${from}..${end}/${step}`;
  });
  return items.length ? items.join(',') : undefined;
}

/** OnCalendar= values for a cron rule in `zone`, or why there are none. */
export function onCalendar(expression: string, zone: string): { lines: string[] } | { reason: string } {
  const f = cronFields(expression);
  const days = dayLines(f);
  if (typeof days === 'string') return { reason: days };
  const year = yearText(f.years);
  if (!year) return { reason: `its years are all after ${LAST_YEAR}, where systemd's calendar ends` };
  const month = list(f.months, 1, 12);
  const time = `${list(f.hours, 0, 23)}:${list(f.minutes, 0, 59)}:${list(f.seconds, 0, 59)}`;
  const lines = days.map((d) => {
    const date = d.days.startsWith('~') ? `${year}-${month}${d.days}` : `${year}-${month}-${d.days}`;
    return `${d.weekdays ? `${weekdayText(d.weekdays)} ` : ''}${date} ${time} ${zone}`;
  });
  return { lines: [...new Set(lines)] };
}

/** OnCalendar= for a one-time run: its wall time in `zone`. */
export function onCalendarOnce(wall: number, zone: string): string {
  return `${new Date(wall).toISOString().slice(0, 19).replace('T', ' ')} ${zone}`;
}
