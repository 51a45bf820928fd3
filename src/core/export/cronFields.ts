// A cron rule of our dialect (cron.ts `expression`, already normalised: names are numbers, `?` is `*`)
// taken apart into plain sets of values, which every export target writes in its own syntax.

export type Nth = { weekday: number; n: number | 'L' };

export interface CronFields {
  seconds: number[];
  minutes: number[];
  hours: number[];
  months: number[];
  /** Day of month: plain days, `L` (last day), `nW` / `LW` (nearest weekday, 0 = LW). */
  days: { star: boolean; values: number[]; last: boolean; nearestWeekday?: number };
  /** Day of week (0 = Sunday): plain days and `5#2` / `5#L` items. */
  weekdays: { star: boolean; values: number[]; nth: Nth[] };
  /** `+` before day-of-week: both day fields must match (else, when both are restricted, either). */
  and: boolean;
  /** The year field as [from, to, step]; undefined = every year. */
  years?: Array<[number, number, number]>;
}

const LAYOUT: Record<number, Array<'s' | 'm' | 'h' | 'dom' | 'mon' | 'dow' | 'y'>> = {
  5: ['m', 'h', 'dom', 'mon', 'dow'],
  6: ['s', 'm', 'h', 'dom', 'mon', 'dow'],
  7: ['s', 'm', 'h', 'dom', 'mon', 'dow', 'y'],
};

// Values of one plain item ("*", "*/5", "7", "7/5", "1-5", "1-5/2") within [min, max].
function ranges(item: string, min: number, max: number): [number, number, number] {
  const [range, stepText] = item.split('/');
  const step = stepText ? Number(stepText) : 1;
  if (range === '*') return [min, max, step];
  const [from, to] = range.split('-').map(Number);
  return [from, to ?? (stepText ? max : from), step];
}

function values(field: string, min: number, max: number): number[] {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const [from, to, step] = ranges(item, min, max);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

export function cronFields(expression: string): CronFields {
  const tokens = expression.trim().split(/\s+/);
  const layout = LAYOUT[tokens.length];
  if (!layout) throw new Error(`not a normalised cron expression: "${expression}"`);
  const at = (k: string) => tokens[layout.indexOf(k as never)];
  const dom = at('dom');
  let dow = at('dow');
  const and = dow.startsWith('+');
  if (and) dow = dow.slice(1);

  const days: CronFields['days'] = { star: dom === '*', values: [], last: false };
  const w = /^(\d+|L)W$/.exec(dom);
  if (w) days.nearestWeekday = w[1] === 'L' ? 0 : Number(w[1]);
  else {
    const plain = dom.split(',').filter((item) => item !== 'L');
    days.last = plain.length < dom.split(',').length;
    days.values = plain.length ? values(plain.join(','), 1, 31) : [];
  }

  const weekdays: CronFields['weekdays'] = { star: dow === '*', values: [], nth: [] };
  const plainDays: string[] = [];
  for (const item of dow.split(',')) {
    const nth = /^(\d+)(?:-(\d+))?#(\d|L)$/.exec(item);
    if (!nth) { plainDays.push(item); continue; }
    const from = Number(nth[1]);
    const to = nth[2] === undefined ? from : Number(nth[2]);
    for (let d = from; d <= to; d++) weekdays.nth.push({ weekday: d % 7, n: nth[3] === 'L' ? 'L' : Number(nth[3]) });
  }
  if (plainDays.length) weekdays.values = [...new Set(values(plainDays.join(','), 0, 6).map((d) => d % 7))].sort((a, b) => a - b);

  const year = layout.includes('y') ? at('y') : '*';
  return {
    seconds: layout.includes('s') ? values(at('s'), 0, 59) : [0],
    minutes: values(at('m'), 0, 59),
    hours: values(at('h'), 0, 23),
    months: values(at('mon'), 1, 12),
    days,
    weekdays,
    and,
    years: year === '*' ? undefined : year.split(',').map((item) => ranges(item, 1970, 2999)),
  };
}

/** Every value of [min, max]? */
export function isAll(list: number[], min: number, max: number): boolean {
  return list.length === max - min + 1;
}

/**
 * A list written compactly in a syntax given by `range(a, b)` and `step(a, s)` (a, a+s, … to the end of
 * the field): a step when the values are one, else runs of 3 or more as ranges, the rest one by one.
 */
export function compress(
  list: number[], max: number, range: (a: number, b: number) => string, step: ((a: number, s: number) => string) | undefined, one: (a: number) => string = String,
): string {
  if (step && list.length >= 3) {
    const s = list[1] - list[0];
    if (s > 1 && list.every((v, i) => v === list[0] + i * s) && list[list.length - 1] + s > max) return step(list[0], s);
  }
  const parts: string[] = [];
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    if (j - i >= 2) { parts.push(range(list[i], list[j])); i = j + 1; } else { parts.push(one(list[i])); i++; }
  }
  return parts.join(',');
}
