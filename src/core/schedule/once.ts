// One-time schedules: "once at 2026-12-01T09:00", "once at 2026-12-01 09:00", or a bare ISO date/time
// ("2026-12-01T09:00:00Z", "…+02:00", or wall time in the schedule's zone when no offset is written).
// A wall time inside a DST gap or repeated hour resolves like recurring schedules do (zone.ts).

import { fail, Failure } from './errors';
import { instantOfWall } from './zone';

export const ONCE_FORM = 'a date and time like "once at 2026-12-01 09:00", "2026-12-01T09:00", or with an offset "2026-12-01T09:00:00Z" / "+02:00"';

const ONCE = /^(\s*)(?:(once)(?:\s+(?:at|on))?\s*)?(?:(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?)?\s*$/id;

export function looksLikeOnce(source: string): boolean {
  return /^\s*(once\b|\d{4}-\d{1,2}-\d{1,2})/i.test(source);
}

/** When the one-time schedule fires (epoch ms). */
export function parseOnce(source: string, zone: string): { ok: true; at: number } | Failure {
  const m = ONCE.exec(source);
  if (!m || m[3] === undefined) {
    const start = source.length - source.trimStart().length;
    const at = /^\s*once\b/i.test(source) ? start + (/^\s*once(\s+(at|on))?\s*/i.exec(source)![0].length - start) : start;
    return fail(`a one-time schedule at column ${at + 1} needs a date and time: expected ${ONCE_FORM}`, at, source.trimEnd().length - at, ONCE_FORM);
  }
  // Positions of each captured part, for errors (the `d` flag records them).
  const position = (group: number): number => m.indices?.[group]?.[0] ?? 0;
  const [year, month, day] = [Number(m[3]), Number(m[4]), Number(m[5])];
  const [hour, minute, second, ms] = [Number(m[6] ?? 0), Number(m[7] ?? 0), Number(m[8] ?? 0), Number((m[9] ?? '0').padEnd(3, '0'))];
  const bad = (group: number, why: string, expected: string): Failure => {
    const at = position(group);
    return fail(`"${m[group]}" at column ${at + 1} ${why}: expected ${expected}`, at, m[group].length, ONCE_FORM);
  };
  if (month < 1 || month > 12) return bad(4, 'is not a month', '01-12');
  const monthDays = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > monthDays) return bad(5, `is not a day of ${year}-${String(month).padStart(2, '0')}`, `01-${monthDays}`);
  if (hour > 23) return bad(6, 'is not an hour', '00-23');
  if (minute > 59) return bad(7, 'is not a minute', '00-59');
  if (second > 59) return bad(8, 'is not a second', '00-59');
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const zoneText = m[10];
  if (zoneText === undefined) return { ok: true, at: instantOfWall(zone, wall) };
  if (/^(z|utc)$/i.test(zoneText)) return { ok: true, at: wall };
  const offset = /^([+-])(\d{2}):?(\d{2})?$/.exec(zoneText)!;
  const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
  if (Number(offset[2]) > 14 || Number(offset[3] ?? 0) > 59) return bad(10, 'is not a UTC offset', '-12:00 to +14:00');
  return { ok: true, at: wall - (offset[1] === '-' ? -1 : 1) * minutes * 60_000 };
}
