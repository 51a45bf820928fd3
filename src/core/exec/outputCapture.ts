// Where a child's stdout and stderr go: the capped buffer kept with the run, the live line view, and
// the optional output file. Data is consumed as it arrives (nothing accumulates in the pipes' own
// buffers), except while the output file asks to wait, when the pipes are paused and the child blocks.
import type { Readable } from 'stream';
import { HeadTailBuffer, type OutputCap } from './outputBuffer';
import { LiveLines, type StreamName } from './liveLines';
import { OutputFile } from './outputFile';
import type { Redactor } from './redact';
import type { OutputOptions } from '../model';

export interface CaptureOptions {
  cap: OutputCap;
  /** Absolute path and mode of the output file, if the task has one. */
  file?: OutputOptions;
  /** Live lines for the observer, if it wants them. */
  live?: (line: string) => void;
  now: () => number;
  /** Masks the run's secrets before anything is kept, shown or written. */
  redactor?: Redactor;
}

export class OutputCapture {
  private readonly buffer: HeadTailBuffer;
  private readonly live: LiveLines | undefined;
  private readonly file: OutputFile | undefined;
  private readonly redactor: Redactor | undefined;
  private readonly streams: Readable[] = [];
  private openStreams = 0;
  private endedWaiters: Array<() => void> = [];

  constructor(options: CaptureOptions) {
    this.buffer = new HeadTailBuffer(options.cap);
    this.redactor = options.redactor?.active ? options.redactor : undefined;
    this.live = options.live ? new LiveLines(options.live, options.now) : undefined;
    this.file = options.file ? new OutputFile(options.file.file, options.file.mode, (line) => this.note(line)) : undefined;
  }

  attach(stdout: Readable | null, stderr: Readable | null): void {
    for (const [name, stream] of [['stdout', stdout], ['stderr', stderr]] as const) {
      if (!stream) continue;
      this.streams.push(stream);
      this.openStreams++;
      let open = true;
      const closed = (): void => {
        if (!open) return;
        open = false;
        const held = this.redactor?.flush(name);
        if (held?.length) this.keep(name, held);
        if (--this.openStreams === 0) this.endedWaiters.splice(0).forEach((w) => w());
      };
      stream.on('data', (chunk: Buffer) => {
        const safe = this.redactor ? this.redactor.push(name, chunk) : chunk;
        if (safe.length) this.keep(name, safe);
      });
      stream.on('end', closed);
      stream.on('close', closed);
      stream.on('error', closed);
    }
  }

  /** A line the host adds (e.g. why the output file failed), in the output like the child's own. */
  note(line: string): void {
    const chunk = Buffer.from(`${line}\n`);
    this.buffer.push(chunk);
    this.live?.push('stderr', chunk);
  }

  /** Resolves when both pipes have ended: every byte the process tree wrote has been read. */
  ended(): Promise<void> {
    if (this.openStreams === 0) return Promise.resolve();
    return new Promise((resolve) => this.endedWaiters.push(resolve));
  }

  /** Stop reading (a process that escaped the group still holds the pipes open). */
  detach(): void {
    for (const s of this.streams) s.destroy();
  }

  /** The newest output, to look for a cause of death in. */
  tail(): string {
    return this.buffer.tailBytes().toString('utf8');
  }

  /** Flushes the live view, closes the output file, and returns what is kept with the run. */
  async finish(): Promise<{ output: string; outputTruncated: boolean }> {
    this.live?.flush();
    await this.file?.close();
    return { output: this.buffer.text(), outputTruncated: this.buffer.truncated };
  }

  private keep(stream: StreamName, chunk: Buffer): void {
    this.buffer.push(chunk);
    this.live?.push(stream, chunk);
    if (this.file && !this.file.write(chunk)) {
      // The file is behind: stop reading so the child blocks on its full pipe instead of the host buffering.
      for (const s of this.streams) s.pause();
      this.file.onDrain(() => { for (const s of this.streams) s.resume(); });
    }
  }
}
