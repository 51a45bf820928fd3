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
    // Vixie cron fires when EITHER day field matches; with `+`, only when both do. cronstrue joins the
    // day-of-month part (ending "of the month" or "in a month") to the day-of-week part with ", and on",
    // ", on" or just ", ".
    const joined = text.replace(/ (of the month|in a month), (?:and )?(on )?/,
      (_, end: string, on: string | undefined) => ` ${end}, ${rule.legacyMode ? 'or' : 'but only'} ${on ?? ''}`);
    text = joined !== text ? joined : `${text} (${rule.legacyMode ? 'either day condition' : 'both day conditions'})`;
  }
  return text;
}
