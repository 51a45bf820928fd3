// Output as it happens, line by line, for `RunObserver.output` (the editor's output channel, the CLI).
// A flood must not become a flood of callbacks into the host: past a budget per second, chunks are
// counted and dropped unread (not even split into lines) and one line says how much was skipped.
// The captured output and the output file still get every byte; only the live view thins out.
import { StringDecoder } from 'string_decoder';

/** Far more than people read live, far less than would keep the host busy painting an output channel. */
export const LIVE_BYTES_PER_SECOND = 128 * 1024;
/** A "line" without a newline this long is passed on in pieces, so a partial line never grows unbounded. */
export const LIVE_MAX_LINE_CHARS = 8 * 1024;

export type StreamName = 'stdout' | 'stderr';

export class LiveLines {
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly partial = { stdout: '', stderr: '' };
  private windowStart = -Infinity;
  private windowBytes = 0;
  private skipped = 0;

  constructor(
    private readonly emit: (line: string) => void,
    private readonly now: () => number,
    private readonly bytesPerSecond = LIVE_BYTES_PER_SECOND,
  ) {}

  push(stream: StreamName, chunk: Buffer): void {
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.windowBytes = 0;
      this.reportSkipped();
    }
    if (this.windowBytes + chunk.length > this.bytesPerSecond) {
      // Over budget: the partial line would no longer continue the text it started, so it goes too.
      this.skipped += chunk.length + Buffer.byteLength(this.partial[stream]);
      this.partial[stream] = '';
      this.decoders[stream] = new StringDecoder('utf8');
      return;
    }
    this.windowBytes += chunk.length;
    const lines = (this.partial[stream] + this.decoders[stream].write(chunk)).split('\n');
    let text = lines.pop() as string;
    for (const line of lines) this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
    while (text.length > LIVE_MAX_LINE_CHARS) {
      this.emit(text.slice(0, LIVE_MAX_LINE_CHARS));
      text = text.slice(LIVE_MAX_LINE_CHARS);
    }
    this.partial[stream] = text;
  }

  /** The end of the run: pass on unfinished lines and what was skipped. */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream] + this.decoders[stream].end();
      this.partial[stream] = '';
      if (rest) this.emit(rest);
    }
    this.reportSkipped();
  }

  private reportSkipped(): void {
    if (this.skipped === 0) return;
    this.emit(`… ${this.skipped} bytes of output not shown live (too fast); they are in the run's output …`);
    this.skipped = 0;
  }
}
