// What each one-word option value means, for hover and completion. The keys are the model's own lists
// (a unit test checks they agree), the words are the README's.
import type { ScheduleWarningName } from '../model';
import type { ValueOption } from './targets';

export const WARNING_WORDS: Readonly<Record<ScheduleWarningName, string>> = {
  'never-fires': 'The schedule is valid but has no run in the future.',
  'far-next': 'The next run is more than a year away.',
  'dst-gap': 'A time falls in a spring-forward gap of the task\'s zone: that run happens at the end of the gap.',
  'dst-repeat': 'A time falls in a repeated autumn hour of the task\'s zone: that run happens once, the first time.',
  'day-or': 'Both day-of-month and day-of-week are restricted: cron runs on days that match either.',
  'uneven-step': 'A step does not divide its field (*/7 minutes): the gap at the top of the hour is shorter.',
  'past-once': 'A one-time date is in the past.',
  'overlap-every-second': 'Every second with overlap "allow": runs pile up.',
  herd: 'Many tasks are due in the same second.',
  'dependency-never-runs': 'A task this one depends on never runs, so it never starts this one.',
};

export const VALUE_WORDS: Readonly<Record<ValueOption, Readonly<Record<string, string>>>> = {
  overlap: {
    skip: 'A run due while the last one still runs is skipped (the default).',
    queue: 'It waits (one at most) and starts when the last one ends.',
    allow: 'It starts beside the one still running.',
    replace: 'The running one is cancelled and the new one starts.',
  },
  catchUp: {
    skip: 'Runs missed while the editor was closed or the machine asleep are recorded as missed.',
    latest: 'The newest missed run happens once, late; older ones are recorded as missed (the default).',
    all: 'Every missed run within `catchUpWindow` happens, oldest first.',
  },
  priority: {
    critical: 'First in the queue when more runs are due than may run at once.',
    high: 'Before normal runs in the queue.',
    normal: 'The default place in the queue.',
    low: 'After normal runs in the queue.',
    background: 'Last in the queue.',
  },
  backoff: {
    fixed: 'The same wait (`delay`) before each retry.',
    linear: '`delay` × the attempt number before each retry.',
    exponential: 'The wait doubles after each retry, up to `maxDelay` (the default).',
  },
  on: {
    success: 'Runs when that task succeeded (the default).',
    failure: 'Runs when that task failed for good (after its retries).',
    completion: 'Runs when that task finished, whatever the outcome.',
  },
  ignoreWarnings: WARNING_WORDS,
};
