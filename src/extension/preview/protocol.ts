// Messages between the Preview Schedules webview and the host, one union per direction, checked on
// arrival by both sides. Types and pure checks only: the page script bundles this file for the browser.
import type { PreviewModel, PreviewRange } from '../../core/cursor/previewModel';

export type { PreviewModel, PreviewRange };

export interface PreviewRequestData {
  range: PreviewRange;
  /** `YYYY-MM-DD` in `zone`. */
  start: string;
  zone: string;
}

/** What the page draws. Rows and herd members are named by task key (taskKey: folder and id). */
export interface PreviewView {
  request: PreviewRequestData;
  model?: PreviewModel;
  /** Why nothing is drawn (a bad zone or date), in words. */
  error?: string;
  /** Zones worth offering: the machine's, UTC, and those the tasks use. */
  zones: string[];
  /** The task (key) to bring into view and mark (from a hover's Preview link). */
  focus?: string;
  /** The id to show for each task key (with its folder's name when several folders are open). */
  ids: Record<string, string>;
}

export type HostMessage =
  | { type: 'view'; view: PreviewView }
  | { type: 'explanation'; key: string; at: number; title: string; lines: string[] }
  | { type: 'explainError'; key: string; at: number; message: string };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'request'; request: PreviewRequestData }
  | { type: 'explain'; key: string; at: number };

/** A date, a zone or a task key longer than this is not one. */
const MAX_TEXT = 4096;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;

export function parseRequest(raw: unknown): PreviewRequestData | undefined {
  if (!isObj(raw) || !isText(raw.start) || !isText(raw.zone)) return undefined;
  if (raw.range !== 'day' && raw.range !== 'week' && raw.range !== 'month') return undefined;
  return { range: raw.range, start: raw.start, zone: raw.zone };
}

export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isObj(raw)) return undefined;
  switch (raw.type) {
    case 'ready': return { type: 'ready' };
    case 'request': {
      const request = parseRequest(raw.request);
      return request && { type: 'request', request };
    }
    case 'explain':
      return isText(raw.key) && typeof raw.at === 'number' && Number.isFinite(raw.at) ? { type: 'explain', key: raw.key, at: raw.at } : undefined;
    default: return undefined;
  }
}

export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isObj(raw)) return undefined;
  switch (raw.type) {
    case 'view': {
      const v = raw.view;
      if (!isObj(v) || !parseRequest(v.request) || !Array.isArray(v.zones) || !isObj(v.ids)) return undefined;
      if (v.model !== undefined && !(isObj(v.model) && Array.isArray(v.model.rows) && Array.isArray(v.model.days) && Array.isArray(v.model.dstChanges))) return undefined;
      return { type: 'view', view: v as unknown as PreviewView };
    }
    case 'explanation':
      if (!isText(raw.key) || typeof raw.at !== 'number' || typeof raw.title !== 'string' || !Array.isArray(raw.lines)) return undefined;
      return { type: 'explanation', key: raw.key, at: raw.at, title: raw.title, lines: raw.lines.filter((l): l is string => typeof l === 'string') };
    case 'explainError':
      return isText(raw.key) && typeof raw.at === 'number' && typeof raw.message === 'string' ? { type: 'explainError', key: raw.key, at: raw.at, message: raw.message } : undefined;
    default: return undefined;
  }
}

/** The key of a task in the preview: its folder and id (ids repeat across folders). */
export function taskKey(folder: string, id: string): string {
  return `${folder}\u0000${id}`;
}
