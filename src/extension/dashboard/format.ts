// Words for times and durations on the dashboard ("in 4 min", "2 h ago", "1.2 s"). Pure, so the webview
// script and the unit tests share them; absolute times are left to the browser's locale.

import * as words from '../timeWords';

/** Within a few seconds either way is "now": the page's refresh cadence cannot be more precise than that. */
const NOW_WITHIN_MS = 5 * words.SECOND;

/** "in 4 min" / "4 min ago" / "now": coarse on purpose, the exact time is in the tooltip. */
export function relativeTime(at: number, now: number): string {
  return words.relativeTime(at, now, NOW_WITHIN_MS);
}

export const duration = words.formatDuration;

/** "97 %" with one decimal only where it matters (99.5 % is not 100 %). */
export function percent(rate: number): string {
  const p = rate * 100;
  return `${p > 99 && p < 100 ? words.roundTo(p, 1) : Math.round(p)} %`;
}

/** At most `max` characters, with an ellipsis when cut (for SVG text, which CSS cannot ellipsise). */
export function ellipsize(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
