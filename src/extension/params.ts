// "Run with Parameters…": the JSON a user types, checked before anything runs, with an error that
// names the line and column (Node's JSON.parse does not always say where). No `vscode` import.

export type ParamsResult = { ok: true; params: Record<string, unknown> } | { ok: false; error: string };

/** Parses `text` as a JSON object (empty = no parameters). */
export function parseParams(text: string): ParamsResult {
  if (!text.trim()) return { ok: true, params: {} };
  const problem = findJsonError(text);
  if (problem) return { ok: false, error: `not valid JSON at ${where(text, problem.offset)}: ${problem.message}` };
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: `parameters must be a JSON object like {"name": "value"}, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}` };
  }
  return { ok: true, params: value as Record<string, unknown> };
}

/** "line 1, column 13". */
function where(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** The first error in `text` as JSON (RFC 8259), or undefined when it is valid. */
export function findJsonError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  class Fail { constructor(readonly offset: number, readonly message: string) {} }
  const fail = (message: string, at = i): never => { throw new Fail(at, message); };
  const found = (): string => (i >= text.length ? 'the end' : `"${text[i]}"`);
  const space = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length; else fail(`expected a value, found ${found()}`);
  };
  const string = () => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('a line break or control character inside a string (write it as \\n)');
      if (text[i] === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('expected 4 hex digits after \\u', i + 2);
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`unknown escape \\${e ?? ''}`, i + 1);
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= text.length) fail('a string is not closed (missing ")');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail(`expected a value, found ${found()}`);
    i += m![0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === "'") fail('strings take double quotes (")');
    fail(`expected a value, found ${found()}`);
  };
  const object = () => {
    i++;
    space();
    if (text[i] === '}') { i++; return; }
    for (;;) {
      space();
      if (text[i] !== '"') fail(`expected a "quoted" property name, found ${found()}`);
      string();
      space();
      if (text[i] !== ':') fail(`expected ":" after the property name, found ${found()}`);
      i++;
      value();
      space();
      if (text[i] === ',') { i++; space(); if (text[i] === '}') fail('a comma before "}" (JSON allows no trailing comma)'); continue; }
      if (text[i] === '}') { i++; return; }
      fail(`expected "," or "}", found ${found()}`);
    }
  };
  const array = () => {
    i++;
    space();
    if (text[i] === ']') { i++; return; }
    for (;;) {
      value();
      space();
      if (text[i] === ',') { i++; space(); if (text[i] === ']') fail('a comma before "]" (JSON allows no trailing comma)'); continue; }
      if (text[i] === ']') { i++; return; }
      fail(`expected "," or "]", found ${found()}`);
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${found()} after the value`);
    return undefined;
  } catch (e) {
    if (e instanceof Fail) return { offset: e.offset, message: e.message };
    if (e instanceof RangeError) return { offset: i, message: 'nested too deeply' }; // the call stack ran out
    throw e;
  }
}
