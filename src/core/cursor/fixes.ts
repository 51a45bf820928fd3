// Text edits behind the quick fixes of schedule warnings: replace a value where it is written (keeping
// its quotes), and add a warning's name to the task's `ignoreWarnings` — in a task file or in
// `.scheduler.yaml`, block or flow style, whether the list exists yet or not.
import type { Path, SourceRange } from '../config/types';
import type { ScheduleWarningName } from '../model';
import type { StaticWorkspace, WrittenAt } from './staticWorkspace';

export interface TextEdit {
  file: string;
  /** 1-based, end exclusive (like Diagnostic). */
  range: SourceRange;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The fix most people want (VS Code offers it first, and on Ctrl+. with auto-fix). */
  preferred?: boolean;
}

/** Line starts of a text, for offsets ↔ 1-based line/column. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function offsetOf(text: string, line: number, column: number): number {
  const starts = lineStarts(text);
  return (starts[line - 1] ?? text.length) + column - 1;
}

function rangeAt(text: string, start: number, end: number): SourceRange {
  const starts = lineStarts(text);
  const pos = (offset: number) => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    return { line: line + 1, column: offset - starts[line] + 1 };
  };
  const a = pos(start);
  const b = pos(end);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** Offsets of the value written at `path` (quotes included), or undefined when it is not written there. */
export function valueOffsets(ws: StaticWorkspace, at: WrittenAt, path: Path = at.path): { start: number; end: number; text: string } | undefined {
  const text = ws.texts.get(at.file);
  if (text === undefined) return undefined;
  const r = ws.resolver(at.file)(path);
  if (r.endLine === undefined || r.endColumn === undefined) return undefined;
  const start = offsetOf(text, r.line, r.column);
  const end = offsetOf(text, r.endLine, r.endColumn);
  return end > start ? { start, end, text } : undefined;
}

/** The string `value` written in the same style as `written` (its quote, or double quotes in YAML). */
export function quoteLike(written: string, value: string, kind: WrittenAt['kind']): string {
  const q = written[0];
  if (q === "'" && kind === 'yaml') return `'${value.replace(/'/g, "''")}'`;
  if (q === "'" || q === '`') return `${q}${value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`)}${q}`;
  return JSON.stringify(value);
}

/** Replaces the string value at `path` with `value`, in its own quotes. */
export function replaceString(ws: StaticWorkspace, at: WrittenAt, path: Path, value: string, title: string, preferred = false): QuickFix | undefined {
  const found = valueOffsets(ws, at, path);
  if (!found) return undefined;
  const written = found.text.slice(found.start, found.end);
  return { title, preferred, edits: [{ file: at.file, range: rangeAt(found.text, found.start, found.end), newText: quoteLike(written, value, at.kind) }] };
}

/**
 * Adds `name` to the `ignoreWarnings` of the options object that holds `anchor` (the option the warning
 * points at): into the list when there is one, else as a new key right before the anchor's key.
 */
export function silenceFix(ws: StaticWorkspace, anchor: WrittenAt, name: ScheduleWarningName, taskId: string): QuickFix | undefined {
  const text = ws.texts.get(anchor.file);
  if (text === undefined) return undefined;
  const title = `Don't warn about "${name}" for ${taskId}`;
  const parent = anchor.path.slice(0, -1);
  const yaml = anchor.kind === 'yaml';
  const item = yaml ? name : JSON.stringify(name);
  const existing = valueOffsets(ws, anchor, [...parent, 'ignoreWarnings']);
  const keyRange = ws.resolver(anchor.file)([...parent, 'ignoreWarnings'], { key: true });
  const hasKey = existing && offsetOf(text, keyRange.line, keyRange.column) < existing.start
    && /^["']?ignoreWarnings/.test(text.slice(offsetOf(text, keyRange.line, keyRange.column)));
  if (existing && hasKey) {
    const written = text.slice(existing.start, existing.end).trim();
    const items = parseListText(written);
    if (items.includes(name)) return undefined;
    const list = [...items.map((i) => (yaml ? i : JSON.stringify(i))), item].join(', ');
    return { title, edits: [{ file: anchor.file, range: rangeAt(text, existing.start, existing.end), newText: `[${list}]` }] };
  }
  const key = ws.resolver(anchor.file)(anchor.path, { key: true });
  const keyStart = offsetOf(text, key.line, key.column);
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const before = text.slice(lineStart, keyStart);
  const entry = `ignoreWarnings: [${item}]`;
  // First on its line (block style): a line of its own above, same indent. Otherwise inline, before the key.
  const newText = /^\s*$/.test(before) ? `${entry}${yaml ? '' : ','}\n${before}` : `${entry}, `;
  const at = rangeAt(text, keyStart, keyStart);
  return { title, edits: [{ file: anchor.file, range: at, newText }] };
}

/** The names in a written list (`["herd", "dst-gap"]`, `[herd]`, `herd`, a YAML block list). */
function parseListText(written: string): string[] {
  return written.replace(/^\[|\]$/g, '').split(/[,\n]/).map((s) => s.replace(/^\s*-\s*/, '').trim().replace(/^["'`]|["'`]$/g, '')).filter(Boolean);
}
