// The client's end of the worker: numbered requests, replies matched by id, errors rebuilt as errors.
// The worker holds the process open only while a request is in flight, so a CLI that forgets to
// close still exits, and one awaiting a reply does not exit early.
import { Worker } from 'worker_threads';
import { fromErrorData } from './errors';
import type { WorkerEntry } from './locate';
import type { Envelope, Replies, Reply, Request } from './protocol';

interface Waiter { resolve(v: unknown): void; reject(e: Error): void }

export class WorkerChannel {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private dead: Error | undefined;

  constructor(entry: WorkerEntry) {
    this.worker = new Worker(entry.file, { execArgv: entry.execArgv });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`history worker exited (code ${code})`)));
  }

  call<R extends Request>(request: R): Promise<Replies[R['type']]> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request } satisfies Envelope);
    });
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('history worker was closed');
    await this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.ok) w.resolve(reply.value);
    else w.reject(fromErrorData(reply.error));
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const w of this.waiting.values()) w.reject(this.dead);
    this.waiting.clear();
  }
}
