// The one seam between config validation and the schedule language (src/core/schedule): the
// validator needs only "is this schedule valid, and if not where and why" and "is this a zone".

export { isValidTimezone, parseSchedule, type ScheduleError } from '../schedule';
