// Times and durations in words ("in 4 min", "2 h ago", "1.2 s"), one implementation for the tree,
// status bar, CodeLens, pick lists and the dashboard page. No imports at all: the dashboard's browser
// script compiles it too (src/extension/dashboard/webview/tsconfig.json).

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * "in 4 min", "2 min ago", "in 30 s", "in 1.5 h", "in 3 d"; "now" when closer than `nowWithinMs` (a view
 * refreshed every few seconds cannot honestly say more than that).
 */
export function relativeTime(at: number, now: number, nowWithinMs = SECOND): string {
  const delta = at - now;
  const span = Math.abs(delta);
  if (span < nowWithinMs) return 'now';
  // Rounding down below a minute reads oddly ("in 0 min"); seconds are shown up to a minute.
  const words = span < MINUTE ? `${Math.round(span / SECOND)} s`
    : span < HOUR ? `${Math.round(span / MINUTE)} min`
      : span < DAY ? `${roundTo(span / HOUR, span < 10 * HOUR ? 1 : 0)} h`
        : `${roundTo(span / DAY, span < 10 * DAY ? 1 : 0)} d`;
  return delta > 0 ? `in ${words}` : `${words} ago`;
}

/** "850 ms", "1.2 s", "3 min 4 s", "2 h 5 min"; "—" for what is not a duration. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${roundTo(ms / SECOND, ms < 10 * SECOND ? 1 : 0)} s`;
  if (ms < HOUR) {
    const s = Math.round((ms % MINUTE) / SECOND);
    return s ? `${Math.floor(ms / MINUTE)} min ${s} s` : `${Math.floor(ms / MINUTE)} min`;
  }
  const m = Math.round((ms % HOUR) / MINUTE);
  return m ? `${Math.floor(ms / HOUR)} h ${m} min` : `${Math.floor(ms / HOUR)} h`;
}

/** `n` with `digits` decimals, without a trailing ".0". */
export function roundTo(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.0$/, '');
}
