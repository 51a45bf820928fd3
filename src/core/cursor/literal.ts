// Reads a value written as a literal in a task file (`"daily at 09:00"`, `["a", "b"]`, `{ task: "x" }`)
// straight from the source text, without running it: the editor explains schedules in windows where
// task code must never execute. Strings, numbers, booleans, null, arrays and objects of them; anything
// else (a variable, a call, a template with `${…}`) is not a literal and yields nothing.

export type LiteralResult = { ok: true; value: unknown } | { ok: false };

/** The literal between `start` and `end` of `source` (the whole span, blanks and comments aside). */
export function readLiteral(source: string, start: number, end: number): LiteralResult {
  const reader = new LiteralReader(source.slice(start, end));
  try {
    const value = reader.value();
    reader.blank();
    // `"x" as const` and `satisfies T` only change the type.
    reader.typeSuffix();
    return reader.done() ? { ok: true, value } : { ok: false };
  } catch (e) {
    if (e === NOT_LITERAL) return { ok: false };
    throw e;
  }
}

/** What a string literal at `start` says (quotes and escapes undone), or undefined when it is not one. */
export function readStringAt(source: string, start: number, end: number): string | undefined {
  const r = readLiteral(source, start, end);
  return r.ok && typeof r.value === 'string' ? r.value : undefined;
}

const NOT_LITERAL = Symbol('not a literal');

/** Deeper nesting than any option object needs; bounds the recursion on hostile input. */
const MAX_DEPTH = 32;

class LiteralReader {
  private i = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  blank(): void {
    const s = this.s;
    for (;;) {
      while (this.i < s.length && /\s/.test(s[this.i])) this.i++;
      if (s.startsWith('//', this.i)) { const e = s.indexOf('\n', this.i); this.i = e < 0 ? s.length : e; continue; }
      if (s.startsWith('/*', this.i)) { const e = s.indexOf('*/', this.i + 2); this.i = e < 0 ? s.length : e + 2; continue; }
      return;
    }
  }

  typeSuffix(): void {
    const m = /^(as|satisfies)\s+[\w$.<>[\], |'"]+$/.exec(this.s.slice(this.i).trimEnd());
    if (m) this.i = this.s.length;
  }

  value(): unknown {
    this.blank();
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string(c);
    if (c === '`') return this.template();
    if (c === '[') return this.nested(() => this.array());
    if (c === '{') return this.nested(() => this.object());
    const word = /^(?:-?(?:0[xX][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)|true|false|null|undefined)(?![\w$])/.exec(this.s.slice(this.i));
    if (!word) throw NOT_LITERAL;
    this.i += word[0].length;
    switch (word[0]) {
      case 'true': return true;
      case 'false': return false;
      case 'null': return null;
      case 'undefined': return undefined;
      default: return Number(word[0].replace(/_/g, ''));
    }
  }

  private nested<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) throw NOT_LITERAL;
    try { return read(); } finally { this.depth--; }
  }

  private array(): unknown[] {
    this.i++; // [
    const out: unknown[] = [];
    for (;;) {
      this.blank();
      if (this.s[this.i] === ']') { this.i++; return out; }
      out.push(this.value());
      this.blank();
      if (this.s[this.i] === ',') { this.i++; continue; }
      if (this.s[this.i] !== ']') throw NOT_LITERAL;
    }
  }

  private object(): Record<string, unknown> {
    this.i++; // {
    const out: Record<string, unknown> = Object.create(null);
    for (;;) {
      this.blank();
      if (this.s[this.i] === '}') { this.i++; return { ...out }; }
      const c = this.s[this.i];
      let key: string;
      if (c === '"' || c === "'") key = this.string(c);
      else {
        const m = /^[A-Za-z_$][\w$]*|^\d+/.exec(this.s.slice(this.i));
        if (!m) throw NOT_LITERAL;
        key = m[0];
        this.i += key.length;
      }
      this.blank();
      if (this.s[this.i] !== ':') throw NOT_LITERAL; // shorthand, methods, spreads: code
      this.i++;
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.blank();
      if (this.s[this.i] === ',') { this.i++; continue; }
      if (this.s[this.i] !== '}') throw NOT_LITERAL;
    }
  }

  private string(quote: string): string {
    const s = this.s;
    let out = '';
    for (this.i++; this.i < s.length; this.i++) {
      const c = s[this.i];
      if (c === quote) { this.i++; return out; }
      if (c === '\n') throw NOT_LITERAL;
      if (c === '\\') out += this.escape();
      else out += c;
    }
    throw NOT_LITERAL;
  }

  private template(): string {
    const s = this.s;
    let out = '';
    for (this.i++; this.i < s.length; this.i++) {
      const c = s[this.i];
      if (c === '`') { this.i++; return out; }
      if (c === '$' && s[this.i + 1] === '{') throw NOT_LITERAL;
      if (c === '\\') out += this.escape();
      else out += c;
    }
    throw NOT_LITERAL;
  }

  /** The escape at `i` (a backslash); leaves `i` on its last character. */
  private escape(): string {
    const s = this.s;
    const c = s[++this.i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0', '\n': '' };
    if (c in simple) return simple[c];
    const hex = c === 'x' ? /^[\da-fA-F]{2}/.exec(s.slice(this.i + 1))
      : c === 'u' ? /^(?:[\da-fA-F]{4}|\{[\da-fA-F]{1,6}\})/.exec(s.slice(this.i + 1)) : null;
    if (hex) {
      this.i += hex[0].length;
      return String.fromCodePoint(parseInt(hex[0].replace(/[{}]/g, ''), 16));
    }
    return c ?? '';
  }
}
