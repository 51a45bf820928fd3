// The shape of a schedule preview as the host builds it (preview.ts) and the Preview Schedules page draws
// it: plain data and no imports, so the page's browser bundle shares it.

export const PREVIEW_RANGES = ['day', 'week', 'month'] as const;
export type PreviewRange = (typeof PREVIEW_RANGES)[number];

export interface PreviewRequest {
  range: PreviewRange;
  /** First day, `YYYY-MM-DD`, in `zone` (a month starts on the 1st of its month whatever the day given). */
  start: string;
  zone: string;
}

export interface PreviewRun {
  at: number;
  /** `09:30` (with the day when the range is longer than a day), in the preview's zone. */
  label: string;
  /** Due in the same second as HERD_MIN_TASKS - 1 other tasks or more. */
  herd?: boolean;
  /** Moved by a DST change in the task's zone: out of a gap, or once in a repeated hour. */
  dst?: 'gap' | 'repeat';
}

export interface PreviewRow {
  taskId: string;
  name: string;
  folder?: string;
  words: string;
  runs: PreviewRun[];
  /** Set when the runs are too many to draw one by one: the marks are a sample across the range, and this says so. */
  dense?: string;
  /** Stretches with no run much longer than the task's usual gap. */
  longGaps: Array<{ from: number; to: number; label: string }>;
}

export interface PreviewModel {
  zone: string;
  range: PreviewRange;
  start: string;
  from: number;
  to: number;
  title: string;
  /** Each day of the range in the zone, for the axis. */
  days: Array<{ at: number; label: string }>;
  dstChanges: Array<{ at: number; label: string; forward: boolean }>;
  herds: Array<{ at: number; label: string; members: string[] }>;
  rows: PreviewRow[];
}
