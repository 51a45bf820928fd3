// One warm spare: a runner process already past Node's start (~90 ms) with the runner code loaded,
// idle until a run takes it. Each run takes the spare and a new one is started behind it, so a
// process is never used twice. A spare that dies while idle is replaced, backing off if it keeps dying.
import type { Clock, TimerHandle } from '../clock';
import { killProcessGroup } from './killTree';
import { setHeld, type RunnerProcess } from './runnerProcess';

/**
 * After a spare is taken, the next is started this much later: the taken runner is then already
 * running the task, so the two starts do not fight for the CPU in the moment the run is latency-bound.
 */
export const REFILL_DELAY_MS = 20;
/** A spare that died while idle is replaced after 1 s, doubling up to a minute while it keeps dying (a broken runner path must not spin). */
const RESPAWN_BASE_MS = 1_000;
const RESPAWN_MAX_MS = 60_000;

export interface WarmPoolOptions {
  spawn(): RunnerProcess;
  clock: Clock;
  log(line: string): void;
}

export class WarmPool {
  private spare: RunnerProcess | undefined;
  /** The pool's own `exit` listener on the idle spare, removed when the spare is handed over. */
  private onSpareExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  private refillTimer: TimerHandle | undefined;
  private failures = 0;
  private disposed = false;
  private readyWaiters: Array<() => void> = [];

  constructor(private readonly options: WarmPoolOptions) {}

  /** Start the first spare. */
  start(): void {
    this.refillAfter(0);
  }

  /** The memory limit spares are started with (tasks with another limit start cold). */
  get spareMemoryLimitMb(): number | undefined {
    return this.spare?.memoryLimitMb;
  }

  /** Hands over the spare (possibly still starting) and schedules the next; undefined when there is none. */
  take(): RunnerProcess | undefined {
    const spare = this.spare;
    if (!spare) return undefined;
    this.spare = undefined;
    if (this.onSpareExit) spare.child.off('exit', this.onSpareExit);
    setHeld(spare.child, true);
    this.refillAfter(REFILL_DELAY_MS);
    return spare;
  }

  /** The idle spare, for tests and diagnostics. */
  current(): RunnerProcess | undefined {
    return this.spare;
  }

  /** Resolves once a spare is started and ready (now, or when the next becomes so). */
  whenReady(): Promise<void> {
    if (this.spare?.isReady() || this.disposed) return Promise.resolve();
    // The spare and the refill timer do not hold the event loop; someone waiting for them must, or a
    // script doing only `await whenReady()` would simply exit.
    const keepAlive = setInterval(() => undefined, 60_000);
    return new Promise<void>((resolve) => this.readyWaiters.push(resolve)).finally(() => clearInterval(keepAlive));
  }

  /** Kills the idle spare; resolves once it has exited. */
  dispose(): Promise<void> {
    this.disposed = true;
    this.refillTimer?.cancel();
    this.readyWaiters.splice(0).forEach((w) => w());
    const spare = this.spare;
    this.spare = undefined;
    if (!spare) return Promise.resolve();
    if (this.onSpareExit) spare.child.off('exit', this.onSpareExit);
    const { child } = spare;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    setHeld(child, true); // the caller awaits this exit: it must keep the event loop alive until then
    killProcessGroup(child.pid, 'SIGKILL');
    return exited;
  }

  private refillAfter(ms: number): void {
    if (this.disposed || this.refillTimer) return;
    this.refillTimer = this.options.clock.setTimer(() => {
      this.refillTimer = undefined;
      this.refill();
    }, ms);
  }

  private refill(): void {
    if (this.disposed || this.spare) return;
    let spare: RunnerProcess;
    try {
      spare = this.options.spawn();
    } catch (e) {
      this.respawnLater(`could not start a warm runner: ${(e as Error).message}`);
      return;
    }
    this.spare = spare;
    setHeld(spare.child, false);
    spare.child.on('error', () => undefined); // a failed start shows as `exit` or a rejected `ready`
    this.onSpareExit = (code, signal) => {
      if (this.spare !== spare) return;
      this.spare = undefined;
      const when = spare.isReady() ? 'while idle' : 'before it was ready';
      this.respawnLater(`the warm runner exited ${when} (${signal ? `signal ${signal}` : `code ${code}`})`);
    };
    spare.child.once('exit', this.onSpareExit);
    spare.ready.then(
      () => {
        this.failures = 0;
        if (this.spare === spare) this.readyWaiters.splice(0).forEach((w) => w());
      },
      (e: Error) => {
        if (this.spare !== spare) return;
        this.spare = undefined;
        killProcessGroup(spare.child.pid, 'SIGKILL');
        this.respawnLater(e.message);
      },
    );
  }

  private respawnLater(why: string): void {
    if (this.disposed) return;
    const delay = Math.min(RESPAWN_BASE_MS * 2 ** this.failures, RESPAWN_MAX_MS);
    this.failures++;
    this.options.log(`${why}; starting another in ${delay} ms`);
    this.refillAfter(delay);
  }
}
