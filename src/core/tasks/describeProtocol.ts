// The messages between the host's options reader (readOptions.ts) and the child that loads task
// files (src/runner/describe.ts). Plain data; it crosses the IPC channel as JSON.

import { TASK_FILE_CODE_KEYS } from '../config/keys';

/** Options that may be functions; every other option must be plain data. */
export const FUNCTION_OPTIONS = TASK_FILE_CODE_KEYS;

/** What the child learnt from one task file. */
export interface DescribeResult {
  /** The exported options without their functions, as JSON-safe data; undefined when loading failed. */
  options?: Record<string, unknown>;
  /** Which options are functions (`run` included), in {@link FUNCTION_OPTIONS} order, then any others. */
  hooks: string[];
  /** Why the options could not be read: the import threw or hung, or nothing usable is exported. */
  error?: string;
  /** Where the import threw, from the stack (source-mapped back to the task's sources) when it names one. */
  errorAt?: { file: string; line: number; column: number };
}

/** host → child */
export interface DescribeRequest {
  type: 'describe';
  /** Absolute paths of compiled task files. */
  files: string[];
}

/** child → host. `start` comes before loading files[index], so a file that hangs can be named. */
export type DescribeMessage =
  | { type: 'start'; index: number }
  | { type: 'result'; index: number; result: DescribeResult }
  | { type: 'done' };
