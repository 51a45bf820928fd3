// Where each option is written in a task file, so an invalid option is reported at its place. The
// options are read at run time in a child process (plain data, no positions); this finds the same
// keys in the source text: the object after `defineTask(` or `export default` (or the variable
// either names), walked by a small scanner that knows strings, templates, comments and brackets.
// Best effort: an option built by code has no literal place, and then the nearest enclosing key, or
// line 1, column 1, is used.
import type { PositionResolver, SourceRange, Path } from '../config/types';

/** Where one key (or list item) and its value are written: offsets into the source. */
export interface OptionPlace { path: Path; keyStart: number; keyEnd: number; valueStart: number; valueEnd: number; isString: boolean }
type Place = OptionPlace;

/** A resolver for `validateTaskOptions` over the task file's source text (its places, when already scanned). */
export function taskFilePositions(source: string, places = scanOptions(source)): PositionResolver {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const pos = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  const range = (start: number, end: number): SourceRange => {
    const a = pos(start);
    const b = pos(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  return (path, where) => {
    for (let n = path.length; n >= 0; n--) {
      const place = places.get(pathKey(path.slice(0, n)));
      if (!place) continue;
      const exact = n === path.length;
      if (exact && where?.key && place.keyEnd > place.keyStart) return range(place.keyStart, place.keyEnd);
      if (exact && where?.offset !== undefined && place.isString) {
        // Inside the quotes; exact when the string has no escapes before the offset.
        const start = place.valueStart + 1 + where.offset;
        return range(start, start + Math.max(1, where.length ?? 1));
      }
      return range(place.valueStart, place.valueEnd);
    }
    return { line: 1, column: 1 };
  };
}

function pathKey(path: Path): string {
  return path.map(String).join('\u0000');
}

/** Path (its parts joined by NUL) → place, for every key and list item of the exported options object literal. */
export function scanOptions(source: string): Map<string, Place> {
  const places = new Map<string, Place>();
  const root = findRoot(source);
  if (root >= 0) {
    // The object itself: where "the options" as a whole are reported (e.g. a missing `run`).
    places.set(pathKey([]), { path: [], keyStart: root, keyEnd: root + 1, valueStart: root, valueEnd: root + 1, isString: false });
    new Scanner(source, places).object(root, []);
  }
  return places;
}

/** Offset of the `{` that opens the exported options, or -1. */
function findRoot(source: string): number {
  const code = maskComments(source);
  const starts = [/\bdefineTask\s*\(\s*/g, /\bexport\s+default\s+/g, /\bmodule\.exports\s*=\s*/g];
  for (const re of starts) {
    re.lastIndex = 0;
    const m = re.exec(code);
    if (!m) continue;
    const at = m.index + m[0].length;
    if (code[at] === '{') return at;
    const ident = /^[A-Za-z_$][\w$]*/.exec(code.slice(at));
    if (ident && ident[0] !== 'defineTask') {
      const decl = new RegExp(`\\b(?:const|let|var)\\s+${ident[0].replace(/\$/g, '\\$')}\\b[^=]*=\\s*(?:defineTask\\s*\\(\\s*)?\\{`).exec(code);
      if (decl) return decl.index + decl[0].length - 1;
    }
  }
  return -1;
}

/** The source with comments blanked out (same length, so offsets hold). */
function maskComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
}

/** A key written as a word, matched where the scanner stands (sticky: no copy of the rest of the file). */
const WORD = /[\w$]+/y;

class Scanner {
  constructor(private readonly s: string, private readonly places: Map<string, Place>) {}

  /** Parses the object literal at `i` (a `{`), recording its keys; returns the offset after `}`. */
  object(i: number, path: Path): number {
    const s = this.s;
    i++;
    for (;;) {
      i = this.trivia(i);
      if (i >= s.length) return i;
      if (s[i] === '}') return i + 1;
      if (s[i] === ',') { i++; continue; }
      if (s.startsWith('...', i)) { i = this.expression(i + 3); continue; }
      // Key: identifier (maybe after get/set/async/*), string, number, or [computed].
      let key: string | undefined;
      let keyStart = i;
      let keyEnd = i;
      for (;;) {
        keyStart = i;
        if (s[i] === '"' || s[i] === "'") {
          keyEnd = this.string(i);
          key = this.unquote(s.slice(i, keyEnd));
        } else if (s[i] === '[') {
          keyEnd = this.balanced(i);
          key = undefined;
        } else if (s[i] === '*') {
          i = this.trivia(i + 1);
          continue;
        } else {
          WORD.lastIndex = i;
          const m = WORD.exec(s);
          if (!m) return this.balancedClose(i); // not an object literal we understand
          keyEnd = i + m[0].length;
          key = m[0];
        }
        const after = this.trivia(keyEnd);
        // `async run()`, `get name()`: the word was a modifier, the key follows.
        if ((key === 'async' || key === 'get' || key === 'set') && /[\w$"'[*]/.test(s[after] ?? '')) { i = after; continue; }
        i = after;
        break;
      }
      const keyPath = key === undefined ? undefined : [...path, key];
      if (s[i] === ':') {
        const valueStart = this.trivia(i + 1);
        const valueEnd = this.value(valueStart, keyPath);
        if (keyPath) this.places.set(pathKey(keyPath), { path: keyPath, keyStart, keyEnd, valueStart, valueEnd, isString: this.isString(valueStart) });
        i = valueEnd;
      } else if (s[i] === '(' || s[i] === '<') {
        // A method: parameters, optional return type, body.
        const bodyStart = this.find(i, '{');
        const end = bodyStart < 0 ? s.length : this.balanced(bodyStart);
        if (keyPath) this.places.set(pathKey(keyPath), { path: keyPath, keyStart, keyEnd, valueStart: keyStart, valueEnd: end, isString: false });
        i = end;
      } else {
        // Shorthand `{ schedule }`: the key is also the value.
        if (keyPath) this.places.set(pathKey(keyPath), { path: keyPath, keyStart, keyEnd, valueStart: keyStart, valueEnd: keyEnd, isString: false });
      }
    }
  }

  private array(i: number, path: Path | undefined): number {
    const s = this.s;
    i++;
    let index = 0;
    for (;;) {
      i = this.trivia(i);
      if (i >= s.length) return i;
      if (s[i] === ']') return i + 1;
      if (s[i] === ',') { index++; i++; continue; }
      const valueStart = i;
      const itemPath = path && [...path, index];
      const valueEnd = this.value(i, itemPath);
      if (itemPath) this.places.set(pathKey(itemPath), { path: itemPath, keyStart: valueStart, keyEnd: valueStart, valueStart, valueEnd, isString: this.isString(valueStart) });
      i = valueEnd;
    }
  }

  private value(i: number, path: Path | undefined): number {
    if (this.s[i] === '{') return path ? this.object(i, path) : this.balanced(i);
    if (this.s[i] === '[') return this.array(i, path);
    return this.expression(i);
  }

  private isString(i: number): boolean {
    return this.s[i] === '"' || this.s[i] === "'" || this.s[i] === '`';
  }

  /** End of an expression (trailing blanks excluded): before the next `,` `}` `]` `)` outside brackets, strings and comments. */
  private expression(i: number): number {
    const s = this.s;
    while (i < s.length) {
      const c = s[i];
      if (c === ',' || c === '}' || c === ']' || c === ')') break;
      const next = this.skip(i);
      if (next > i) { i = next; continue; }
      i = c === '{' || c === '[' || c === '(' ? this.balanced(i) : i + 1;
    }
    while (i > 0 && /\s/.test(s[i - 1])) i--;
    return i;
  }

  /** Offset after the bracket that closes the one at `i`. */
  private balanced(i: number): number {
    const s = this.s;
    const stack: string[] = [];
    while (i < s.length) {
      const next = this.skip(i);
      if (next > i) { i = next; continue; }
      const c = s[i];
      if (c === '{' || c === '[' || c === '(') stack.push(c === '{' ? '}' : c === '[' ? ']' : ')');
      else if (c === '}' || c === ']' || c === ')') {
        stack.pop();
        if (!stack.length) return i + 1;
      }
      i++;
    }
    return i;
  }

  /** Gives up on the current object: offset after its closing brace. */
  private balancedClose(i: number): number {
    let depth = 1;
    const s = this.s;
    while (i < s.length && depth > 0) {
      const next = this.skip(i);
      if (next > i) { i = next; continue; }
      if ('{(['.includes(s[i])) depth++;
      else if ('})]'.includes(s[i])) depth--;
      i++;
    }
    return i;
  }

  /** First `ch` at or after `i` outside strings and comments. */
  private find(i: number, ch: string): number {
    while (i < this.s.length) {
      const next = this.skip(i);
      if (next > i) { i = next; continue; }
      if (this.s[i] === ch) return i;
      i++;
    }
    return -1;
  }

  private trivia(i: number): number {
    const s = this.s;
    for (;;) {
      while (i < s.length && /\s/.test(s[i])) i++;
      if (!this.isCommentAt(i)) return i;
      i = this.skip(i);
    }
  }

  private isCommentAt(i: number): boolean {
    return this.s[i] === '/' && (this.s[i + 1] === '/' || this.s[i + 1] === '*');
  }

  /** Past the string, template or comment at `i`; `i` itself when there is none. */
  private skip(i: number): number {
    const s = this.s;
    const c = s[i];
    if (c === '"' || c === "'") return this.string(i);
    if (c === '`') return this.template(i);
    if (c === '/' && s[i + 1] === '/') { const e = s.indexOf('\n', i); return e < 0 ? s.length : e; }
    if (c === '/' && s[i + 1] === '*') { const e = s.indexOf('*/', i + 2); return e < 0 ? s.length : e + 2; }
    return i;
  }

  private string(i: number): number {
    const s = this.s;
    const q = s[i];
    for (i++; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === q || s[i] === '\n') return i + 1;
    }
    return i;
  }

  private template(i: number): number {
    const s = this.s;
    for (i++; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === '`') return i + 1;
      else if (s[i] === '$' && s[i + 1] === '{') i = this.balanced(i + 1) - 1;
    }
    return i;
  }

  private unquote(text: string): string {
    try { return JSON.parse(text.startsWith("'") ? `"${text.slice(1, -1).replace(/"/g, '\\"')}"` : text); } catch { return text.slice(1, -1); }
  }
}
