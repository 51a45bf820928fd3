// Collects positioned diagnostics while a validator walks a value. One instance per validation run;
// `scoped` gives a child that shares the list and speaks in paths relative to where it stands.

import type { Diagnostic, Severity } from '../model';
import { didYouMean, normalizeName } from './didYouMean';
import { FOREIGN_KEY_HINTS } from './keys';
import type { Path, PositionResolver } from './types';

/** `retries.delay`, `dependsOn[1].on` — how a path reads in a message. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

/** A value as the message quotes it: strings in quotes, containers by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `record[key]` only when the record holds it itself. Keys and ids come from users' files, and a plain
 * object answers `constructor`, `toString` or `__proto__` from Object.prototype.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** `record[key] = value` as an own property, also for `__proto__` (which assignment takes as the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

interface Where { key?: boolean; offset?: number; length?: number }

export class Reporter {
  constructor(
    readonly file: string,
    private readonly resolve: PositionResolver,
    readonly taskId?: string,
    readonly diagnostics: Diagnostic[] = [],
    private readonly prefix: Path = [],
  ) {}

  /** A reporter for the value at `path`, sharing this one's diagnostics. */
  scoped(path: Path, taskId = this.taskId): Reporter {
    return new Reporter(this.file, this.resolve, taskId, this.diagnostics, [...this.prefix, ...path]);
  }

  /** Errors reported so far (by this reporter and those sharing its diagnostics). */
  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  error(path: Path, code: string, message: string, where?: Where): void {
    this.add('error', path, code, message, where);
  }

  warning(path: Path, code: string, message: string, where?: Where): void {
    this.add('warning', path, code, message, where);
  }

  /** The message form for a value of the wrong kind: "`x` must be EXPECTED; got GOT". */
  invalid(path: Path, expected: string, got: unknown, code = 'config.invalid-value', where?: Where): void {
    this.error(path, code, `${this.name(path)} must be ${expected}; got ${describeValue(got)}`, where);
  }

  /** How a message names the value at `path`: by its path here, else by where this reporter stands. */
  name(path: Path): string {
    if (path.length) return `\`${formatPath(path)}\``;
    return this.prefix.length ? `\`${formatPath(this.prefix)}\`` : 'the file';
  }

  /**
   * Warns about each key not in `allowed` (at the key), with a hint: a key valid at another level
   * (`notHere`), a name from another scheduler, or the nearest known name, else the list of known
   * names and `orElse`. Returns the unknown keys.
   */
  unknownKeys(
    obj: Record<string, unknown>, path: Path, allowed: readonly string[], notHere: Readonly<Record<string, string>> = {}, orElse = '',
  ): string[] {
    const unknown: string[] = [];
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      unknown.push(key);
      const keyPath = [...path, key];
      const elsewhere = ownValue(notHere, key);
      if (elsewhere !== undefined) {
        this.warning(keyPath, 'config.misplaced-key', `\`${key}\` is not allowed here: ${elsewhere}`, { key: true });
        continue;
      }
      const near = didYouMean(key, allowed);
      const hint = ownValue(FOREIGN_KEY_HINTS, normalizeName(key)) ?? (near ? `did you mean \`${near}\`?` : `expected one of ${allowed.join(', ')}${orElse}`);
      this.warning(keyPath, 'config.unknown-key', `unknown key \`${key}\`: ${hint}`, { key: true });
    }
    return unknown;
  }

  private add(severity: Severity, path: Path, code: string, message: string, where?: Where): void {
    const range = this.resolve([...this.prefix, ...path], where);
    const d: Diagnostic = { file: this.file, line: range.line, column: range.column, severity, message, code };
    if (range.endLine !== undefined) d.endLine = range.endLine;
    if (range.endColumn !== undefined) d.endColumn = range.endColumn;
    if (this.taskId !== undefined) d.taskId = this.taskId;
    this.diagnostics.push(d);
  }
}
