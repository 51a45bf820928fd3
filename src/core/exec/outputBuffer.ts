// A run's captured output, kept at a fixed size however much the task writes: the first bytes (how it
// started) and the last bytes (why it ended), with a marker saying how much was left out between.
// Memory is head + tail whatever the flood: the middle is counted, never stored.

export interface OutputCap {
  headBytes: number;
  tailBytes: number;
}

/**
 * 32 KB at each end. History lives in an in-memory sql.js database that is exported whole, so a run's
 * stored output must stay small (64 KB at most per run); a stack trace or the last hundreds of lines
 * still fit at the end that matters.
 */
export const DEFAULT_OUTPUT_CAP: Readonly<OutputCap> = Object.freeze({ headBytes: 32 * 1024, tailBytes: 32 * 1024 });

export class HeadTailBuffer {
  private readonly head: Buffer;
  private headLength = 0;
  /** Ring buffer of the newest bytes once the head is full; allocated only when needed. */
  private tail: Buffer | undefined;
  private tailStart = 0;
  private tailLength = 0;
  private total = 0;

  constructor(private readonly cap: OutputCap = DEFAULT_OUTPUT_CAP) {
    this.head = Buffer.alloc(cap.headBytes);
  }

  get totalBytes(): number {
    return this.total;
  }

  get truncated(): boolean {
    return this.total > this.headLength + this.tailLength;
  }

  push(chunk: Buffer | string): void {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.total += data.length;
    if (this.headLength < this.head.length) {
      const n = data.copy(this.head, this.headLength, 0, Math.min(data.length, this.head.length - this.headLength));
      this.headLength += n;
      data = data.subarray(n);
    }
    if (data.length > 0) this.pushTail(data);
  }

  private pushTail(data: Buffer): void {
    const size = this.cap.tailBytes;
    if (size === 0) return;
    this.tail ??= Buffer.alloc(size);
    if (data.length >= size) {
      data.copy(this.tail, 0, data.length - size);
      this.tailStart = 0;
      this.tailLength = size;
      return;
    }
    let end = (this.tailStart + this.tailLength) % size;
    for (let off = 0; off < data.length;) {
      const n = data.copy(this.tail, end, off, off + Math.min(data.length - off, size - end));
      off += n;
      end = (end + n) % size;
    }
    const overflow = this.tailLength + data.length - size;
    if (overflow > 0) {
      this.tailStart = (this.tailStart + overflow) % size;
      this.tailLength = size;
    } else {
      this.tailLength += data.length;
    }
  }

  /** The last bytes in order (for callers that look for a cause, e.g. V8's out-of-memory line). */
  tailBytes(): Buffer {
    if (!this.tail || this.tailLength === 0) return this.head.subarray(0, this.headLength);
    const first = this.tail.subarray(this.tailStart, Math.min(this.tailStart + this.tailLength, this.tail.length));
    const wrapped = this.tail.subarray(0, this.tailLength - first.length);
    return Buffer.concat([first, wrapped]);
  }

  /** The output as text: whole when it fit, else head + "… N bytes omitted …" + tail. */
  text(): string {
    const head = this.head.subarray(0, this.headLength);
    if (!this.tail || this.tailLength === 0) return head.toString('utf8');
    const tail = this.tailBytes();
    const omitted = this.total - this.headLength - this.tailLength;
    if (omitted === 0) return Buffer.concat([head, tail]).toString('utf8');
    return `${decodeCut(head, 'end')}\n… ${omitted} bytes omitted …\n${decodeCut(tail, 'start')}`;
  }
}

/** Decodes bytes cut out of a longer UTF-8 stream without a replacement character at the cut. */
function decodeCut(bytes: Buffer, cutAt: 'start' | 'end'): string {
  if (cutAt === 'start') {
    let i = 0;
    while (i < bytes.length && i < 4 && (bytes[i] & 0xc0) === 0x80) i++; // continuation bytes of a split character
    return bytes.subarray(i).toString('utf8');
  }
  // Drop a trailing character whose lead byte says it needs more bytes than are left.
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return bytes.subarray(0, need > back ? bytes.length - back : bytes.length).toString('utf8');
  }
  return bytes.toString('utf8');
}
