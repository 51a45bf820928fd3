// Words and icons for run statuses and task states, in one table each, so the table, the timeline's
// tooltips and the legend say the same thing.
import type { RunStatus, TaskState } from '../../../core/model';
import type { TaskAction } from '../protocol';

export const RUN_STATUS: Record<RunStatus, { label: string; icon: string }> = {
  succeeded: { label: 'Succeeded', icon: 'pass' },
  failed: { label: 'Failed', icon: 'error' },
  'timed-out': { label: 'Timed out', icon: 'watch' },
  cancelled: { label: 'Cancelled', icon: 'circle-slash' },
  skipped: { label: 'Skipped', icon: 'debug-step-over' },
  interrupted: { label: 'Interrupted', icon: 'debug-disconnect' },
  missed: { label: 'Missed', icon: 'history' },
  running: { label: 'Running', icon: 'sync' },
  queued: { label: 'Queued', icon: 'clock' },
};

export const TASK_STATE: Record<TaskState, { label: string; icon: string }> = {
  scheduled: { label: 'Scheduled', icon: 'clock' },
  running: { label: 'Running', icon: 'sync' },
  paused: { label: 'Paused', icon: 'debug-pause' },
  'retry-scheduled': { label: 'Retry scheduled', icon: 'refresh' },
  failed: { label: 'Failed', icon: 'error' },
  disabled: { label: 'Disabled', icon: 'circle-slash' },
  invalid: { label: 'Invalid', icon: 'warning' },
};

export const ACTION: Record<TaskAction, { label: string; icon: string }> = {
  runNow: { label: 'Run Now', icon: 'play' },
  pause: { label: 'Pause', icon: 'debug-pause' },
  resume: { label: 'Resume', icon: 'debug-continue' },
  cancel: { label: 'Cancel', icon: 'debug-stop' },
  resetRetries: { label: 'Reset Retries', icon: 'discard' },
};

/** "Tue 14:05" for the viewer's locale: the exact moment behind every relative time. */
export function clock(at: number): string {
  return new Date(at).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function hourLabel(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
