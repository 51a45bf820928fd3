// Words for times and durations on the dashboard ("in 4 min", "2 h ago", "1.2 s"). Pure, so the webview
// script and the unit tests share them; absolute times are left to the browser's locale.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "in 4 min" / "4 min ago" / "now": coarse on purpose, the exact time is in the tooltip. */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  const span = Math.abs(delta);
  // Within a few seconds either way is "now": the refresh cadence cannot be more precise than that.
  if (span < 5 * SECOND) return 'now';
  const words = span < MINUTE ? `${Math.round(span / SECOND)} s`
    : span < HOUR ? `${Math.round(span / MINUTE)} min`
      : span < DAY ? `${roundTo(span / HOUR, span < 10 * HOUR ? 1 : 0)} h`
        : `${roundTo(span / DAY, span < 10 * DAY ? 1 : 0)} d`;
  return delta > 0 ? `in ${words}` : `${words} ago`;
}

/** "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${roundTo(ms / SECOND, ms < 10 * SECOND ? 1 : 0)} s`;
  if (ms < HOUR) {
    const m = Math.floor(ms / MINUTE);
    const s = Math.round((ms % MINUTE) / SECOND);
    return s ? `${m} min ${s} s` : `${m} min`;
  }
  const h = Math.floor(ms / HOUR);
  const m = Math.round((ms % HOUR) / MINUTE);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "97 %" with one decimal only where it matters (99.5 % is not 100 %). */
export function percent(rate: number): string {
  const p = rate * 100;
  return `${p > 99 && p < 100 ? roundTo(p, 1) : Math.round(p)} %`;
}

/** At most `max` characters, with an ellipsis when cut (for SVG text, which CSS cannot ellipsise). */
export function ellipsize(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

function roundTo(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.0$/, '');
}
