// Times, durations and outcomes as the views write them ("in 4 min", "✓ 2 min ago", "1.2 s"). No
// `vscode` import: plain mocha tests it (test/unit/extension.format.test.ts).
import type { RunStatus } from '../core/model';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "in 4 min", "2 min ago", "in 30 s", "in 3 h", "in 2 d", or "now" within a second. */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  const span = Math.abs(delta);
  if (span < SECOND) return 'now';
  const text = spanText(span);
  return delta > 0 ? `in ${text}` : `${text} ago`;
}

/** The compact form for the status bar: "4m", "30s", "3h", "2d". */
export function shortSpan(at: number, now: number): string {
  const span = Math.max(0, at - now);
  if (span < MINUTE) return `${Math.max(1, Math.round(span / SECOND))}s`;
  if (span < HOUR) return `${Math.round(span / MINUTE)}m`;
  if (span < DAY) return `${Math.round(span / HOUR)}h`;
  return `${Math.round(span / DAY)}d`;
}

function spanText(span: number): string {
  // Rounding down below a minute reads oddly ("in 0 min"); seconds are shown up to a minute.
  if (span < MINUTE) return `${Math.round(span / SECOND)} s`;
  if (span < HOUR) return `${Math.round(span / MINUTE)} min`;
  if (span < DAY) return `${roundTo(span / HOUR, span < 10 * HOUR ? 1 : 0)} h`;
  return `${roundTo(span / DAY, span < 10 * DAY ? 1 : 0)} d`;
}

function roundTo(n: number, digits: number): string {
  const text = n.toFixed(digits);
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** "850 ms", "1.2 s", "3 min 4 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${roundTo(ms / SECOND, ms < 10 * SECOND ? 1 : 0)} s`;
  if (ms < HOUR) {
    const s = Math.round((ms % MINUTE) / SECOND);
    return s ? `${Math.floor(ms / MINUTE)} min ${s} s` : `${Math.floor(ms / MINUTE)} min`;
  }
  const m = Math.round((ms % HOUR) / MINUTE);
  return m ? `${Math.floor(ms / HOUR)} h ${m} min` : `${Math.floor(ms / HOUR)} h`;
}

/** One character per outcome, for the description ("✓ 2 min ago") and pick lists. */
export const STATUS_GLYPHS: Record<RunStatus, string> = {
  queued: '…',
  running: '▶',
  succeeded: '✓',
  failed: '✗',
  'timed-out': '⧖',
  cancelled: '⊘',
  skipped: '↷',
  interrupted: '⚠',
  missed: '∅',
};

/** "✓ 2 min ago" / "✗ 1 h ago"; "✓" alone when the run has no end time. */
export function lastResultText(last: { status: RunStatus; endedAt?: number } | undefined, now: number): string | undefined {
  if (!last) return undefined;
  const glyph = STATUS_GLYPHS[last.status] ?? '?';
  return last.endedAt === undefined ? `${glyph} ${last.status}` : `${glyph} ${relativeTime(last.endedAt, now)}`;
}

/** The first line of a (possibly multi-line, possibly huge) text, cut to `max` characters. */
export function firstLine(text: string, max = 200): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Text a task controls, made safe for the places VS Code reads syntax in plain strings: notification
 * messages turn `[label](command:…)` into a clickable link, and status-bar texts, quick picks and
 * CodeLens titles turn `$(name)` into an icon. A zero-width space breaks both without changing what
 * a person reads.
 */
export function plainText(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(').replace(/\$\(/g, '$\u200b(');
}
