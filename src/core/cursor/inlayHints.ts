// The words written after a schedule in the editor (inlay hints): for cron strings by default, whose
// fields few people read at a glance; for every schedule on request (phrases and structured objects).
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { ScheduleInput } from '../model';
import { parseSchedule } from '../schedule';
import { CronSchedule } from '../schedule/schedule';
import { scanOptions } from '../tasks/optionPositions';
import { readLiteral } from './literal';

/** Which schedules get their words written after them. */
export const HINT_MODES = ['cron', 'all', 'off'] as const;
export type HintMode = (typeof HINT_MODES)[number];

export interface HintModel {
  /** Where the words go: right after the schedule as written. */
  offset: number;
  label: string;
}

/** Words longer than this are cut: a hint shares the line with code. */
const MAX_LABEL = 90;

export function scheduleHints(text: string, kind: 'task' | 'yaml', mode: HintMode): HintModel[] {
  if (mode === 'off') return [];
  const found = kind === 'task' ? taskFileSchedules(text) : yamlSchedules(text);
  const out: HintModel[] = [];
  for (const { input, end } of found) {
    const parsed = parseSchedule(input);
    if (!parsed.ok) continue;
    const s = parsed.schedule;
    const cronText = s instanceof CronSchedule && s.description === undefined;
    if (mode === 'cron' && !cronText) continue;
    const words = s.describe();
    out.push({ offset: end, label: words.length > MAX_LABEL ? `${words.slice(0, MAX_LABEL - 1)}…` : words });
  }
  return out;
}

interface Written { input: ScheduleInput; end: number }

function taskFileSchedules(source: string): Written[] {
  const out: Written[] = [];
  for (const place of scanOptions(source).values()) {
    const p = place.path;
    if (p[0] !== 'schedule' || p.length > 2 || (p.length === 2 && typeof p[1] !== 'number')) continue;
    const literal = readLiteral(source, place.valueStart, place.valueEnd);
    if (!literal.ok) continue;
    const v = literal.value;
    if (typeof v === 'string' || (v && typeof v === 'object' && !Array.isArray(v))) out.push({ input: v as ScheduleInput, end: place.valueEnd });
  }
  return out;
}

function yamlSchedules(text: string): Written[] {
  const doc = parseDocument(text, { merge: true, prettyErrors: false });
  const out: Written[] = [];
  const add = (node: Node | null | undefined) => {
    if (isScalar(node) && typeof node.value === 'string' && node.range) out.push({ input: node.value, end: node.range[1] });
    else if (isMap(node) && node.range) out.push({ input: node.toJSON() as ScheduleInput, end: node.range[1] });
  };
  if (!isMap(doc.contents)) return out;
  for (const section of ['jobs', 'overrides']) {
    const tasks = doc.contents.get(section, true) as Node | undefined;
    if (!isMap(tasks)) continue;
    for (const pair of tasks.items) {
      if (!isMap(pair.value)) continue;
      const schedule = pair.value.get('schedule', true) as Node | undefined;
      if (isSeq(schedule)) for (const item of schedule.items) add(item as Node);
      else add(schedule);
    }
  }
  return out;
}
