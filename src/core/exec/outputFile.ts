// `output: { file, mode }`: the run's whole output, uncapped, appended to or written over a file.
// Writes honour backpressure (the caller pauses the child's pipes while the file catches up), so a
// flood streams through the host at disk speed instead of piling up in memory.
import { createWriteStream, mkdirSync, type WriteStream } from 'fs';
import { dirname } from 'path';

/** Large enough that a chatty task rarely pauses on a fast disk; small enough to bound host memory. */
const FILE_HIGH_WATER_MARK = 1024 * 1024;

export class OutputFile {
  private readonly stream: WriteStream | undefined;
  private failed = false;

  /** `onError` is told once, in words for the run's output; writing then stops but the run goes on. */
  constructor(readonly path: string, mode: 'append' | 'overwrite', private readonly onError: (message: string) => void) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.stream = createWriteStream(path, { flags: mode === 'append' ? 'a' : 'w', highWaterMark: FILE_HIGH_WATER_MARK });
      this.stream.on('error', (e) => this.fail(e));
    } catch (e) {
      this.fail(e as Error);
    }
  }

  /** False when the caller should wait for `onDrain` before writing more. */
  write(chunk: Buffer): boolean {
    if (this.failed || !this.stream) return true;
    return this.stream.write(chunk);
  }

  onDrain(listener: () => void): void {
    if (this.failed || !this.stream) listener();
    else this.stream.once('drain', listener);
  }

  /** Resolves when every byte is on its way to disk (or writing failed). */
  close(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.failed) return Promise.resolve();
    return new Promise((resolve) => {
      stream.once('close', resolve);
      stream.end();
    });
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.onError(`[error] could not write the output file ${this.path}: ${e.message}`);
    // A waiting writer must not stay paused on a stream that will never drain.
    this.stream?.emit('drain');
    this.stream?.destroy();
  }
}
