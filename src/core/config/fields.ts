// Readers for one value each: return it normalised, or report why not and return undefined.
// Shared by the task-option validator and the top level of `.scheduler.yaml`.

import { DURATION_FORM, parseDuration } from '../duration';
import { didYouMean } from './didYouMean';
import { describeValue, formatPath, isPlainObject, Reporter } from './report';
import { isValidTimezone } from './schedule';
import type { Path } from './types';

export function readString(r: Reporter, path: Path, value: unknown, { allowEmpty = false } = {}): string | undefined {
  if (typeof value === 'string' && (allowEmpty || value.trim() !== '')) return value;
  r.invalid(path, allowEmpty ? 'a string' : 'a non-empty string', value);
  return undefined;
}

export function readBoolean(r: Reporter, path: Path, value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  r.invalid(path, 'true or false', value);
  return undefined;
}

/** A whole number ≥ min (and ≤ max): counts, limits, clock fields. Floats and negatives are errors. */
export function readInteger(r: Reporter, path: Path, value: unknown, min: number, max = Infinity): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const range = max === Infinity ? (min === 0 ? 'a whole number ≥ 0' : `a whole number ≥ ${min}`) : `a whole number from ${min} to ${max}`;
  r.invalid(path, range, value);
  return undefined;
}

export function readEnum<T extends string>(r: Reporter, path: Path, value: unknown, allowed: readonly T[]): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const near = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
  const hint = near ? ` (did you mean "${near}"?)` : '';
  r.error(path, 'config.invalid-value', `\`${formatPath(path)}\` must be one of ${allowed.join(', ')}; got ${describeValue(value)}${hint}`);
  return undefined;
}

/**
 * Milliseconds from "30s" / "10m" / a number of ms. A bare number under a second is almost always
 * seconds meant (the seeds wrote `timeout: 300`), so it is accepted with a warning that says so.
 */
export function readDuration(r: Reporter, path: Path, value: unknown, { min = 0 } = {}): number | undefined {
  const ms = parseDuration(value);
  if (ms === undefined) {
    r.error(path, 'config.invalid-duration', `\`${formatPath(path)}\` must be ${DURATION_FORM}; got ${describeValue(value)}`);
    return undefined;
  }
  if (ms < min) {
    r.error(path, 'config.invalid-duration', `\`${formatPath(path)}\` must be longer than ${min === 1 ? '0' : `${min}ms`}; got ${describeValue(value)}`);
    return undefined;
  }
  if (typeof value === 'number' && value > 0 && value < 1000) {
    r.warning(path, 'config.duration-unit', `\`${formatPath(path)}: ${value}\` means ${value} milliseconds; write "${value}s" for seconds`);
  }
  return ms;
}

/** Every IANA zone this runtime knows, for "did you mean" (computed once, on first need). */
let knownZones: readonly string[] | undefined;
function zones(): readonly string[] {
  knownZones ??= (Intl as unknown as { supportedValuesOf?(key: string): string[] }).supportedValuesOf?.('timeZone') ?? [];
  return knownZones;
}

export function readTimezone(r: Reporter, path: Path, value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '' && isValidTimezone(value)) return value;
  const near = typeof value === 'string' ? didYouMean(value, zones()) : undefined;
  const hint = near ? ` (did you mean "${near}"?)` : '';
  r.error(path, 'config.invalid-timezone', `\`${formatPath(path)}\` must be an IANA time zone like "Europe/Berlin" or "UTC"; got ${describeValue(value)}${hint}`);
  return undefined;
}

/** One glob or a list of them → a list of non-empty strings. */
export function readStringList(r: Reporter, path: Path, value: unknown, what: string): string[] | undefined {
  if (typeof value === 'string' && value.trim() !== '') return [value];
  if (!Array.isArray(value)) {
    r.invalid(path, `${what} or a list of them`, value);
    return undefined;
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string' && item.trim() !== '') { if (!out.includes(item)) out.push(item); } else r.invalid([...path, i], what, item);
  });
  return out;
}

/** A mapping; anything else is reported with the expected form. */
export function readObject(r: Reporter, path: Path, value: unknown, expected = 'an object (key: value pairs)'): Record<string, unknown> | undefined {
  if (isPlainObject(value)) return value;
  r.invalid(path, expected, value);
  return undefined;
}
