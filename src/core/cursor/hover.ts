// What hovering shows, as Markdown: a schedule's words, its next runs in the task's zone and in local
// time, a DST note; a zone's offset now and its next change; a task id's schedule and last result; an
// option value's meaning. Pure: the editor adds the links (Run now, Preview) it may offer.
import { didYouMean } from '../config';
import { parseSchedule, type Schedule } from '../schedule';
import { closest } from '../schedule/errors';
import { canonicalZone, knownZones, offsetAt } from '../schedule/zone';
import { dstEffects, zoneChanges } from './dst';
import { VALUE_WORDS } from './optionWords';
import type { StaticWorkspace } from './staticWorkspace';
import type { CursorTarget, ScheduleTarget, TaskIdTarget, TimezoneTarget } from './targets';
import type { TaskContext } from './taskContext';
import { abbreviation, clockText, inText, offsetText, shortWhenText, wallDayText, whenText } from './timeText';

/** Runs shown in a hover: enough to see the pattern, few enough to read at a glance. */
export const HOVER_RUNS = 5;
const YEAR = 366 * 86_400_000;

export interface HoverInput {
  now: number;
  /** The zone "local" times are shown in (the machine's). */
  localZone: string;
  context: TaskContext;
  workspace?: StaticWorkspace;
  /** The last result of a task, in words ("✓ 2 min ago"), where history is known. */
  lastResult?(taskId: string): string | undefined;
}

export interface HoverModel {
  /** Markdown paragraphs, in order. */
  sections: string[];
  /** The task it is about, for the editor's links (Run now, Preview). */
  taskId?: string;
  /** Whether a Preview link makes sense (a valid schedule). */
  previewable: boolean;
}

export function hoverFor(target: CursorTarget, input: HoverInput): HoverModel | undefined {
  switch (target.kind) {
    case 'schedule': return scheduleHover(target, input);
    case 'timezone': return zoneHover(target, input.now);
    case 'taskId': return taskHover(target, input);
    case 'value': {
      const words = Object.prototype.hasOwnProperty.call(VALUE_WORDS[target.option], target.value) ? VALUE_WORDS[target.option][target.value] : undefined;
      if (!words) {
        const near = didYouMean(target.value, Object.keys(VALUE_WORDS[target.option]));
        return { sections: [`\`${target.option}\`: "${esc(target.value)}" is not one of ${Object.keys(VALUE_WORDS[target.option]).map((v) => `\`${v}\``).join(', ')}${near ? ` (did you mean \`${near}\`?)` : ''}`], previewable: false };
      }
      return { sections: [`\`${target.option}: ${target.value}\` — ${words}`], previewable: false };
    }
  }
}

function scheduleHover(target: ScheduleTarget, input: HoverInput): HoverModel {
  const { context, now } = input;
  const parsed = parseSchedule(target.input, { timezone: context.zone });
  const sections: string[] = [];
  const taskId = target.taskId ?? context.taskId;
  if (!parsed.ok) {
    sections.push(`**Not a valid schedule.** ${esc(parsed.error.message)}`);
    return { sections, taskId, previewable: false };
  }
  const schedule = parsed.schedule;
  const cron = schedule.cron && schedule.cron !== String(target.input).trim() ? ` · cron \`${schedule.cron}\`` : '';
  sections.push(`**${esc(schedule.describe())}**${cron}`);
  sections.push(runsTable(schedule, context, input));
  const effect = dstEffects(schedule, now, now + YEAR)[0];
  if (effect) {
    const day = wallDayText(effect.change.wallBefore).slice(0, 14);
    sections.push(effect.kind === 'gap'
      ? `$(warning) DST: on ${day} clocks jump ${clockText(effect.change.wallBefore)} → ${clockText(effect.change.wallAfter)} in ${context.zone}; the ${clockText(effect.wall)} run happens at ${clockText(effect.change.wallAfter)}.`
      : `$(warning) DST: on ${day} clocks go back ${clockText(effect.change.wallBefore)} → ${clockText(effect.change.wallAfter)} in ${context.zone}; ${clockText(effect.wall)} happens twice and the run happens once, the first time (${abbreviation(context.zone, effect.firesAt)}).`);
  }
  const notes: string[] = [];
  if (target.count > 1 && target.index !== undefined) notes.push(`Schedule ${target.index + 1} of ${target.count}: the task runs at each.`);
  const task = context.task;
  if (task?.overriddenBy && target.source === 'task') {
    notes.push(`Not in effect: \`overrides\` in .scheduler.yaml sets this task's schedule (${task.schedule ? esc(task.schedule.describe()) : 'see there'}).`);
  }
  notes.push(`Zone: ${context.zone} (from ${context.zoneFrom}).`);
  sections.push(notes.join(' '));
  return { sections, taskId, previewable: true };
}

function runsTable(schedule: Schedule, context: TaskContext, input: HoverInput): string {
  if (schedule.kind === 'now') return 'Runs once, as soon as the task is loaded.';
  if (schedule.kind === 'manual') return 'Runs only when started by hand (or by a task it depends on).';
  const runs = schedule.nextRuns(input.now, HOVER_RUNS);
  if (!runs.length) return schedule.kind === 'once' ? `Was ${whenText(schedule.at!, context.zone)}: in the past, it does not run again.` : 'No run in the future.';
  const local = input.localZone !== context.zone;
  const rows = runs.map((t) => `| ${inText(t, input.now)} | ${whenText(t, context.zone)} |${local ? ` ${shortWhenText(t, input.localZone, t)} |` : ''}`);
  const head = `| Next runs | ${context.zone} |${local ? ` local (${input.localZone}) |` : ''}\n|---|---|${local ? '---|' : ''}`;
  return [head, ...rows].join('\n');
}

function zoneHover(target: TimezoneTarget, now: number): HoverModel {
  const zone = canonicalZone(target.zone);
  if (!zone) {
    const near = target.zone ? closest(target.zone, knownZones()) : undefined;
    return { sections: [`**Unknown time zone** "${esc(target.zone)}"${near ? ` (did you mean "${near}"?)` : ''}: expected an IANA zone like "Europe/Berlin", "America/New_York" or "UTC".`], previewable: false };
  }
  const offset = offsetAt(zone, now);
  const sections = [`**${zone}** — now ${offsetText(offset)} (${abbreviation(zone, now)}), ${wallDayText(now + offset)}`];
  const [next] = zoneChanges(zone, now, now + YEAR);
  if (next) {
    const day = wallDayText(next.wallBefore).slice(0, 14);
    sections.push(`Next change: ${day}, clocks go ${next.forward ? 'forward' : 'back'} ${clockText(next.wallBefore)} → ${clockText(next.wallAfter)} `
      + `(${abbreviation(zone, next.at)}, ${offsetText(next.offsetAfter)}), ${inText(next.at, now)}.`);
  } else {
    sections.push('No daylight saving change in the coming year.');
  }
  return { sections, previewable: false };
}

function taskHover(target: TaskIdTarget, input: HoverInput): HoverModel {
  const ws = input.workspace;
  const task = ws?.byId.get(target.id);
  if (!task) {
    const near = ws ? didYouMean(target.id, [...ws.byId.keys()]) : undefined;
    const what = target.role === 'override' ? 'This override changes nothing: no' : 'No';
    return { sections: [`${what} task has the id ${code(target.id)}${near ? ` (did you mean ${code(near)}?)` : ''}. A task file's id is its path without .task.ts, like \`scripts/nightly-backup\`.`], previewable: false };
  }
  const sections = [`**${esc(task.spec.name)}** ${code(task.id)}`];
  const zone = task.schedule ? zoneOfSchedule(task.schedule) : undefined;
  const next = task.schedule?.next(input.now);
  const words = task.scheduleComputed ? 'set by code (known once the task is loaded)'
    : task.scheduleInvalid ? 'not valid (see Problems)'
      : task.schedule ? esc(task.schedule.describe()) : 'manual: only when started by hand or by a dependency';
  sections.push(`Schedule: ${words}${next !== undefined && zone ? ` · next ${whenText(next, zone)} (${inText(next, input.now)})` : ''}${task.spec.enabled ? '' : ' · disabled'}`);
  const last = input.lastResult?.(task.id);
  sections.push(`Last result: ${last ?? 'none known in this window'}`);
  return { sections, taskId: task.id, previewable: !!task.schedule };
}

function zoneOfSchedule(schedule: Schedule): string | undefined {
  const parts = (schedule as { parts?: readonly Schedule[] }).parts ?? [schedule];
  return (parts[0] as { zone?: string }).zone;
}

/** Text from a file as inline code: a fence longer than any run of backticks inside, so it cannot end early. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text from a file, made inert in Markdown (no links, images, emphasis or HTML from what a task file says). */
export function esc(text: string): string {
  return text.replace(/[\\`*_[\]<>#!|~]/g, (c) => `\\${c}`);
}
