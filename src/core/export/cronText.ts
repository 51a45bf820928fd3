// A cron rule of our dialect as the five fields every other cron reads (Vixie cron, cronie, the
// Kubernetes CronJob controller): minute hour day-of-month month day-of-week, day-of-week 0-6. The
// seconds are returned apart (cron has none). What five plain fields cannot say is returned as a reason.
import { compress, cronFields, isAll } from './cronFields';

export type StandardCron = { fields: string; seconds: number[] } | { reason: string };

/** minute, hour, month: `*`, `*\/15`, `9-17`, `0,30`. */
function plain(values: number[], min: number, max: number): string {
  if (isAll(values, min, max)) return '*';
  return compress(values, max, (a, b) => `${a}-${b}`, (a, s) => (a === min ? `*/${s}` : `${a}-${max}/${s}`));
}

/**
 * Day fields never start with `*` unless they are `*`: Vixie cron and the CronJob controller take a
 * field that starts with `*` (even `*\/2`) as unrestricted, which turns their day-of-month OR
 * day-of-week into AND; `1-31/2` keeps the OR.
 */
function day(values: number[], min: number, max: number): string {
  return compress(values, max, (a, b) => `${a}-${b}`, (a, s) => `${a}-${max}/${s}`);
}

export function standardCron(expression: string): StandardCron {
  const f = cronFields(expression);
  if (f.years) return { reason: 'it names years, and cron has no year field' };
  if (f.days.nearestWeekday !== undefined) return { reason: `the nearest weekday (${f.days.nearestWeekday ? `${f.days.nearestWeekday}W` : 'LW'}) has no cron form` };
  if (f.days.last) return { reason: 'the last day of the month (L) has no cron form' };
  if (f.weekdays.nth.length) return { reason: 'an nth weekday of the month (#) has no cron form' };
  if (f.and && !f.days.star && !f.weekdays.star) return { reason: '"+" (day-of-month AND day-of-week) has no cron form: cron takes either' };
  const fields = [
    plain(f.minutes, 0, 59),
    plain(f.hours, 0, 23),
    f.days.star ? '*' : day(f.days.values, 1, 31),
    plain(f.months, 1, 12),
    f.weekdays.star ? '*' : day(f.weekdays.values, 0, 6),
  ];
  return { fields: fields.join(' '), seconds: f.seconds };
}
