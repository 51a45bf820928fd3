// Small shared text helpers for times and dates in descriptions and phrases.

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `09:30`, or `09:30:15` when the seconds matter. */
export function clock(hour: number, minute: number, second = 0): string {
  return `${pad2(hour)}:${pad2(minute)}${second ? `:${pad2(second)}` : ''}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The fields of a floating wall time (epoch ms read with getUTC*) as `YYYY-MM-DD HH:MM[:SS]`. */
export function wallText(wall: number): string {
  const d = new Date(wall);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${clock(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds())}`;
}
