// Time zones without a library: UTC offsets and DST transitions of an IANA zone, read from Intl and
// cached per zone and year. The schedule code works on wall-clock time and uses these to map a wall
// time to the real instant(s) it names — none in a spring-forward gap, two in a repeated autumn hour.

import { Lru } from './lru';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Transitions of one zone within one UTC year window (start, end]: the offset in force at `start`
 * and each change after it. Real zones change offset at most a few times a year and never twice in
 * one day, so sampling once a day and bisecting between differing samples finds every transition.
 */
interface ZoneYear {
  readonly startOffset: number;
  /** Pairs [instant, offset in force from that instant on], ascending. */
  readonly changes: ReadonlyArray<readonly [number, number]>;
}

// Bounded caches shared by every schedule: formatters are costly to build (~50 µs) and a zone-year is
// ~400 formatter calls. A few hundred entries cover every zone in use over the years being planned.
const formatters = new Lru<string, Intl.DateTimeFormat>(64);
const zoneYears = new Lru<string, ZoneYear>(256);
/** Zone names as written → canonical name or null (unknown); checking one costs ~200 µs of Intl. */
const zoneNames = new Lru<string, string | null>(256);

function formatter(zone: string): Intl.DateTimeFormat {
  return formatters.getOrCreate(zone, (timeZone) => new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  }));
}

/** The canonical spelling of an IANA zone (`europe/berlin` → `Europe/Berlin`), or undefined if unknown. */
export function canonicalZone(zone: string): string | undefined {
  if (!zone || typeof zone !== 'string') return undefined;
  return zoneNames.getOrCreate(zone, (name) => {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      return null;
    }
  }) ?? undefined;
}

export function isValidTimezone(zone: string): boolean {
  return canonicalZone(zone) !== undefined;
}

/** The zone the machine runs in (what an unset `timezone` means). */
export function machineZone(): string {
  // Resolving costs ~200 µs; the answer only changes with the TZ variable, so remember it per value.
  const tz = process.env.TZ ?? '';
  if (machine?.tz !== tz) machine = { tz, zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' };
  return machine.zone;
}
let machine: { tz: string; zone: string } | undefined;

/** Every zone name Intl knows, for "did you mean". */
export function knownZones(): readonly string[] {
  return Intl.supportedValuesOf('timeZone');
}

/**
 * Offset (local − UTC, ms) straight from Intl; whole seconds, as zones are defined. One answer costs a
 * formatter call, where `offsetAt` first tabulates the zone's year: use this for a one-off look at many
 * zones (a list of all zones with their offset now).
 */
export function rawOffset(zone: string, t: number): number {
  const second = Math.floor(t / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(second)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - second;
}

/** The last zone-year asked for: most calls ask about the same one again (no key string, no map). */
let lastZoneYear: { zone: string; year: number; data: ZoneYear } | undefined;

function zoneYear(zone: string, year: number): ZoneYear {
  if (lastZoneYear && lastZoneYear.zone === zone && lastZoneYear.year === year) return lastZoneYear.data;
  const data = computeZoneYear(zone, year);
  lastZoneYear = { zone, year, data };
  return data;
}

function computeZoneYear(zone: string, year: number): ZoneYear {
  return zoneYears.getOrCreate(`${zone}\u0000${year}`, () => {
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    const startOffset = rawOffset(zone, start);
    const changes: Array<readonly [number, number]> = [];
    let before = start;
    let offset = startOffset;
    for (let sample = Math.min(start + DAY, end); ; sample = Math.min(sample + DAY, end)) {
      const next = rawOffset(zone, sample);
      if (next !== offset) {
        // Bisect (before, sample] down to the second where the new offset starts.
        let lo = before;
        let hi = sample;
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (rawOffset(zone, mid) === offset) lo = mid; else hi = mid;
        }
        changes.push([hi, next]);
        offset = next;
      }
      if (sample === end) break;
      before = sample;
    }
    return { startOffset, changes };
  });
}

/** Local time minus UTC, in ms, at instant t. */
export function offsetAt(zone: string, t: number): number {
  const data = zoneYear(zone, new Date(t).getUTCFullYear());
  let offset = data.startOffset;
  for (const [at, after] of data.changes) {
    if (at > t) break;
    offset = after;
  }
  return offset;
}

/** The first offset change in (after, until], if any. */
export function nextTransition(zone: string, after: number, until: number): number | undefined {
  const last = new Date(until).getUTCFullYear();
  for (let year = new Date(after).getUTCFullYear(); year <= last; year++) {
    for (const [at] of zoneYear(zone, year).changes) {
      if (at > until) return undefined;
      if (at > after) return at;
    }
  }
  return undefined;
}

/** The last offset change in (since, at], with the offset that was in force before it. */
export function lastTransition(zone: string, at: number, since: number): { at: number; offsetBefore: number } | undefined {
  const first = new Date(since).getUTCFullYear();
  for (let year = new Date(at).getUTCFullYear(); year >= first; year--) {
    const data = zoneYear(zone, year);
    for (let i = data.changes.length - 1; i >= 0; i--) {
      const change = data.changes[i][0];
      if (change <= since) return undefined;
      if (change <= at) return { at: change, offsetBefore: i > 0 ? data.changes[i - 1][1] : data.startOffset };
    }
  }
  return undefined;
}

/** Local wall time of instant t, as "floating" epoch ms (the wall fields read back with getUTC*). */
export function wallOf(zone: string, t: number): number {
  return t + offsetAt(zone, t);
}

/**
 * The instant a local wall time names, by the same rule as recurring schedules: inside a
 * spring-forward gap, the first instant after the gap; inside a repeated autumn hour, the first
 * occurrence.
 */
export function instantOfWall(zone: string, wall: number): number {
  // Offsets a day either side bracket any single transition near `wall`.
  const early = offsetAt(zone, wall - DAY);
  const late = offsetAt(zone, wall + DAY);
  const candidates = [wall - early, wall - late].filter((t) => wallOf(zone, t) === wall).sort((a, b) => a - b);
  if (candidates.length) return candidates[0];
  // In a gap: the wall time was skipped; the transition is the first instant after it.
  return nextTransition(zone, wall - late - HOUR, wall - early + HOUR) ?? wall - early;
}

/** Short zone name for people: `EDT`, `CET`, or `UTC+05:30` where the zone has no common abbreviation. */
export function zoneAbbreviation(zone: string, t: number): string {
  for (const locale of ['en-US', 'en-GB']) {
    const name = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
      .formatToParts(t).find((p) => p.type === 'timeZoneName')?.value;
    if (name && !/^(GMT|UTC)[+-]/.test(name)) return name;
  }
  const offset = offsetAt(zone, t);
  const abs = Math.abs(offset) / 60_000;
  return `UTC${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
