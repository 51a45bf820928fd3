// Schedules that are valid but probably not what was meant, for the Problems panel: each warning names
// the task, points at where the schedule (or dependency) is written, says what will happen instead, and
// carries quick fixes where one is obvious plus one that silences it for this task (`ignoreWarnings`).
import type { Path, SourceRange } from '../config/types';
import type { ScheduleWarningName } from '../model';
import { cronMatcher } from '../schedule/matcher';
import { CronSchedule, OnceSchedule, UnionSchedule, type Schedule } from '../schedule/schedule';
import { wallOf } from '../schedule/zone';
import { dstEffects, zoneChanges, type DstEffect } from './dst';
import { replaceString, silenceFix, valueOffsets, type QuickFix } from './fixes';
import { findHerds } from './herds';
import type { StaticTask, StaticWorkspace, WrittenAt } from './staticWorkspace';
import { clockText, dateText, inText, offsetText, whenText } from './timeText';

const DAY = 86_400_000;
const YEAR = 366 * DAY;

export interface ScheduleWarning {
  name: ScheduleWarningName;
  /** `schedule.<name>`: the Diagnostic code. */
  code: string;
  taskId: string;
  file: string;
  range: SourceRange;
  message: string;
  /** The quick fixes, made when asked for (most warnings are never opened). */
  fixes(): QuickFix[];
}

export interface WarningOptions {
  /** Herd threshold (tasks in one second); default HERD_MIN_TASKS. */
  herdMinTasks?: number;
}

export function scheduleWarnings(ws: StaticWorkspace, now: number, options: WarningOptions = {}): ScheduleWarning[] {
  const out: ScheduleWarning[] = [];
  const active = ws.tasks.filter((t) => t.spec.enabled && t.schedule);
  const nextOf = memo((t: StaticTask) => t.schedule?.next(now));
  const changes = memoZone((zone) => zoneChanges(zone, now, now + YEAR));
  for (const task of active) {
    const warn = warner(ws, task, out);
    const schedule = task.schedule!;
    parts(schedule).forEach((part, index) => checkPart(ws, task, warn, part, index, now));
    // Most schedules run within the year: the rule's days say so without computing a run.
    const next = runsWithinYear(schedule, now) ? now : nextOf(task);
    if (next === undefined && schedule.kind === 'cron') {
      warn('never-fires', task.scheduleAt, 'has no run in the future: every date it names is past or does not exist');
    } else if (next !== undefined && next - now > YEAR && schedule.kind === 'cron') {
      // (A one-time date two years ahead says what it means; a repeating schedule that far is rarely meant.)
      warn('far-next', task.scheduleAt, `runs next ${whenText(next, zoneOf(schedule))} (${inText(next, now)}): more than a year away`);
    }
    const effects = dstEffects(schedule, now, now + YEAR, (zone, from, until) => changes(zone).filter((c) => c.at > from && c.at <= until));
    const gap = effects.find((e) => e.kind === 'gap');
    const repeat = effects.find((e) => e.kind === 'repeat');
    if (gap) warn('dst-gap', task.scheduleAt, dstMessage(gap));
    if (repeat) warn('dst-repeat', task.scheduleAt, dstMessage(repeat));
    if (task.spec.overlap === 'allow' && everySecond(schedule, now)) {
      const overlapAt = task.overlapAt;
      const fix = () => {
        const f = overlapAt && replaceString(ws, overlapAt, overlapAt.path, 'skip', 'Set overlap to "skip" (a run that is due while the last still runs is skipped)', true);
        return f ? [f] : [];
      };
      warn('overlap-every-second', task.scheduleAt, 'runs every second with `overlap: "allow"`: a run that takes longer than a second starts another beside it, and they pile up', fix);
    }
  }
  herds(ws, active, now, options, out);
  dependencies(ws, nextOf, out);
  return out;
}

type Warn = (name: ScheduleWarningName, at: WrittenAt | undefined, message: string, fixes?: () => QuickFix[], path?: Path) => void;

/** Adds a warning for `task` unless it silences that name; points at `path` (default: where `at` is written). */
function warner(ws: StaticWorkspace, task: StaticTask, out: ScheduleWarning[]): Warn {
  return (name, at, message, fixes = () => [], path) => {
    if (task.spec.ignoreWarnings?.includes(name)) return;
    const file = at?.file ?? task.spec.file;
    const range = at ? ws.resolver(at.file)(path ?? at.path) : { line: 1, column: 1 };
    out.push({
      name, code: `schedule.${name}`, taskId: task.id, file, range, message: `${task.id}: ${message}`,
      fixes: () => {
        const silence = at ? silenceFix(ws, { ...at, path: at.path.slice(0, (at.kind === 'yaml' ? 3 : 1)) }, name, task.id) : undefined;
        return silence ? [...fixes(), silence] : fixes();
      },
    });
  };
}

function parts(schedule: Schedule): Schedule[] {
  return schedule instanceof UnionSchedule ? [...schedule.parts] : [schedule];
}

function zoneOf(schedule: Schedule): string {
  const first = parts(schedule)[0] as CronSchedule | OnceSchedule;
  return first.zone;
}

/** Checks of one schedule of the list (or the only one): a past one-time date, cron fields as written. */
function checkPart(ws: StaticWorkspace, task: StaticTask, warn: Warn, part: Schedule, index: number, now: number): void {
  const at = task.scheduleAt;
  const path = at && task.schedule instanceof UnionSchedule ? listPath(ws, at, index) : at?.path;
  if (part instanceof OnceSchedule && part.at <= now) {
    warn('past-once', at, `"${part.source}" was ${whenText(part.at, part.zone)}, in the past: it does not run again`, undefined, path);
  }
  // Cron as written (phrases bring their own words and never combine day fields or uneven steps).
  if (!(part instanceof CronSchedule) || part.description !== undefined || part.source.trim().startsWith('@')) return;
  const tokens = [...part.source.matchAll(/\S+/g)].map((m) => ({ text: m[0], at: m.index ?? 0 }));
  const layout = tokens.length === 5 ? ['minute', 'hour', 'dom', 'month', 'dow'] : ['second', 'minute', 'hour', 'dom', 'month', 'dow', 'year'];
  const field = (name: string) => tokens[layout.indexOf(name)];
  const rewrite = (token: { text: string; at: number }, text: string) => part.source.slice(0, token.at) + text + part.source.slice(token.at + token.text.length);
  const fix = (value: string, title: string, preferred = false) => (at && path ? replaceString(ws, at, path, value, title, preferred) : undefined);
  if (part.rule.bothDaysRestricted && part.rule.legacyMode) {
    const dom = field('dom');
    const dow = field('dow');
    const both = rewrite(dow, `+${dow.text}`);
    const weekdays = rewrite(dom, '*');
    warn('day-or', at, `runs when the day of the month (${dom.text}) OR the day of the week (${dow.text}) matches, as cron does when both are restricted; `
      + `"+" before the day of the week ("${both}") runs only on days that match both`,
    () => [fix(both, `Run only when both match: "${both}"`), fix(weekdays, `Day of the week only: "${weekdays}"`)].filter((f): f is QuickFix => !!f), path);
  }
  for (const [name, size] of [['second', 60], ['minute', 60], ['hour', 24]] as const) {
    const token = field(name);
    const step = token && /^(\*|0)(?:-(\d+))?\/(\d+)$/.exec(token.text);
    if (!step || (step[2] !== undefined && Number(step[2]) !== size - 1)) continue;
    const n = Number(step[3]);
    if (n <= 1 || size % n === 0 || n >= size) continue;
    const last = Math.floor((size - 1) / n) * n;
    const unit = name === 'hour' ? 'hours' : `${name}s`;
    const divisors = DIVISORS[size];
    const below = [...divisors].reverse().find((d) => d < n);
    const above = divisors.find((d) => d > n);
    const fixes = () => [below, above].filter((d): d is number => d !== undefined)
      .map((d) => fix(rewrite(token, `*/${d}`), `Every ${d} ${unit} on the clock: "${rewrite(token, `*/${d}`)}"`))
      .filter((f): f is QuickFix => !!f);
    const mark = (v: number) => (name === 'hour' ? `${v}:00` : name === 'minute' ? `:${String(v).padStart(2, '0')}` : `second ${v}`);
    warn('uneven-step', at, `"${token.text}" does not divide ${size} ${unit}: it runs at ${mark(last)} and again at ${mark(0)}, `
      + `${size - last} ${unit} later, not ${n}`, fixes, path);
  }
}

/** Steps that divide a minute/hour (60) or a day (24) evenly. */
const DIVISORS: Record<number, number[]> = { 60: [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30], 24: [1, 2, 3, 4, 6, 8, 12] };

function dstMessage(e: DstEffect): string {
  const day = dateText(e.change.wallBefore);
  const from = clockText(e.change.wallBefore);
  const to = clockText(e.change.wallAfter);
  const zone = `${e.zone} (${offsetText(e.change.offsetBefore)} → ${offsetText(e.change.offsetAfter)})`;
  return e.kind === 'gap'
    ? `${clockText(e.wall)} does not exist on ${day} in ${zone}: clocks jump from ${from} to ${to}, so that run happens at ${to}`
    : `${clockText(e.wall)} happens twice on ${day} in ${zone}: clocks go back from ${from} to ${to}; the run happens once, the first time (${whenText(e.firesAt, e.zone)})`;
}

/**
 * Whether a cron schedule has a matching day from tomorrow to a year from now in its zone (each such day
 * has runs): then it neither never fires nor fires more than a year away, and no run needs computing.
 */
function runsWithinYear(schedule: Schedule, now: number): boolean {
  return parts(schedule).some((part) => {
    if (!(part instanceof CronSchedule)) return false;
    const m = cronMatcher(part.rule);
    if (m.everyDay) return true;
    const today = Math.floor(wallOf(part.zone, now) / DAY) * DAY;
    for (let day = today + DAY; day <= today + 365 * DAY; day += DAY) if (m.matchesWallDay(day)) return true;
    return false;
  });
}

/** Two runs one second apart, twice in a row. */
function everySecond(schedule: Schedule, now: number): boolean {
  const runs = schedule.nextRuns(now, 3);
  return runs.length === 3 && runs[1] - runs[0] <= 1000 && runs[2] - runs[1] <= 1000;
}

function memo<T, R>(f: (x: T) => R): (x: T) => R {
  const cache = new Map<T, R>();
  return (x) => {
    if (!cache.has(x)) cache.set(x, f(x));
    return cache.get(x)!;
  };
}

function memoZone<R>(f: (zone: string) => R): (zone: string) => R {
  return memo(f);
}

function herds(ws: StaticWorkspace, active: StaticTask[], now: number, options: WarningOptions, out: ScheduleWarning[]): void {
  const found = findHerds(active.map((t) => ({ id: t.id, schedule: t.schedule! })), now, options.herdMinTasks);
  for (const task of active) {
    const herd = found.get(task.id);
    if (!herd) continue;
    const others = herd.members.filter((m) => m !== task.id);
    const named = others.slice(0, 4).map((m) => `\`${m}\``).join(', ') + (others.length > 4 ? ` and ${others.length - 4} more` : '');
    warner(ws, task, out)('herd', task.scheduleAt,
      `is due in the same second as ${others.length} other task${others.length === 1 ? '' : 's'} (${named}) at ${whenText(herd.at, zoneOf(task.schedule!))}; `
      + 'they start together and wait for each other (concurrency). Move it a few minutes, e.g. "hourly at :07"');
  }
}

/**
 * A dependency whose task never runs never starts this one: it is disabled, or it has no future run and
 * depends on nothing that has one (manual all the way up).
 */
function dependencies(ws: StaticWorkspace, nextOf: (t: StaticTask) => number | undefined, out: ScheduleWarning[]): void {
  const verdict = new Map<string, string | null>();
  const why = (id: string, trail: Set<string>): string | null => {
    if (verdict.has(id)) return verdict.get(id)!;
    const t = ws.byId.get(id);
    // Unknown ids are errors reported elsewhere; code-built or invalid schedules may run: no warning.
    if (!t || trail.has(id) || t.scheduleComputed || t.scheduleInvalid) return null;
    let reason: string | null;
    if (!t.spec.enabled) reason = 'is disabled (`enabled: false`)';
    else if (t.schedule?.kind === 'now' || (t.schedule && nextOf(t) !== undefined)) reason = null;
    else {
      const next = new Set(trail).add(id);
      const alive = t.spec.dependsOn.some((d) => why(d.task, next) === null);
      reason = alive ? null : t.schedule ? 'has no run in the future' : 'runs only when started by hand (its schedule is manual)';
    }
    verdict.set(id, reason);
    return reason;
  };
  for (const task of ws.tasks) {
    if (!task.spec.enabled || !task.dependsOnAt) continue;
    task.spec.dependsOn.forEach((dep, i) => {
      const reason = why(dep.task, new Set([task.id]));
      if (reason === null) return;
      const at = task.dependsOnAt!;
      const path = listPath(ws, at, i);
      warner(ws, task, out)('dependency-never-runs', at,
        `depends on \`${dep.task}\`, which ${reason} and depends on nothing that runs: it never starts this task${task.schedule ? '' : ', so this task runs only when started by hand'}`,
        undefined, path);
    });
  }
}

/** The path of item `i` of a list written at `at`, or `at` itself when a single value is written there. */
function listPath(ws: StaticWorkspace, at: WrittenAt, i: number): Path {
  const written = valueOffsets(ws, at);
  const first = written ? written.text.slice(written.start, written.end).trimStart()[0] : undefined;
  return first === '[' || first === '-' ? [...at.path, i] : at.path;
}
