// The one seam between config validation and the schedule language (src/core/schedule), so the
// validator depends on two functions, not on how schedules are parsed.
//
// Stand-in until src/core/schedule lands: timezones are checked with Intl, schedule strings are
// accepted as written. Switching over is this file only:
//   export { parseSchedule, isValidTimezone } from '../schedule';

import type { ScheduleInput } from '../model';

export interface ScheduleError {
  message: string;
  /** Where in the schedule string the problem starts (0-based) and how long it is. */
  offset: number;
  length: number;
  /** The form expected there, e.g. `a minute 0-59`. */
  expected?: string;
}

export type ScheduleCheck = { ok: true; schedule?: unknown } | { ok: false; error: ScheduleError };

export function parseSchedule(_input: ScheduleInput, _opts?: { timezone?: string }): ScheduleCheck {
  return { ok: true };
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
