// Plain-English text for cron rules: cronstrue, fed our dialect translated to its syntax, with the
// day-of-month/day-of-week wording fixed to match how they combine (cronstrue always says "and").

import { toString as cronstrue } from 'cronstrue';
import type { CronRule } from './cron';

const OPTIONS = { use24HourTimeFormat: true, throwExceptionOnParseError: true, dayOfWeekStartIndexZero: true } as const;

export function describeCron(rule: CronRule): string {
  const fields = rule.expression.split(' ');
  const dowIndex = fields.length === 5 ? 4 : 5;
  // croner writes "last Friday" as 5#L, cronstrue as 5L; `+` (AND) is ours to word.
  fields[dowIndex] = fields[dowIndex].replace(/^\+/, '').replace(/(^|,)(\d)#L/g, '$1$2L');
  let text: string;
  try {
    text = cronstrue(fields.join(' '), OPTIONS);
  } catch {
    return `Cron "${rule.expression}"`;
  }
  if (rule.bothDaysRestricted) {
    // Vixie cron fires when EITHER day field matches; with `+`, only when both do.
    text = text.replace(', and on ', rule.legacyMode ? ', or on ' : ', but only on ');
  }
  return text;
}
