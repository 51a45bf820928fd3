// The clock check's oracle: which slots a schedule has and which runs each catch-up policy owes,
// worked out without the product's schedule code (no croner, no core/schedule): wall-clock time comes
// straight from Intl, minute by minute, and the README's rules are applied to it:
//   - a wall time that matches the schedule fires at that instant;
//   - spring forward: matches inside the skipped wall times fire once, at the first instant after the gap;
//   - fall back: a match inside the repeated wall times fires at its first occurrence only, unless the
//     schedule runs every hour (hour field `*`), for which both passes are real hours and both fire;
//   - after a gap in the scheduler's life (sleep), the due slots are (last handled, wake]; the newest is
//     on time within 5 s of the wake; skip runs only an on-time one, latest runs the newest, all runs
//     every due slot inside the catch-up window (newest 100), oldest first; the rest are missed.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A schedule as the oracle knows it: a predicate on wall-clock fields. */
export interface OracleSchedule {
  /** As written for parseSchedule. */
  text: string;
  /** The hour field is `*`: both passes of a repeated hour fire. */
  everyHour: boolean;
  matches(w: Wall): boolean;
}

export interface Wall { year: number; month: number; day: number; hour: number; minute: number; weekday: number; /** floating ms */ key: number }

export const SCHEDULES: OracleSchedule[] = [
  { text: 'every 1 minutes', everyHour: true, matches: () => true },
  { text: 'every 30 minutes', everyHour: true, matches: (w) => w.minute % 30 === 0 },
  { text: 'hourly', everyHour: true, matches: (w) => w.minute === 0 },
  { text: 'daily at 02:30', everyHour: false, matches: (w) => w.hour === 2 && w.minute === 30 },
  { text: '0 9 * * 1-5', everyHour: false, matches: (w) => w.hour === 9 && w.minute === 0 && w.weekday >= 1 && w.weekday <= 5 },
];

const formatters = new Map<string, Intl.DateTimeFormat>();
const walls = new Map<string, Wall>();

/** Wall-clock fields of instant t in zone, from Intl alone. */
export function wallOf(zone: string, t: number): Wall {
  const cacheKey = `${zone} ${t}`;
  const cached = walls.get(cacheKey);
  if (cached) return cached;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  const [year, month, day, hour, minute] = [p.year, p.month, p.day, p.hour, p.minute].map(Number);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday);
  const w = { year, month, day, hour, minute, weekday, key: Date.UTC(year, month - 1, day, hour, minute) };
  if (walls.size > 200_000) walls.clear();
  walls.set(cacheKey, w);
  return w;
}

function wallFromKey(key: number): Wall {
  const d = new Date(key);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay(), key };
}

/** Every fire instant of `s` in (from, to], brute force, minute by minute. */
export function slots(s: OracleSchedule, zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  // Start a few hours early so a repeated wall time knows it was seen.
  const begin = Math.floor((from - 4 * HOUR) / MINUTE) * MINUTE;
  let maxSeen = -Infinity;
  let previous: Wall | undefined;
  for (let t = begin; t <= to; t += MINUTE) {
    const w = wallOf(zone, t);
    let fires = false;
    if (previous && w.key - previous.key > MINUTE) {
      // Spring forward: wall times (previous, w) never happened; a match among them fires now.
      for (let k = previous.key + MINUTE; k < w.key && !fires; k += MINUTE) fires = s.matches(wallFromKey(k));
    }
    const repeat = w.key <= maxSeen;
    if (s.matches(w) && (!repeat || s.everyHour)) fires = true;
    if (fires && t > from) out.push(t);
    maxSeen = Math.max(maxSeen, w.key);
    previous = w;
  }
  return out;
}

export type Policy = 'skip' | 'latest' | 'all';
export const ON_TIME_MS = 5_000;
export const ALL_LIMIT = 100;

export interface ExpectedRun { trigger: 'schedule' | 'catch-up'; slot: number; startedAt: number }
export interface Expected { runs: ExpectedRun[]; missed: number }

/** What happens to the slots due when the scheduler wakes at `wake` after being away since `handled`. */
export function catchUp(due: number[], wake: number, policy: Policy, windowMs: number): Expected {
  if (!due.length) return { runs: [], missed: 0 };
  const newest = due[due.length - 1];
  const onTime = wake - newest <= ON_TIME_MS;
  let ran: number[];
  if (policy === 'skip') ran = onTime ? [newest] : [];
  else if (policy === 'latest') ran = [newest];
  else ran = due.filter((s) => s >= wake - windowMs).slice(-ALL_LIMIT);
  return {
    runs: ran.map((slot) => ({ trigger: slot === newest && onTime ? 'schedule' : 'catch-up', slot, startedAt: wake })),
    missed: due.length - ran.length,
  };
}

/** Slots in (from, to] fired on time. */
export function onTime(all: number[], from: number, to: number): ExpectedRun[] {
  return all.filter((s) => s > from && s <= to).map((slot) => ({ trigger: 'schedule', slot, startedAt: slot }));
}
