// The seeds' structured form (Django ScheduledTaskConfig, seed 000):
//   { type: 'minutes'|'hourly'|'daily'|'weekly'|'monthly', interval, hour, minute, day_of_week, day_of_month }
// with day_of_week 0 = Monday (Python's weekday()), unlike cron's 0 = Sunday. It is rendered to the
// equivalent phrase ("weekly on monday at 10:00"), which becomes the schedule's source text, so both
// spellings behave and read the same. Error offsets point into the object written as compact JSON.

import type { StructuredSchedule } from '../model';
import { closest, fail, Failure } from './errors';
import { everyInterval } from './intervals';
import { DAY_NAMES, pad2 } from './time-text';

export const STRUCTURED_FORM = '{ type: "minutes"|"hourly"|"daily"|"weekly"|"monthly", interval, hour, minute, day_of_week (0 = Monday … 6 = Sunday), day_of_month }';

const TYPES = ['minutes', 'hourly', 'daily', 'weekly', 'monthly'] as const;
const KEYS = ['type', 'interval', 'hour', 'minute', 'day_of_week', 'day_of_month'] as const;
type Key = (typeof KEYS)[number];

/** Which keys each type uses; others are a mistake worth reporting. */
const USES: Record<StructuredSchedule['type'], readonly Key[]> = {
  minutes: ['type', 'interval'],
  hourly: ['type', 'interval', 'minute'],
  daily: ['type', 'hour', 'minute'],
  weekly: ['type', 'day_of_week', 'hour', 'minute'],
  monthly: ['type', 'day_of_month', 'hour', 'minute'],
};

const RANGES: Record<Exclude<Key, 'type'>, readonly [number, number]> = {
  interval: [1, 1440], hour: [0, 23], minute: [0, 59], day_of_week: [0, 6], day_of_month: [1, 31],
};

/** The phrase a structured schedule means, or an error positioned in its JSON text. */
export function structuredToPhrase(input: object): { ok: true; text: string } | Failure {
  const json = JSON.stringify(input);
  const record = input as Record<string, unknown>;
  const where = (key: string): { at: number; length: number } => {
    const keyAt = json.indexOf(`${JSON.stringify(key)}:`);
    if (keyAt < 0) return { at: 0, length: json.length };
    const at = keyAt + JSON.stringify(key).length + 1;
    return { at, length: JSON.stringify(record[key]).length };
  };
  const bad = (key: string, message: string, expected: string): Failure => {
    const { at, length } = where(key);
    return fail(`${message} at column ${at + 1} of ${json}: expected ${expected}`, at, length, expected);
  };
  for (const key of Object.keys(record)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const bare = key.replace(/^schedule_/, '');
      const guess = (KEYS as readonly string[]).includes(bare) ? bare : closest(key, KEYS);
      const keyAt = json.indexOf(`${JSON.stringify(key)}:`);
      const message = `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''} at column ${keyAt + 1} of ${json}: expected ${KEYS.join(', ')}`;
      return fail(message, keyAt, JSON.stringify(key).length, STRUCTURED_FORM);
    }
  }
  const type = record.type;
  if (!(TYPES as readonly unknown[]).includes(type)) {
    const guess = typeof type === 'string' ? closest(type, TYPES) : undefined;
    return bad('type', `${type === undefined ? 'missing "type"' : `unknown type ${JSON.stringify(type)}`}${guess ? ` (did you mean "${guess}"?)` : ''}`, TYPES.map((t) => `"${t}"`).join(', '));
  }
  const kind = type as StructuredSchedule['type'];
  const value: Partial<Record<Key, number>> = {};
  for (const key of KEYS) {
    if (key === 'type' || record[key] === undefined) continue;
    if (!USES[kind].includes(key)) return bad(key, `"${key}" does not apply to type "${kind}"`, `only ${USES[kind].filter((k) => k !== 'type').join(', ')} with type "${kind}"`);
    const v = record[key];
    const [min, max] = RANGES[key];
    const form = key === 'day_of_week' ? `a whole number ${min}-${max} (0 = Monday … 6 = Sunday)` : `a whole number ${min}-${max}`;
    if (typeof v !== 'number' || !Number.isInteger(v)) return bad(key, `"${key}" must be a whole number`, form);
    if (v < min || v > max) return bad(key, `"${key}" ${v} is out of range ${min}-${max}`, form);
    value[key] = v;
  }
  const at = `${pad2(value.hour ?? 0)}:${pad2(value.minute ?? 0)}`;
  switch (kind) {
    case 'minutes':
    case 'hourly': {
      const n = value.interval ?? 1;
      if (kind === 'minutes' && value.interval === undefined) return bad('type', 'type "minutes" needs "interval"', '"interval": a number of minutes, e.g. 5');
      const unit = kind === 'minutes' ? 'minute' : 'hour';
      const interval = everyInterval(n, unit, value.minute ?? 0);
      if ('problem' in interval) return bad('interval', `"interval" ${n} (every ${n} ${unit}s) ${interval.problem}`, interval.expected);
      const minute = kind === 'hourly' && value.minute ? ` at :${pad2(value.minute)}` : '';
      return { ok: true, text: `every ${n} ${unit}${n === 1 ? '' : 's'}${minute}` };
    }
    case 'daily':
      return { ok: true, text: `daily at ${at}` };
    case 'weekly':
      if (value.day_of_week === undefined) return bad('type', 'type "weekly" needs "day_of_week"', '"day_of_week": 0 (Monday) to 6 (Sunday)');
      // Django counts from Monday = 0; DAY_NAMES from Sunday = 0.
      return { ok: true, text: `weekly on ${DAY_NAMES[(value.day_of_week + 1) % 7].toLowerCase()} at ${at}` };
    case 'monthly':
      if (value.day_of_month === undefined) return bad('type', 'type "monthly" needs "day_of_month"', '"day_of_month": 1-31');
      return { ok: true, text: `monthly on ${value.day_of_month} at ${at}` };
  }
}
