// What completion offers at the cursor: inside a schedule, the phrases and cron forms with their words
// and next runs; for `timezone`, IANA zones with their offset now; for a `dependsOn` entry or an
// `overrides:` key, the workspace's task ids; for one-word options, their values with what each means.
import { parseSchedule } from '../schedule';
import { knownZones, offsetAt } from '../schedule/zone';
import { VALUE_WORDS } from './optionWords';
import type { StaticWorkspace } from './staticWorkspace';
import type { CursorTarget } from './targets';
import type { TaskContext } from './taskContext';
import { abbreviation, dateText, offsetText, whenText } from './timeText';

export interface CompletionModel {
  label: string;
  /** The value, unquoted; the editor quotes it as the place needs (see insertText). */
  value: string;
  detail?: string;
  documentation?: string;
  kind: 'schedule' | 'zone' | 'task' | 'value';
  /** Orders the list (VS Code sorts by it); lower first. */
  sortText: string;
}

export interface CompletionInput {
  now: number;
  context: TaskContext;
  workspace?: StaticWorkspace;
}

/**
 * The schedules offered, in the order a person scans them: the common phrases first, then cron forms,
 * then the special ones. Each is described live, so the words are the engine's own.
 */
export const SCHEDULE_SUGGESTIONS: readonly string[] = [
  'every 5 minutes', 'every 15 minutes', 'every 30 minutes', 'hourly', 'hourly at :15', 'every 2 hours', 'daily at 09:00', 'daily',
  'twice daily at 1:00 and 13:00', 'weekdays at 09:00', 'weekends at 10:00', 'weekly on monday at 09:00', 'monthly on 1 at 09:00',
  'monthly on last day', 'quarterly', 'yearly', 'every 30 seconds', 'every minute',
  '*/5 * * * *', '0 * * * *', '0 9 * * 1-5', '0 0 * * *', '0 0 * * 0', '0 0 1 * *', '0 0 L * *', '0 9 * * 5#L', '0 9 15W * *', '*/10 * * * * *',
  '@hourly', '@daily', '@weekly', '@monthly', '@yearly', 'now', 'manual',
];

/** Runs shown beside each suggestion. */
const SUGGESTION_RUNS = 3;

export function completionsFor(target: CursorTarget, input: CompletionInput): CompletionModel[] {
  switch (target.kind) {
    case 'schedule': return scheduleItems(input);
    case 'timezone': return zoneItems(input);
    case 'taskId': return taskItems(target.role, target.taskId ?? input.context.taskId, input.workspace);
    case 'value': {
      const words = VALUE_WORDS[target.option];
      return Object.keys(words).map((value, i) => ({ label: value, value, detail: words[value], kind: 'value' as const, sortText: pad(i) }));
    }
  }
}

function scheduleItems(input: CompletionInput): CompletionModel[] {
  const zone = input.context.zone;
  // A one-time run tomorrow at 09:00 in the task's zone: a date that is valid today.
  const tomorrow = dateText(input.now + offsetAt(zone, input.now) + 86_400_000);
  const all = [...SCHEDULE_SUGGESTIONS.slice(0, -2), `once at ${tomorrow} 09:00`, ...SCHEDULE_SUGGESTIONS.slice(-2)];
  return all.map((text, i): CompletionModel | undefined => {
    const parsed = parseSchedule(text, { timezone: zone });
    if (!parsed.ok) return undefined;
    const s = parsed.schedule;
    const runs = s.nextRuns(input.now, SUGGESTION_RUNS).map((t) => `- ${whenText(t, zone)}`);
    const cron = s.cron && s.cron !== text ? `\n\ncron \`${s.cron}\`` : '';
    return {
      label: text, value: text, detail: s.describe(), kind: 'schedule', sortText: pad(i),
      documentation: `${runs.length ? `Next runs in ${zone}:\n${runs.join('\n')}` : s.describe()}${cron}`,
    };
  }).filter((x): x is CompletionModel => !!x);
}

function zoneItems(input: CompletionInput): CompletionModel[] {
  const { now } = input;
  // The zones this workspace already uses come first, with their offset now; the other ~430 get theirs
  // when the list shows them (zoneDetail), since Intl takes ~1 ms to answer for a zone it has not seen.
  const used = new Set([input.context.zone, ...(input.workspace?.tasks.map((t) => t.spec.timezone).filter((z): z is string => !!z) ?? []),
    ...(input.workspace?.config.timezone ? [input.workspace.config.timezone] : [])]);
  const zones = [...new Set(['UTC', ...knownZones()])];
  return zones.map((zone) => ({
    label: zone, value: zone, kind: 'zone' as const, sortText: `${used.has(zone) ? '0' : '1'}${zone}`,
    ...(used.has(zone) ? zoneDetail(zone, now) : {}),
  }));
}

/** A zone's offset now, in words, for the completion list. */
export function zoneDetail(zone: string, now: number): { detail: string; documentation: string } {
  const offset = offsetAt(zone, now);
  const name = abbreviation(zone, now);
  return { detail: `${offsetText(offset)} now`, documentation: `${zone}: ${offsetText(offset)}${name === offsetText(offset) ? '' : ` (${name})`} now` };
}

function taskItems(role: 'dependsOn' | 'override' | 'job', self: string | undefined, ws: StaticWorkspace | undefined): CompletionModel[] {
  if (!ws || role === 'job') return [];
  const overridden = new Set(Object.keys(ws.config.overrides));
  return ws.tasks
    .filter((t) => t.id !== self && (role !== 'override' || !overridden.has(t.id) || t.id === self))
    .map((t, i) => ({
      label: t.id, value: t.id, kind: 'task' as const, sortText: pad(i),
      detail: t.spec.name !== t.id ? t.spec.name : undefined,
      documentation: t.scheduleComputed ? 'Schedule set by code' : t.schedule ? t.schedule.describe() : t.scheduleInvalid ? 'Schedule not valid' : 'Manual',
    }));
}

function pad(i: number): string {
  return String(i).padStart(4, '0');
}

/**
 * The text to insert for `value` at the target: inside quotes as it is (escaped for those quotes); where
 * nothing is quoted yet, in double quotes — always in a task file, and in YAML when the value would not
 * read back as the same string (`*` and `@` start aliases and reserved words, `: ` and ` #` end it).
 */
export function insertText(value: string, target: CursorTarget, kind: 'task' | 'yaml'): string {
  const q = target.span.quote;
  if (q === '"') return JSON.stringify(value).slice(1, -1);
  if (q === "'") return kind === 'yaml' ? value.replace(/'/g, "''") : value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  if (q === '`') return value.replace(/[\\`$]/g, (c) => `\\${c}`);
  if (kind === 'task') return JSON.stringify(value);
  const plain = /^[A-Za-z0-9_./][^#:]*$/.test(value) && !/\s$/.test(value) && !/^(true|false|null|yes|no|on|off|~|\d+(\.\d+)?)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}
