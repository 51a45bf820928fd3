// The schedule language: one entry point for every form users write (see DESIGN.md "Schedules").
//   cron        "0 9 * * 1-5", "0 0 12 ? * MON", "0 0 0 1 1 * 2027", "@daily"       → cron.ts
//   phrases     "every 5 minutes", "daily at 09:30", "weekly on monday at 09:00"   → phrases.ts
//   structured  { type: 'weekly', day_of_week: 0, hour: 10, minute: 0 }           → structured.ts
//   one-time    "once at 2026-12-01 09:00", "2026-12-01T09:00:00Z", "now", "manual" → once.ts
// Fire times honour the schedule's IANA zone and our DST rules (timeline.ts). No `vscode` here.

import type { ScheduleInput } from '../model';
import { parseCron, CRON_FORM, NICKNAMES } from './cron';
import { closest, fail, Failure, ScheduleError } from './errors';
import { looksLikeOnce, parseOnce } from './once';
import { parsePhrase, PHRASE_FORMS } from './phrases';
import { BaseSchedule, CronSchedule, ManualSchedule, NowSchedule, OnceSchedule, Schedule, UnionSchedule } from './schedule';
import { structuredToPhrase, STRUCTURED_FORM } from './structured';
import { Lru } from './lru';
import { canonicalZone, isValidTimezone, knownZones, machineZone } from './zone';

export type { ScheduleError } from './errors';
export type { Schedule } from './schedule';
export { isValidTimezone, NICKNAMES };
export { formatInstant } from './format';

export type ParseResult = { ok: true; schedule: Schedule } | { ok: false; error: ScheduleError };

export const SCHEDULE_FORMS = `${PHRASE_FORMS}, ${CRON_FORM}, or ${STRUCTURED_FORM}`;

export interface ParseOptions {
  /** IANA zone the schedule runs in; default: the machine's zone. */
  timezone?: string;
}

/**
 * Answers for schedule texts already read, by zone: the same text is parsed again and again (each reload
 * validates every task's options and then plans them; the editor reads a workspace on every pause in
 * typing). Results are immutable, so sharing them is safe; a few thousand cover any workspace.
 */
const parsed = new Lru<string, ParseResult>(4096);

export function parseSchedule(input: ScheduleInput, opts: ParseOptions = {}): ParseResult {
  if (typeof input !== 'string') return parseUncached(input, opts);
  // An unset zone means the machine's, which can change (TZ): it is part of the key.
  const key = `${opts.timezone === undefined ? `@${machineZone()}` : opts.timezone}\u0000${input}`;
  return parsed.getOrCreate(key, () => parseUncached(input, opts));
}

function parseUncached(input: ScheduleInput, opts: ParseOptions): ParseResult {
  let timezone: string | undefined;
  if (opts.timezone !== undefined) {
    timezone = canonicalZone(opts.timezone);
    if (!timezone) return unknownZone(opts.timezone);
  }
  const zone = timezone ?? machineZone();
  try {
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      const structured = structuredToPhrase(input);
      if (!structured.ok) return structured;
      return fromText(structured.text, zone, timezone);
    }
    if (typeof input !== 'string') {
      return fail(`a schedule must be text like "daily at 09:00" or an object like { type: "daily", hour: 9 }, found ${Array.isArray(input) ? 'a list' : typeof input}`,
        0, 0, SCHEDULE_FORMS);
    }
    return fromText(input, zone, timezone);
  } catch (e) {
    // Parsing must never take the engine down; an unexpected failure is reported like any bad schedule.
    return fail(`could not read schedule: ${(e as Error).message}`, 0, 0, SCHEDULE_FORMS);
  }
}

/**
 * Several schedules acting as one (earliest next, latest previous, descriptions joined with "; ").
 * `schedule` is set only when every entry is valid — a task with a broken entry should not run on the
 * rest. An empty list means "manual".
 */
export function parseSchedules(inputs: ScheduleInput[], opts: ParseOptions = {}): { schedule?: Schedule; errors: Array<ScheduleError & { index: number }> } {
  if (!inputs.length) {
    const zone = opts.timezone === undefined ? undefined : canonicalZone(opts.timezone);
    if (opts.timezone !== undefined && !zone) return { errors: [{ ...unknownZone(opts.timezone).error, index: 0 }] };
    return { schedule: new ManualSchedule('manual', zone), errors: [] };
  }
  const parts: Schedule[] = [];
  const errors: Array<ScheduleError & { index: number }> = [];
  inputs.forEach((input, index) => {
    const result = parseSchedule(input, opts);
    if (result.ok) parts.push(result.schedule); else errors.push({ ...result.error, index });
  });
  if (errors.length) return { errors };
  return { schedule: parts.length === 1 ? parts[0] : new UnionSchedule(parts as BaseSchedule[]), errors };
}

/** Heuristic split between cron and phrases: cron starts with a digit, `*`, `?` or `@` and has no English words. */
function looksLikeCron(text: string): boolean {
  if (text.startsWith('@')) return true;
  if (!/^[\d*?]/.test(text)) return false;
  return !text.split(/\s+/).some((token) => /^[a-z]{4,}$/i.test(token) && !CRON_WORDS.has(token.toLowerCase()));
}
const CRON_WORDS = new Set(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);

/**
 * Five to seven fields, all but one written in cron's characters and names: what looksLikeCron missed
 * because the bad field came first ("L 9-17 1 * *", "x 30 9 * * *").
 */
function cronShaped(text: string): boolean {
  const fields = text.split(/\s+/);
  if (fields.length < 5 || fields.length > 7) return false;
  const cronish = fields.filter((f) => f.replace(/jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat|[\d*?,/#+LW-]/gi, '') === '');
  return cronish.length >= fields.length - 1;
}

function cronSchedule(source: string, zone: string, timezone: string | undefined): ParseResult {
  const cron = parseCron(source);
  if (!cron.ok) return cron;
  return { ok: true, schedule: new CronSchedule(source, cron.rule, zone, timezone) };
}

function fromText(source: string, zone: string, timezone: string | undefined): ParseResult {
  const text = source.trim();
  if (!text) return fail(`empty schedule at column 1: expected ${SCHEDULE_FORMS}`, 0, 0, SCHEDULE_FORMS);
  const lower = text.toLowerCase();
  if (lower === 'now') return { ok: true, schedule: new NowSchedule(source, timezone) };
  if (lower === 'manual') return { ok: true, schedule: new ManualSchedule(source, timezone) };
  if (looksLikeOnce(source)) {
    const once = parseOnce(source, zone);
    if (!once.ok) return once;
    return { ok: true, schedule: new OnceSchedule(source, once.at, zone, timezone) };
  }
  if (looksLikeCron(text)) return cronSchedule(source, zone, timezone);
  const phrase = parsePhrase(source);
  // "x 30 9-17 * *" is a cron expression with one bad field: its error belongs at that field.
  if (!phrase.ok) return cronShaped(text) ? cronSchedule(source, zone, timezone) : phrase;
  const compiled = parseCron(phrase.phrase.expression);
  if (!compiled.ok) throw new Error(`phrase "${source}" compiled to invalid cron "${phrase.phrase.expression}": ${compiled.error.message}`);
  return { ok: true, schedule: new CronSchedule(source, compiled.rule, zone, timezone, phrase.phrase.description) };
}

function unknownZone(zone: string): Failure {
  const guess = typeof zone === 'string' ? closest(zone, knownZones()) : undefined;
  const expected = 'an IANA time zone like "Europe/Berlin", "America/New_York" or "UTC"';
  return fail(`unknown timezone "${zone}"${guess ? ` (did you mean "${guess}"?)` : ''}: expected ${expected}`, 0, 0, expected);
}

