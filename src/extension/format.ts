// Outcomes and texts as the views write them ("✓ 2 min ago", "4m"; times in words come from timeWords.ts).
// No `vscode` import: plain mocha tests it (test/unit/extension.views.test.ts).
import type { RunStatus } from '../core/model';
import { DAY, HOUR, MINUTE, SECOND, formatDuration, relativeTime } from './timeWords';

export { formatDuration, relativeTime };

/** The compact form for the status bar: "4m", "30s", "3h", "2d". */
export function shortSpan(at: number, now: number): string {
  const span = Math.max(0, at - now);
  if (span < MINUTE) return `${Math.max(1, Math.round(span / SECOND))}s`;
  if (span < HOUR) return `${Math.round(span / MINUTE)}m`;
  if (span < DAY) return `${Math.round(span / HOUR)}h`;
  return `${Math.round(span / DAY)}d`;
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
