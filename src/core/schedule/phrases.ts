// Plain-English schedules ("every 5 minutes", "daily at 09:30", "weekly on monday at 09:00", …),
// compiled to a cron expression in our dialect plus a description. Case-insensitive; spaces are free.
//
// Decisions (each is tested in test/unit/schedule-phrases.test.ts):
//   - "every N seconds|minutes|hours" is aligned to the clock (every 5 minutes = :00, :05, :10 …; every
//     2 hours = 00:00, 02:00 …). N must divide the next unit evenly (minutes: 1 2 3 4 5 6 10 12 15 20 30;
//     hours: 1 2 3 4 6 8 12), otherwise the runs could not stay on clock boundaries and the gap at the
//     top of each hour/day would surprise; such N is rejected with the cron spelling that restarts the
//     count each hour, for users who want exactly that. Multiples of the next unit are accepted
//     ("every 120 minutes" = every 2 hours).
//   - Defaults follow cron's nicknames and Laravel (seed 003): daily/weekly/monthly/quarterly/yearly at
//     00:00; weekly alone = Sunday (as @weekly), monthly = the 1st, quarterly = Jan/Apr/Jul/Oct 1st,
//     yearly = January 1st; "twice daily" alone = 01:00 and 13:00 (Laravel's twiceDaily()).
//   - Several times in one phrase must form a grid (same minutes for every hour), since they compile to
//     one cron expression; otherwise the error suggests a list of schedules.

import { closest, fail, Failure, isFailure } from './errors';
import { everyInterval, type IntervalUnit } from './intervals';
import { PHRASE_FORMS, tokenize, type Token } from './phraseTokens';
import { clock, DAY_NAMES, joinAnd, MONTH_NAMES } from './time-text';

export { PHRASE_FORMS };

export interface Phrase {
  /** Cron expression in our dialect (see cron.ts). */
  readonly expression: string;
  readonly description: string;
}
export type PhraseResult = { ok: true; phrase: Phrase } | Failure;

const KEYWORDS = ['every', 'hourly', 'daily', 'twice', 'weekdays', 'weekends', 'weekly', 'monthly', 'quarterly', 'yearly', 'annually', 'once', 'now', 'manual'];

// Word tables have no prototype: a word like "constructor" or "toString" must be unknown, not Object's.
const UNITS: Record<string, 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'> = Object.assign(Object.create(null), {
  s: 'second', sec: 'second', secs: 'second', second: 'second', seconds: 'second',
  m: 'minute', min: 'minute', mins: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hr: 'hour', hrs: 'hour', hour: 'hour', hours: 'hour',
  d: 'day', day: 'day', days: 'day', week: 'week', weeks: 'week', month: 'month', months: 'month', year: 'year', years: 'year',
});

const DAY_WORDS: Record<string, number> = Object.create(null);
DAY_NAMES.forEach((name, i) => {
  const lower = name.toLowerCase();
  for (const w of [lower, `${lower}s`, lower.slice(0, 3)]) DAY_WORDS[w] = i;
});
Object.assign(DAY_WORDS, { tues: 2, weds: 3, thur: 4, thurs: 4 });

const MONTH_WORDS: Record<string, number> = Object.create(null);
MONTH_NAMES.forEach((name, i) => {
  MONTH_WORDS[name.toLowerCase()] = i + 1;
  MONTH_WORDS[name.slice(0, 3).toLowerCase()] = i + 1;
});

const TIME_FORM = 'a time like 09:30, 9:30pm, 21:30, 9am, noon or midnight';
const DAY_FORM = 'a day like monday or mon (several joined with "and" or ",")';
const DOM_FORM = 'a day of the month like 15, 15th or "last day"';

// ---- Parser ----------------------------------------------------------------------------------

type Time = readonly [hour: number, minute: number, second: number];

class PhraseParser {
  private pos = 0;

  constructor(private readonly tokens: Token[], private readonly source: string, private readonly end: number) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private word(...words: string[]): Token | undefined {
    const t = this.peek();
    if (t && t.kind === 'word' && words.includes(t.text)) { this.pos++; return t; }
    return undefined;
  }

  private here(): number {
    return this.peek()?.at ?? this.end;
  }

  /** An error at the current token (or at the end when the phrase stops too early). */
  private error(what: string, expected: string): Failure {
    const t = this.peek();
    const found = t ? `"${t.text}"` : 'the end';
    return fail(`${what} at column ${this.here() + 1}: expected ${expected}, found ${found}`, this.here(), t ? t.text.length : 0, expected);
  }

  parse(): PhraseResult {
    const first = this.peek();
    if (!first) return fail('empty schedule at column 1', 0, 0, PHRASE_FORMS);
    if (first.kind !== 'word') return this.unknown(first);
    this.pos++;
    let result: Phrase | Failure;
    switch (first.text) {
      case 'every': result = this.every(); break;
      case 'hourly': result = this.hourly(); break;
      case 'daily': result = this.atTimes('*', '*', '*', (t) => `Daily at ${t}`); break;
      case 'twice': result = this.twiceDaily(); break;
      case 'weekday': case 'weekdays': result = this.atTimes('*', '*', '1-5', (t) => `Weekdays (Monday to Friday) at ${t}`); break;
      case 'weekend': case 'weekends': result = this.atTimes('*', '*', '0,6', (t) => `Weekends (Saturday and Sunday) at ${t}`); break;
      case 'weekly': result = this.weekly(); break;
      case 'monthly': result = this.monthly('*', 'Monthly'); break;
      case 'quarterly': result = this.monthly('1,4,7,10', 'Quarterly (January, April, July, October)'); break;
      case 'yearly': case 'annually': result = this.yearly(); break;
      default:
        if (first.text in DAY_WORDS) { this.pos--; result = this.days(); break; }
        return this.unknown(first);
    }
    if ('ok' in result) return result;
    if (this.pos < this.tokens.length) return this.error('unexpected words', 'the end of the schedule (or "at HH:MM")');
    return { ok: true, phrase: result };
  }

  /** The error for a first word no phrase starts with, if that is what it is. */
  unknownFirstWord(): Failure | undefined {
    const first = this.peek();
    if (first?.kind !== 'word' || KEYWORDS.includes(first.text) || first.text === 'weekday' || first.text === 'weekend' || first.text in DAY_WORDS) return undefined;
    return this.unknown(first);
  }

  /** The first word is no phrase we know: say what was expected, with a did-you-mean when close. */
  private unknown(first: Token): Failure {
    let suggestion: string | undefined;
    if (first.kind === 'word') {
      const word = closest(first.text, KEYWORDS) ?? (first.text in UNITS ? undefined : closest(first.text, Object.keys(DAY_WORDS)));
      if (word) suggestion = this.source.slice(0, first.at) + word + this.source.slice(first.at + first.text.length);
    } else if (first.kind === 'number' && this.tokens[1]?.kind === 'word' && this.tokens[1].text in UNITS) {
      suggestion = `${this.source.slice(0, first.at)}every ${this.source.slice(first.at)}`;
    } else if (first.kind === 'time') {
      suggestion = `daily at ${first.text}`;
    }
    const hint = suggestion ? ` (did you mean "${suggestion.trim()}"?)` : '';
    return fail(`unknown phrase "${this.source.trim()}" at column ${first.at + 1}${hint}: expected ${PHRASE_FORMS}, or a cron expression like "0 9 * * 1-5"`,
      first.at, first.text.length, `${PHRASE_FORMS}, or a cron expression`);
  }

  private every(): Phrase | Failure {
    const t = this.peek();
    if (t?.kind === 'number') {
      this.pos++;
      const unitToken = this.peek();
      const unit = unitToken?.kind === 'word' ? UNITS[unitToken.text] : undefined;
      if (!unit) {
        const guess = unitToken?.kind === 'word' ? closest(unitToken.text, ['seconds', 'minutes', 'hours']) : undefined;
        return this.error(`a unit is missing${guess ? ` (did you mean "${guess}"?)` : ''}`, '"seconds", "minutes" or "hours"');
      }
      this.pos++;
      if (unit === 'day' || unit === 'week' || unit === 'month' || unit === 'year') {
        if (t.value === 1) return this.everyCalendarUnit(unit);
        return fail(`"every ${t.value} ${unit}s" at column ${t.at + 1} cannot stay aligned to the calendar: expected "every N seconds|minutes|hours", "daily", "weekly on …", "monthly on …" or a cron expression`,
          t.at, this.here() - t.at, 'an interval in seconds, minutes or hours');
      }
      return this.interval(t, unit);
    }
    if (t?.kind === 'word') {
      const unit = UNITS[t.text];
      if (unit && t.text.length > 1) {
        this.pos++;
        if (unit === 'second' || unit === 'minute' || unit === 'hour') return this.interval({ ...t, value: 1 }, unit);
        return this.everyCalendarUnit(unit);
      }
      if (t.text === 'weekday' || t.text === 'weekdays') { this.pos++; return this.atTimes('*', '*', '1-5', (x) => `Weekdays (Monday to Friday) at ${x}`); }
      if (t.text === 'weekend' || t.text === 'weekends') { this.pos++; return this.atTimes('*', '*', '0,6', (x) => `Weekends (Saturday and Sunday) at ${x}`); }
      if (t.text in DAY_WORDS) return this.days();
    }
    const guess = t?.kind === 'word' ? closest(t.text, ['second', 'minute', 'hour', 'day', 'week', 'month', 'year', 'weekday', ...DAY_NAMES.map((d) => d.toLowerCase())]) : undefined;
    return this.error(`"every" needs an interval${guess ? ` (did you mean "every ${guess}"?)` : ''}`, 'a number and a unit ("every 5 minutes"), a unit ("every hour") or a day ("every monday")');
  }

  private everyCalendarUnit(unit: 'day' | 'week' | 'month' | 'year'): Phrase | Failure {
    if (unit === 'day') return this.atTimes('*', '*', '*', (x) => `Daily at ${x}`);
    if (unit === 'week') return this.weekly();
    if (unit === 'month') return this.monthly('*', 'Monthly');
    return this.yearly();
  }

  private interval(n: Token, unit: IntervalUnit): Phrase | Failure {
    let minute = 0;
    const at = this.peek();
    if (unit === 'hour' && this.word('at')) {
      const m = this.minuteOfHour();
      if (typeof m !== 'number') return m;
      minute = m;
    }
    const result = everyInterval(n.value, unit, minute);
    if ('problem' in result) {
      const end = at ? at.at : this.end;
      const written = this.source.slice(n.at, end).trim();
      return fail(`"every ${written}" at column ${n.at + 1} ${result.problem}`, n.at, Math.max(1, end - n.at), result.expected);
    }
    return result;
  }

  private hourly(): Phrase | Failure {
    let minute = 0;
    if (this.word('at')) {
      const m = this.minuteOfHour();
      if (typeof m !== 'number') return m;
      minute = m;
    }
    return { expression: `${minute} * * * *`, description: `Hourly at :${String(minute).padStart(2, '0')}` };
  }

  /** `:15`, `15` or `xx:15` — minutes past each hour. */
  private minuteOfHour(): number | Failure {
    const t = this.peek();
    const value = t?.kind === 'minute' || t?.kind === 'number' ? t.value : undefined;
    if (value === undefined || value > 59) return this.error('minutes past the hour are missing or out of range', 'a minute 0-59 like ":15"');
    this.pos++;
    this.word('past', 'minutes');
    return value;
  }

  private twiceDaily(): Phrase | Failure {
    if (!this.word('daily')) {
      if (!(this.word('a') && this.word('day'))) return this.error('"twice" must be followed by "daily"', '"twice daily"');
    }
    let times: Time[] = [[1, 0, 0], [13, 0, 0]];
    if (this.word('at')) {
      const at = this.here();
      const parsed = this.times();
      if (isFailure(parsed)) return parsed;
      if (parsed.length !== 2) return fail(`"twice daily" needs exactly two times at column ${at + 1}: expected "twice daily at HH:MM and HH:MM"`, at, this.here() - at, 'two times like "1:00 and 13:00"');
      times = parsed;
    }
    return this.compose(times, '*', '*', '*', (x) => `Twice daily at ${x}`);
  }

  private weekly(): Phrase | Failure {
    if (this.word('on')) return this.days();
    return this.atTimes('*', '*', '0', (x) => `Weekly on Sunday at ${x}`);
  }

  /** monday [and thursday …] [at HH:MM] */
  private days(): Phrase | Failure {
    const days: number[] = [];
    do {
      this.word('and');
      const t = this.peek();
      const day = t?.kind === 'word' ? DAY_WORDS[t.text] : undefined;
      if (day === undefined) {
        const guess = t?.kind === 'word' ? closest(t.text, DAY_NAMES.map((d) => d.toLowerCase())) : undefined;
        return this.error(`unknown day${guess ? ` (did you mean "${guess}"?)` : ''}`, DAY_FORM);
      }
      this.pos++;
      if (!days.includes(day)) days.push(day);
    } while (this.separator());
    days.sort((a, b) => a - b);
    // People read weeks Monday first; cron counts from Sunday.
    const names = joinAnd([...days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => DAY_NAMES[d]));
    return this.atTimes('*', '*', days.join(','), (x) => `Weekly on ${names} at ${x}`);
  }

  /** A list separator: ",", "&" or "and". */
  private separator(): boolean {
    const t = this.peek();
    if (t?.kind === 'punct') { this.pos++; this.word('and'); return true; }
    return Boolean(this.word('and'));
  }

  /** monthly/quarterly [on [the] 15 | 15th | last day [and …]] [of the month] [at HH:MM] */
  private monthly(months: string, label: string): Phrase | Failure {
    const days: Array<number | 'L'> = [];
    if (this.word('on')) {
      do {
        this.word('the');
        this.word('day');
        const t = this.peek();
        if (this.word('last')) { this.word('day'); if (!days.includes('L')) days.push('L'); continue; }
        if (this.word('first')) { this.word('day'); if (!days.includes(1)) days.push(1); continue; }
        if ((t?.kind === 'number' || t?.kind === 'ordinal') && t.value >= 1 && t.value <= 31) {
          this.pos++;
          if (!days.includes(t.value)) days.push(t.value);
          continue;
        }
        return this.error('unknown day of the month', DOM_FORM);
      } while (this.separator());
      if (this.word('of')) {
        this.word('the', 'each', 'every');
        if (!this.word('month')) return this.error('"of" must be followed by "the month"', '"of the month"');
      }
    }
    if (!days.length) days.push(1);
    const numbers = days.filter((d): d is number => d !== 'L').sort((a, b) => a - b);
    const hasLast = days.includes('L');
    const dom = [...numbers, ...(hasLast ? ['L'] : [])].join(',');
    const parts = [...(numbers.length ? [`${numbers.length > 1 ? 'days' : 'day'} ${joinAnd(numbers.map(String))}`] : []), ...(hasLast ? ['the last day'] : [])];
    const rare = numbers.filter((d) => d > 28);
    const note = rare.length ? ` (skipped in months without day ${joinAnd(rare.map(String))})` : '';
    return this.atTimes(dom, months, '*', (x) => `${label} on ${joinAnd(parts)} at ${x}${note}`);
  }

  /** yearly [on january 1 | on 1 january] [at HH:MM] */
  private yearly(): Phrase | Failure {
    let month = 1;
    let day = 1;
    if (this.word('on')) {
      const a = this.peek();
      const monthFirst = a?.kind === 'word';
      const monthToken = monthFirst ? a : this.tokens[this.pos + 1];
      const dayToken = monthFirst ? this.tokens[this.pos + 1] : a;
      const m = monthToken?.kind === 'word' ? MONTH_WORDS[monthToken.text] : undefined;
      if (m === undefined) {
        if (!monthFirst) this.pos++;
        const guess = this.peek()?.kind === 'word' ? closest(this.peek()!.text, Object.keys(MONTH_WORDS)) : undefined;
        return this.error(`unknown month${guess ? ` (did you mean "${guess}"?)` : ''}`, 'a month and day like "january 1" or "1 january"');
      }
      if (!dayToken || (dayToken.kind !== 'number' && dayToken.kind !== 'ordinal') || dayToken.value < 1 || dayToken.value > 31) {
        if (monthFirst) this.pos++;
        return this.error('unknown day of the month', DOM_FORM);
      }
      month = m;
      day = dayToken.value;
      this.pos += 2;
    }
    return this.atTimes(String(day), String(month), '*', (x) => `Yearly on ${MONTH_NAMES[month - 1]} ${day} at ${x}`);
  }

  /** [at TIME [and TIME …]] — midnight when absent. */
  private atTimes(dom: string, month: string, dow: string, describe: (times: string) => string): Phrase | Failure {
    let times: Time[] = [[0, 0, 0]];
    if (this.word('at')) {
      const parsed = this.times();
      if (isFailure(parsed)) return parsed;
      times = parsed;
    }
    return this.compose(times, dom, month, dow, describe);
  }

  private times(): Time[] | Failure {
    const times: Time[] = [];
    const start = this.here();
    do {
      const time = this.time();
      if (isFailure(time)) return time;
      if (!times.some((t) => t.join() === time.join())) times.push(time);
    } while (this.separator());
    times.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    // One cron expression holds a grid of hours × minutes × seconds; anything else is several schedules.
    const hours = new Set(times.map((t) => t[0]));
    const minutes = new Set(times.map((t) => t[1]));
    const seconds = new Set(times.map((t) => t[2]));
    if (hours.size * minutes.size * seconds.size !== times.length) {
      const list = times.map((t) => `"daily at ${clock(...t)}"`).join(', ');
      return fail(`times ${joinAnd(times.map((t) => clock(...t)))} at column ${start + 1} cannot share one schedule: expected times with the same minutes (like 09:00 and 17:00); write a list instead: [${list}]`,
        start, this.here() - start, 'times that share their minutes, or a list of schedules');
    }
    return times;
  }

  private time(): Time | Failure {
    const t = this.peek();
    if (this.word('noon', 'midday')) return [12, 0, 0];
    if (this.word('midnight')) return [0, 0, 0];
    if (!t || (t.kind !== 'time' && t.kind !== 'number')) return this.error('a time is missing', TIME_FORM);
    const bad = (why: string): Failure => fail(`"${t.text}" at column ${t.at + 1} is not a time: ${why}`, t.at, t.text.length, TIME_FORM);
    let hour = t.kind === 'number' ? t.value : t.time!.hour;
    const minute = t.time?.minute ?? 0;
    const second = t.time?.second ?? 0;
    const meridiem = t.time?.meridiem;
    if (meridiem) {
      if (hour < 1 || hour > 12) return bad('with am/pm the hour must be 1-12');
      hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
    }
    if (hour > 23) return bad('the hour must be 0-23');
    if (minute > 59) return bad('the minutes must be 0-59');
    if (second > 59) return bad('the seconds must be 0-59');
    this.pos++;
    return [hour, minute, second];
  }

  private compose(times: Time[], dom: string, month: string, dow: string, describe: (times: string) => string): Phrase {
    const list = (values: number[]): string => [...new Set(values)].sort((a, b) => a - b).join(',');
    const second = list(times.map((t) => t[2]));
    const fields = [list(times.map((t) => t[1])), list(times.map((t) => t[0])), dom, month, dow];
    return {
      expression: (second === '0' ? fields : [second, ...fields]).join(' '),
      description: describe(joinAnd(times.map((t) => clock(...t)))),
    };
  }
}

/** Parses a phrase found at `offset` of `source` (offsets in errors are into `source`). */
export function parsePhrase(source: string): PhraseResult {
  const tokens = tokenize(source, 0);
  if (!Array.isArray(tokens)) {
    // "onse at 2026-12-01 09:00": the unknown first word is the mistake, not the "-" after it.
    const parser = new PhraseParser(tokens.before, source, source.trimEnd().length);
    return parser.unknownFirstWord() ?? { ok: false, error: tokens.error };
  }
  return new PhraseParser(tokens, source, source.trimEnd().length).parse();
}
