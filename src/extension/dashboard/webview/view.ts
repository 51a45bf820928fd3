// What every part of the page is drawn from: the latest data, the filtered tasks, and the ways back to
// the host. main.ts builds one per render; the parts only read it.
import type { DashboardData, TaskAction, TaskRow } from '../protocol';

export interface View {
  data: DashboardData;
  /** The host's `now`, moved on by the time since it arrived (relative times stay right between updates). */
  now: number;
  /** More than one folder: rows and errors say which. */
  multiRoot: boolean;
  /** The tasks the filters let through, in the host's order. */
  tasks: TaskRow[];
  folderName(key: string): string;
  act(action: TaskAction, task: TaskRow): void;
  open(task: TaskRow): void;
  takeOver(folder: string): void;
  cluster(folder: string, op: 'join' | 'leave'): void;
}

/** A row's stable identity across updates (focus and lanes follow it). */
export function taskKey(t: Pick<TaskRow, 'folder' | 'id'>): string {
  return `${t.folder}\n${t.id}`;
}
