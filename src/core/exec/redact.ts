// Secrets never reach a run's stored output, live lines, output file, error or result: where a task
// prints a secret's value, `***` is kept instead (as CI systems mask theirs). Output is masked as it
// streams; only bytes that could be the start of a secret are held back until the next chunk, so
// live output is not delayed otherwise.

export const SECRET_MASK = '***';
/** Shorter values are not masked: they would mask ordinary text ("1", "yes") all over the output. */
export const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private readonly needles: Buffer[];
  private readonly carry = new Map<string, Buffer>();
  private readonly mask = Buffer.from(SECRET_MASK);

  constructor(secrets: Iterable<string>) {
    const values = [...new Set(secrets)].filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
    // Longest first, so a secret that contains another is masked whole.
    this.needles = values.sort((a, b) => b.length - a.length).map((s) => Buffer.from(s));
  }

  get active(): boolean {
    return this.needles.length > 0;
  }

  /** The part of `chunk` (after what was held back for `stream`) that is safe to pass on. */
  push(stream: string, chunk: Buffer): Buffer {
    if (!this.active) return chunk;
    const held = this.carry.get(stream);
    const masked = this.maskAll(held ? Buffer.concat([held, chunk]) : chunk);
    const keep = this.partialSecretAtEnd(masked);
    this.carry.set(stream, Buffer.from(masked.subarray(masked.length - keep)));
    return masked.subarray(0, masked.length - keep);
  }

  /** What was held back for `stream`: at the end it cannot become a secret any more. */
  flush(stream: string): Buffer {
    const held = this.carry.get(stream) ?? Buffer.alloc(0);
    this.carry.delete(stream);
    return held;
  }

  text(value: string): string {
    let out = value;
    for (const n of this.needles) out = out.split(n.toString()).join(SECRET_MASK);
    return out;
  }

  /** A JSON value with secrets masked in every string (keys included). */
  json(value: unknown): unknown {
    if (!this.active || value === undefined) return value;
    let text = JSON.stringify(value);
    for (const n of this.needles) text = text.split(JSON.stringify(n.toString()).slice(1, -1)).join(SECRET_MASK);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return SECRET_MASK; // masking broke the JSON: keep nothing rather than the secret
    }
  }

  private maskAll(data: Buffer): Buffer {
    let out = data;
    for (const needle of this.needles) {
      let at = out.indexOf(needle);
      if (at < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      for (; at >= 0; at = out.indexOf(needle, from)) {
        parts.push(out.subarray(from, at), this.mask);
        from = at + needle.length;
      }
      parts.push(out.subarray(from));
      out = Buffer.concat(parts);
    }
    return out;
  }

  /** Length of the longest tail of `data` that some secret starts with (it may complete in the next chunk). */
  private partialSecretAtEnd(data: Buffer): number {
    const longest = Math.min(data.length, this.needles[0].length - 1);
    for (let k = longest; k > 0; k--) {
      const tail = data.subarray(data.length - k);
      if (this.needles.some((n) => n.length > k && n.subarray(0, k).equals(tail))) return k;
    }
    return 0;
  }
}
