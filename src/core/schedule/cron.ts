// Cron expressions, checked field by field so an error can name its position. Our dialect is
// croner's (https://croner.56k.guru) plus what croner 9 lacks, which we evaluate ourselves:
//   - 5 fields (minute first), 6 (second first) or 7 (second first, year last);
//   - `?` in day-of-month/day-of-week means "no specific value" (Quartz), i.e. `*` — croner would
//     substitute the time of loading instead, which makes a schedule depend on when it was read;
//   - `nW` / `LW` (nearest weekday to day n / last weekday of the month) and the year field, as
//     filters applied to croner's candidates (see wallclock.ts);
//   - `5L` (Quartz "last Friday") is accepted as croner's `5#L`;
//   - a `+` before day-of-week (`0 0 1-7 * +FRI`) combines day-of-month AND day-of-week (croner's
//     `legacyMode: false`); without it they are OR'd as in Vixie cron;
//   - nicknames `@yearly @annually @monthly @weekly @daily @midnight @hourly`.

import { closest, fail, Failure } from './errors';
import { cronFor } from './wallclock';

/** A validated cron expression, reduced to what evaluation needs. Immutable, small. */
export interface CronRule {
  /** Normalised expression in our dialect (names → numbers, `?` → `*`); parses back to the same rule. */
  readonly expression: string;
  /** 6-field pattern given to croner: a superset of the fire times when `years`/`nearestWeekday` filter it. */
  readonly croner: string;
  /** croner's legacyMode: true = day-of-month OR day-of-week (Vixie), false = AND (`+`). */
  readonly legacyMode: boolean;
  /** Year field as [from, to, step] triples; undefined = every year. */
  readonly years?: ReadonlyArray<readonly [number, number, number]>;
  /** `nW`: n (1-31); `LW`: 0. Undefined when the expression has no W. */
  readonly nearestWeekday?: number;
  /**
   * The hour field covers all 24 hours. Such a schedule runs by the hour, so in a repeated autumn hour
   * both passes are real hours that get their runs; schedules pinned to hours run once (Vixie cron's rule).
   */
  readonly everyHour: boolean;
  /** Both day fields restricted (and OR'd unless `+`): descriptions must say "or". */
  readonly bothDaysRestricted: boolean;
}

export type CronResult = { ok: true; rule: CronRule } | Failure;

export const CRON_FORM = 'a cron expression: [second] minute hour day-of-month month day-of-week [year], e.g. "0 9 * * 1-5"';

export const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FULL_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** Longest each month can be (February 29 exists in leap years). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

type FieldKind = 'second' | 'minute' | 'hour' | 'dom' | 'month' | 'dow' | 'year';

interface FieldSpec {
  readonly kind: FieldKind;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly extra: string;
}

// croner stops searching at year 3000; earlier than 1970 cannot be "next" for a scheduler.
const YEAR_MIN = 1970;
const YEAR_MAX = 2999;

const SPECS: Record<FieldKind, FieldSpec> = {
  second: { kind: 'second', label: 'second', min: 0, max: 59, extra: '' },
  minute: { kind: 'minute', label: 'minute', min: 0, max: 59, extra: '' },
  hour: { kind: 'hour', label: 'hour', min: 0, max: 23, extra: '' },
  dom: { kind: 'dom', label: 'day-of-month', min: 1, max: 31, extra: ', L (last day), 15W (nearest weekday), LW, ?' },
  month: { kind: 'month', label: 'month', min: 1, max: 12, extra: ' or JAN-DEC' },
  dow: { kind: 'dow', label: 'day-of-week', min: 0, max: 7, extra: ' (0 and 7 = Sunday) or SUN-SAT, 5#2 (second Friday), 5#L (last Friday), ?, + prefix for AND' },
  year: { kind: 'year', label: 'year', min: YEAR_MIN, max: YEAR_MAX, extra: '' },
};

function expectedFor(spec: FieldSpec): string {
  return `${spec.label}: ${spec.min}-${spec.max}${spec.extra}, "*", a range like ${spec.min + 1}-${spec.min + 3}, a step like */2, or a list like ${spec.min},${spec.min + 2}`;
}

const LAYOUTS: Record<number, FieldKind[]> = {
  5: ['minute', 'hour', 'dom', 'month', 'dow'],
  6: ['second', 'minute', 'hour', 'dom', 'month', 'dow'],
  7: ['second', 'minute', 'hour', 'dom', 'month', 'dow', 'year'],
};

interface ParsedField {
  /** Normalised text of the field. */
  text: string;
  /** Every plain value it matches (L, W and # aside). */
  values: Set<number>;
  star: boolean;
  hasLast: boolean;
  /** [from, to, step] triples (year field only). */
  ranges: Array<[number, number, number]>;
}

/** Parses a cron expression found at `offset` in the schedule string (for error positions). */
export function parseCron(text: string, offset = 0): CronResult {
  const trimmed = text.trim();
  const lead = offset + text.indexOf(trimmed);
  let body = trimmed;
  if (trimmed.startsWith('@')) {
    const nick = trimmed.toLowerCase();
    const expansion = NICKNAMES[nick];
    if (!expansion) {
      const names = Object.keys(NICKNAMES);
      const hint = nick === '@reboot' ? ' (for "run once when loaded" write "now")' : didYouMean(closest(nick, names));
      return fail(`unknown cron nickname "${trimmed}" at column ${lead + 1}${hint}: expected one of ${names.join(' ')}`,
        lead, trimmed.length, names.join(' '));
    }
    body = expansion;
  }
  const tokens: Array<{ text: string; at: number }> = [];
  for (const m of body.matchAll(/\S+/g)) tokens.push({ text: m[0], at: body === trimmed ? lead + (m.index ?? 0) : lead });
  const layout = LAYOUTS[tokens.length];
  if (!layout) {
    const end = lead + trimmed.length;
    const at = tokens.length > 7 ? tokens[7].at : end;
    return fail(`a cron expression has 5, 6 or 7 fields, found ${tokens.length} (at column ${at + 1}): expected ${CRON_FORM}`,
      at, tokens.length > 7 ? end - at : 0, CRON_FORM);
  }
  const fields: Partial<Record<FieldKind, ParsedField>> = {};
  let andMode = false;
  let nearestWeekday: number | undefined;
  let domToken = tokens[0];
  for (let i = 0; i < layout.length; i++) {
    const spec = SPECS[layout[i]];
    const token = tokens[i];
    const bad = (message: string, at = token.at, length = token.text.length): Failure =>
      fail(`field ${i + 1} (${spec.label}) at column ${at + 1}: ${message}`, at, length, expectedFor(spec));
    let raw = token.text;
    let rawAt = token.at;
    if (spec.kind === 'dow' && raw.startsWith('+')) { andMode = true; raw = raw.slice(1); rawAt++; }
    if (raw === '?') {
      if (spec.kind !== 'dom' && spec.kind !== 'dow') return bad('"?" (no specific value) is only allowed in day-of-month and day-of-week');
      raw = '*';
    }
    if (spec.kind === 'dom') domToken = token;
    const w = spec.kind === 'dom' ? /^(\d{1,2}|L)W$/i.exec(raw) : null;
    if (w) {
      const day = w[1].toUpperCase() === 'L' ? 0 : Number(w[1]);
      if (day > 31 || (day < 1 && w[1].toUpperCase() !== 'L')) return bad(`"${w[1]}" is out of range 1-31`, rawAt, w[1].length);
      nearestWeekday = day;
      // Nearest weekday to day n lies within n-2..n+2 (1st on a Saturday → Monday 3rd); the last
      // weekday is on the 26th or later (a 28-day February ending on a Sunday → Friday 26th).
      const superset = day === 0 ? '26-31' : `${Math.max(1, day - 2)}-${Math.min(31, day + 2)}`;
      fields.dom = { text: superset, values: new Set(), star: false, hasLast: false, ranges: [] };
      continue;
    }
    if (/W/i.test(raw) && spec.kind === 'dom') {
      return bad('"W" (nearest weekday) must be the whole field, like "15W" or "LW"');
    }
    const parsed: ParsedField = { text: '', values: new Set(), star: raw === '*', hasLast: false, ranges: [] };
    const items: string[] = [];
    let itemAt = rawAt;
    for (const item of raw.split(',')) {
      const result = parseItem(item, spec, itemAt, parsed);
      if (typeof result !== 'string') return bad(result.message, result.at, result.length);
      items.push(result);
      itemAt += item.length + 1;
    }
    parsed.text = items.join(',');
    fields[spec.kind] = parsed;
  }
  const dom = fields.dom!;
  const dow = fields.dow!;
  if (nearestWeekday !== undefined && !dow.star) {
    return fail(`field ${layout.indexOf('dom') + 1} (day-of-month) at column ${domToken.at + 1}: "W" cannot be combined with a day-of-week; write "*" or "?" there`,
      domToken.at, domToken.text.length, expectedFor(SPECS.dom));
  }
  const never = neverFires(dom, fields.month!, dow, nearestWeekday) ?? (andMode ? neverTogether(dom, fields.month!, dow) : undefined);
  if (never) return fail(`${never} at column ${domToken.at + 1}: this schedule would never run`, domToken.at, domToken.text.length, expectedFor(SPECS.dom));

  const dowText = dow.text;
  const fieldText = (kind: FieldKind, i: number): string => {
    if (kind === 'dom' && nearestWeekday !== undefined) return nearestWeekday === 0 ? 'LW' : `${nearestWeekday}W`;
    if (kind === 'dow') return (andMode ? '+' : '') + dowText;
    return fields[kind]?.text ?? tokens[i].text;
  };
  const expression = layout.map(fieldText).join(' ');
  const croner = [fields.second?.text ?? '0', fields.minute!.text, fields.hour!.text, dom.text, fields.month!.text, dowText].join(' ');
  const legacyMode = !andMode;
  try {
    cronFor(croner, legacyMode); // builds (and caches for evaluation) croner's own parse of it
  } catch (e) {
    // Our checks should catch everything croner rejects; this is the safety net.
    return fail(`invalid cron expression "${trimmed}" at column ${lead + 1}: ${(e as Error).message}`, lead, trimmed.length, CRON_FORM);
  }
  const year = fields.year;
  return {
    ok: true,
    rule: {
      expression, croner, legacyMode,
      years: year && !year.star ? year.ranges : undefined,
      nearestWeekday,
      everyHour: fields.hour!.values.size === 24,
      bothDaysRestricted: !dom.star && !dow.star,
    },
  };
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
}

interface ItemError { message: string; at: number; length: number }

/** One comma-separated item of a field: normalised text, or what is wrong with it. */
function parseItem(item: string, spec: FieldSpec, at: number, into: ParsedField): string | ItemError {
  const err = (message: string, offset = 0, length = item.length - offset): ItemError => ({ message, at: at + offset, length });
  if (item === '') return err(`empty list item; expected a value between commas`, 0, 0);
  if (spec.kind === 'dom' && item.toUpperCase() === 'L') { into.hasLast = true; return 'L'; }
  if (spec.kind === 'dom' && /^L-\d+$/i.test(item)) return err(`"${item}" (days before the last day) is not supported; use "L" for the last day`);
  if (spec.kind === 'dow') {
    const nth = /^(.+?)(?:#([^#]*)|(L))$/i.exec(item);
    if (nth && (nth[2] !== undefined || (nth[3] && !/^[a-z]+$/i.test(item)))) {
      const base = nth[1];
      const k = nth[3] ? 'L' : nth[2].toUpperCase();
      const range = parseRange(base, spec, 0, err);
      if ('message' in range) return range;
      if (!(k === 'L' || /^[1-5]$/.test(k))) {
        return err(`"#${nth[2]}" must be #1 to #5 (which occurrence in the month) or #L (the last)`, base.length, item.length - base.length);
      }
      for (let v = range.from; v <= range.to; v++) into.values.add(v % 7);
      const baseText = range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
      return `${baseText}#${k}`;
    }
  }
  const slash = item.indexOf('/');
  const rangePart = slash < 0 ? item : item.slice(0, slash);
  let step = 1;
  if (slash >= 0) {
    const stepText = item.slice(slash + 1);
    if (!/^\d+$/.test(stepText)) return err(`step "${stepText}" must be a whole number`, slash + 1);
    step = Number(stepText);
    const span = spec.max - spec.min + (spec.kind === 'dow' ? 0 : 1);
    if (step < 1 || step > span) return err(`step "${stepText}" is out of range 1-${span}`, slash + 1);
  }
  let from: number;
  let to: number;
  let text: string;
  if (rangePart === '*') {
    from = spec.min;
    to = spec.kind === 'dow' ? 6 : spec.max;
    text = '*';
  } else {
    const range = parseRange(rangePart, spec, 0, err);
    if ('message' in range) return range;
    from = range.from;
    // `5/15` = from 5 to the end, every 15 (croner, Quartz).
    to = slash >= 0 && range.single ? (spec.kind === 'dow' ? 6 : spec.max) : range.to;
    text = range.single ? `${from}` : `${from}-${to}`;
  }
  if (slash >= 0) text += `/${step}`;
  for (let v = from; v <= to; v += step) into.values.add(spec.kind === 'dow' ? v % 7 : v);
  into.ranges.push([from, to, step]);
  return text;
}

function parseRange(
  part: string, spec: FieldSpec, offset: number, err: (message: string, offset?: number, length?: number) => ItemError,
): { from: number; to: number; single: boolean } | ItemError {
  const dash = part.indexOf('-', 1);
  const fromText = dash < 0 ? part : part.slice(0, dash);
  const from = parseValue(fromText, spec, offset, err);
  if (typeof from !== 'number') return from;
  if (dash < 0) return { from, to: from, single: true };
  const toText = part.slice(dash + 1);
  let to = parseValue(toText, spec, offset + dash + 1, err);
  if (typeof to !== 'number') return to;
  if (spec.kind === 'dow' && to === 0 && from > 0) to = 7; // FRI-SUN: Sunday as 7 closes the week
  if (to < from) return err(`range "${part}" goes backwards; write it low-high, e.g. "${to}-${from}"`, offset, part.length);
  return { from, to, single: false };
}

function parseValue(
  text: string, spec: FieldSpec, offset: number, err: (message: string, offset?: number, length?: number) => ItemError,
): number | ItemError {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) return err(`"${text}" is out of range ${spec.min}-${spec.max}`, offset, text.length);
    return value;
  }
  const lower = text.toLowerCase();
  if (spec.kind === 'month' && /^[a-z]+$/.test(lower)) {
    const i = MONTHS.indexOf(lower.slice(0, 3));
    if (i >= 0 && (lower.length === 3 || MONTH_NAMES[i].toLowerCase() === lower)) return i + 1;
    return err(`"${text}" is not a month; expected 1-12 or JAN-DEC${didYouMean(closest(lower, MONTHS)?.toUpperCase())}`, offset, text.length);
  }
  if (spec.kind === 'dow' && /^[a-z]+$/.test(lower)) {
    const i = lower.length === 3 ? DAYS.indexOf(lower) : FULL_DAYS.indexOf(lower);
    if (i >= 0) return i;
    const hint = closest(lower, lower.length <= 3 ? DAYS : FULL_DAYS);
    return err(`"${text}" is not a day of the week; expected 0-7 or SUN-SAT${didYouMean(hint?.toUpperCase())}`, offset, text.length);
  }
  if (text === '') return err(`a value is missing; expected ${spec.min}-${spec.max}`, offset, 0);
  return err(`"${text}" is not a valid ${spec.label}; expected a number ${spec.min}-${spec.max}${spec.extra}`, offset, text.length);
}

/**
 * With `+` (day-of-month AND day-of-week), days that can never be the n-th weekday asked for (the 31st
 * and a first Friday, the last day of February and a first Sunday) make a schedule that never runs —
 * and croner, asked for its next run, recurses month by month to year 3000 and overflows the stack.
 * A plain weekday falls on every day of the month in some year; `#n` only on days 7n-6..7n, `#L` on
 * the month's last seven.
 */
function neverTogether(dom: ParsedField, month: ParsedField, dow: ParsedField): string | undefined {
  if (dom.star || dow.star) return undefined;
  const nths = dow.text.split(',').map((item) => /#(\d|L)$/.exec(item)?.[1]);
  for (const m of month.values) {
    // February has 28 days in most years and 29 in leap years; `L` is whichever it is.
    for (const length of m === 2 ? [28, 29] : [MONTH_DAYS[m - 1]]) {
      const days = [...dom.values].filter((d) => d <= length);
      if (dom.hasLast) days.push(length);
      const fits = (d: number) => nths.some((n) => n === undefined || (n === 'L' ? d > length - 7 : Math.ceil(d / 7) === Number(n)));
      if (days.some(fits)) return undefined;
    }
  }
  return `day-of-month ${dom.text} and day-of-week ${dow.text} never fall on the same day (with "+" both must match)`;
}

/** Day-of-month values that no selected month has (Feb 30, Apr 31) make a schedule that never runs. */
function neverFires(dom: ParsedField, month: ParsedField, dow: ParsedField, nearestWeekday: number | undefined): string | undefined {
  if (!dow.star || dom.star || dom.hasLast || nearestWeekday === 0) return undefined;
  const days = nearestWeekday !== undefined ? [nearestWeekday] : [...dom.values];
  const longest = Math.max(...[...month.values].map((m) => MONTH_DAYS[m - 1]));
  if (days.length && Math.min(...days) > longest) {
    const monthText = month.values.size === 1 ? MONTH_NAMES[[...month.values][0] - 1] : 'any of the selected months';
    return `day ${Math.min(...days)} does not exist in ${monthText}`;
  }
  return undefined;
}
