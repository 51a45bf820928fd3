// A scripted Executor: every start() is recorded as a FakeRun the test finishes by hand
// (succeed / fail / timeOut / skip / reject), leaves hanging, or makes throw.
import type { Clock } from '../../../src/core/clock';
import type { TaskKind } from '../../../src/core/model';
import type {
  CancelReason, Executor, RunHandle, RunObserver, RunOutcome, RunRequest,
} from '../../../src/core/ports';

export class FakeRun {
  readonly startedAt: number;
  cancelledWith?: CancelReason;
  finished = false;
  readonly done: Promise<RunOutcome>;
  private settle!: (o: RunOutcome) => void;
  private fail_!: (e: unknown) => void;

  constructor(readonly request: RunRequest, readonly observer: RunObserver | undefined, private readonly clock: Clock,
    private readonly finishOnCancel: boolean) {
    this.startedAt = clock.now();
    this.done = new Promise((resolve, reject) => { this.settle = resolve; this.fail_ = reject; });
  }

  get taskId(): string { return this.request.task.id; }

  succeed(result?: unknown): void { this.end({ status: 'succeeded', result }); }
  fail(error = 'boom'): void { this.end({ status: 'failed', error, exitCode: 1 }); }
  timeOut(): void { this.end({ status: 'timed-out', error: 'timed out' }); }
  skip(reason: string): void { this.end({ status: 'skipped', error: reason }); }
  cancelled(): void { this.end({ status: 'cancelled' }); }
  /** The executor's promise rejects (a bug in the executor). */
  reject(error: unknown): void { this.finished = true; this.fail_(error); }

  onCancel(reason: CancelReason): void {
    this.cancelledWith = reason;
    if (this.finishOnCancel) this.cancelled();
  }

  private end(o: Partial<RunOutcome> & Pick<RunOutcome, 'status'>): void {
    if (this.finished) throw new Error(`run ${this.request.runId} already finished`);
    this.finished = true;
    this.settle({ startedAt: this.startedAt, endedAt: this.clock.now(), output: '', outputTruncated: false, ...o });
  }
}

export class FakeExecutor implements Executor {
  readonly kinds: readonly TaskKind[] = ['module', 'command', 'vscodeCommand', 'vscodeTask'];
  readonly runs: FakeRun[] = [];
  /** Thrown synchronously by the next start() calls while set. */
  throwOnStart?: Error;
  /** A cancelled run reports `cancelled` at once (like a cooperative task); false = it ignores cancel. */
  finishOnCancel = true;

  constructor(private readonly clock: Clock) {}

  start(request: RunRequest, observer?: RunObserver): RunHandle {
    if (this.throwOnStart) throw this.throwOnStart;
    const run = new FakeRun(request, observer, this.clock, this.finishOnCancel);
    this.runs.push(run);
    return { cancel: (reason) => run.onCancel(reason), done: run.done };
  }

  async dispose(): Promise<void> {}

  /** Runs not yet finished. */
  running(taskId?: string): FakeRun[] {
    return this.runs.filter((r) => !r.finished && (taskId === undefined || r.taskId === taskId));
  }

  /** The most recent run (of a task). */
  last(taskId?: string): FakeRun {
    const list = this.runs.filter((r) => taskId === undefined || r.taskId === taskId);
    if (!list.length) throw new Error(`no run${taskId ? ` of ${taskId}` : ''} started`);
    return list[list.length - 1];
  }

  /** Start times (ISO) of every run, for literal assertions. */
  started(taskId?: string): string[] {
    return this.runs.filter((r) => taskId === undefined || r.taskId === taskId).map((r) => new Date(r.startedAt).toISOString());
  }
}
