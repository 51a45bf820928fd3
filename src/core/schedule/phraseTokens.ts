// The words, numbers and times a schedule phrase is made of ("daily at 9:30pm" → word, word, time).
import { fail, type Failure } from './errors';

export const PHRASE_FORMS = '"every N seconds|minutes|hours", "hourly [at :MM]", "daily [at HH:MM]", '
  + '"twice daily at HH:MM and HH:MM", "weekdays at HH:MM", "weekends at HH:MM", "weekly on monday [at HH:MM]", '
  + '"monthly on 15|last day [at HH:MM]", "quarterly", "yearly", "once at YYYY-MM-DD HH:MM", "now", "manual"';

export interface Token {
  kind: 'word' | 'number' | 'time' | 'minute' | 'ordinal' | 'punct';
  text: string;
  at: number;
  value: number;
  /** time: hour, minute, second; meridiem when written with am/pm. */
  time?: { hour: number; minute: number; second: number; meridiem?: 'a' | 'p' };
}

const TOKEN = /\s*(?:(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2}))?(?:\s*([ap])\.?m\b\.?)?|:(\d{2})|(\d+)(?:st|nd|rd|th)\b|(\d{1,2})\s*([ap])\.?m\b\.?|(\d+)|([a-z]+)|([,&]))/iy;

/** The tokens, or the first character no token starts with (and the tokens before it). */
export function tokenize(text: string, offset: number): Token[] | (Failure & { before: Token[] }) {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) {
      const at = pos + (text.slice(pos).length - text.slice(pos).trimStart().length);
      return { ...fail(`unexpected "${text[at]}" at column ${offset + at + 1}: expected words, numbers and times like 09:30`, offset + at, 1, PHRASE_FORMS), before: tokens };
    }
    const start = pos + (m[0].length - m[0].trimStart().length);
    const base = { text: m[0].trim(), at: offset + start, value: NaN };
    if (m[1] !== undefined) {
      tokens.push({ ...base, kind: 'time', time: { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3] ?? 0), meridiem: m[4]?.toLowerCase() as 'a' | 'p' | undefined } });
    } else if (m[5] !== undefined) tokens.push({ ...base, kind: 'minute', value: Number(m[5]) });
    else if (m[6] !== undefined) tokens.push({ ...base, kind: 'ordinal', value: Number(m[6]) });
    else if (m[7] !== undefined) tokens.push({ ...base, kind: 'time', time: { hour: Number(m[7]), minute: 0, second: 0, meridiem: m[8].toLowerCase() as 'a' | 'p' } });
    else if (m[9] !== undefined) tokens.push({ ...base, kind: 'number', value: Number(m[9]) });
    else if (m[10] !== undefined) tokens.push({ ...base, kind: 'word', text: m[10].toLowerCase() });
    else tokens.push({ ...base, kind: 'punct' });
    pos = TOKEN.lastIndex;
  }
  return tokens;
}
