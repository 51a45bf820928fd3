// Instants for people: local wall time with the zone's abbreviation, and the UTC instant beside it,
// e.g. `2026-03-08 03:00 EDT (2026-03-08T07:00:00Z)` — what the CLI's `next` prints.

import { wallText } from './time-text';
import { canonicalZone, machineZone, wallOf, zoneAbbreviation } from './zone';

export function formatInstant(ms: number, timezone?: string): string {
  const zone = timezone === undefined ? machineZone() : canonicalZone(timezone);
  if (!zone) throw new RangeError(`unknown timezone "${timezone}"`);
  const iso = new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
  return `${wallText(wallOf(zone, ms))} ${zoneAbbreviation(zone, ms)} (${iso})`;
}
