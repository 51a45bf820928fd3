// Instants and offsets as the editor writes them: `Sun 2027-03-28 03:00 CEST`, `UTC+02:00`, `02:30`.
import { Lru } from '../schedule/lru';
import { clock, pad2 } from '../schedule/time-text';
import { offsetAt, wallOf, zoneAbbreviation } from '../schedule/zone';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Abbreviations by zone and offset: Intl takes ~50 µs to build the formatter each answer needs. */
const abbreviations = new Lru<string, string>(512);

export function abbreviation(zone: string, at: number): string {
  return abbreviations.getOrCreate(`${zone} ${offsetAt(zone, at)}`, () => zoneAbbreviation(zone, at));
}

/** `UTC+05:30`, `UTC-04:00`, `UTC` for zero. */
export function offsetText(offsetMs: number): string {
  if (offsetMs === 0) return 'UTC';
  const minutes = Math.abs(offsetMs) / 60_000;
  return `UTC${offsetMs < 0 ? '-' : '+'}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** `2027-03-28` of a floating wall time. */
export function dateText(wall: number): string {
  const d = new Date(wall);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** `02:30` (`02:30:15` when the seconds matter) of a floating wall time. */
export function clockText(wall: number): string {
  const d = new Date(wall);
  return clock(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/** `Sun 2027-03-28 03:00` of a floating wall time. */
export function wallDayText(wall: number): string {
  return `${WEEKDAYS[new Date(wall).getUTCDay()]} ${dateText(wall)} ${clockText(wall)}`;
}

/** `Sun 2027-03-28 03:00 CEST`: an instant in a zone. */
export function whenText(at: number, zone: string): string {
  return `${wallDayText(wallOf(zone, at))} ${abbreviation(zone, at)}`;
}

/** `03:00 CEST` (with the date when it differs from `sameDayAs`'s). */
export function shortWhenText(at: number, zone: string, sameDayAs?: number): string {
  const wall = wallOf(zone, at);
  const day = sameDayAs !== undefined && dateText(wallOf(zone, sameDayAs)) === dateText(wall);
  return `${day ? clockText(wall) : wallDayText(wall)} ${abbreviation(zone, at)}`;
}

/** "in 4 min", "in 3 h", "in 2 d", "in 1.4 years" from now. */
export function inText(at: number, now: number): string {
  const s = Math.max(0, at - now) / 1000;
  if (s < 90) return `in ${Math.round(s)} s`;
  if (s < 90 * 60) return `in ${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `in ${Math.round(s / 3600)} h`;
  if (s < 400 * 86400) return `in ${Math.round(s / 86400)} d`;
  return `in ${(s / (365.25 * 86400)).toFixed(1)} years`;
}
