// The Schedule objects parseSchedule returns. Each keeps only what it needs to compute (a small cron
// rule, a zone name, a time) — no croner instance: those are shared through wallclock.ts's cache.

import type { CronRule } from './cron';
import { describeCron } from './describe';
import { wallText } from './time-text';
import { nextFire, previousFire } from './timeline';
import { machineZone, wallOf } from './zone';

export interface Schedule {
  /**
   * 'now' fires once, as soon as the task is loaded: `next()` returns undefined for it, since "now"
   * is not an instant the schedule can know — the engine runs such a task on load.
   * 'manual' never fires on its own.
   */
  readonly kind: 'cron' | 'once' | 'now' | 'manual';
  /** As written (structured forms rendered to the equivalent phrase). */
  readonly source: string;
  /** The cron expression it compiles to (our dialect, see cron.ts), when kind = 'cron'. */
  readonly cron?: string;
  /** Epoch ms, when kind = 'once'. */
  readonly at?: number;
  /** The IANA zone it was parsed with; undefined = the machine's zone. */
  readonly timezone?: string;
  /** First fire time strictly after `after` (epoch ms). */
  next(after: number): number | undefined;
  nextRuns(after: number, count: number): number[];
  /** Last fire time strictly before `before`. */
  previous(before: number): number | undefined;
  /** Plain English. */
  describe(): string;
}

/** What the implementations share: `next` bounded by `until`, which `previous` bisects with. */
export abstract class BaseSchedule implements Schedule {
  abstract readonly kind: Schedule['kind'];
  abstract readonly source: string;
  abstract readonly timezone?: string;
  abstract readonly cron?: string;
  abstract readonly at?: number;
  /** First fire time in (after, until], or undefined. */
  abstract nextUntil(after: number, until: number): number | undefined;
  abstract describe(): string;

  next(after: number): number | undefined {
    return this.nextUntil(after, Infinity);
  }

  nextRuns(after: number, count: number): number[] {
    const runs: number[] = [];
    for (let t = this.next(after); t !== undefined && runs.length < count; t = this.next(t)) runs.push(t);
    return runs;
  }

  previous(before: number): number | undefined {
    return previousFire((after, until) => this.nextUntil(after, until), before);
  }

  /** " (Europe/Berlin)" when the schedule runs in a zone other than the machine's. */
  protected zoneSuffix(): string {
    return this.timezone && this.timezone !== machineZone() ? ` (${this.timezone})` : '';
  }
}

export class CronSchedule extends BaseSchedule {
  get kind(): 'cron' { return 'cron'; }

  constructor(
    readonly source: string,
    /** The validated rule (read by the matcher and the editor's checks; never changed). */
    readonly rule: CronRule,
    /** Zone the rule is evaluated in: `timezone`, or the machine zone at parse time. */
    readonly zone: string,
    readonly timezone: string | undefined,
    /** Phrases bring their own description; cron text is described by cronstrue on demand. */
    readonly description?: string,
  ) {
    super();
  }

  get cron(): string {
    return this.rule.expression;
  }

  get at(): undefined {
    return undefined;
  }

  nextUntil(after: number, until: number): number | undefined {
    return nextFire(this.rule, this.zone, after, until);
  }

  describe(): string {
    return (this.description ?? describeCron(this.rule)) + this.zoneSuffix();
  }
}

export class OnceSchedule extends BaseSchedule {
  get cron(): undefined { return undefined; }
  get kind(): 'once' { return 'once'; }

  constructor(readonly source: string, readonly at: number, readonly zone: string, readonly timezone: string | undefined) {
    super();
  }

  nextUntil(after: number, until: number): number | undefined {
    return this.at > after && this.at <= until ? this.at : undefined;
  }

  override previous(before: number): number | undefined {
    return this.at < before ? this.at : undefined;
  }

  describe(): string {
    return `Once at ${wallText(wallOf(this.zone, this.at))}${this.zoneSuffix()}`;
  }
}

/** A schedule with no slots of its own: `now` (the engine runs it once when loaded) and `manual`. */
abstract class SlotlessSchedule extends BaseSchedule {
  get cron(): undefined { return undefined; }
  get at(): undefined { return undefined; }

  constructor(readonly source: string, readonly timezone: string | undefined) {
    super();
  }

  nextUntil(): undefined {
    return undefined;
  }

  override previous(): undefined {
    return undefined;
  }
}

export class NowSchedule extends SlotlessSchedule {
  get kind(): 'now' { return 'now'; }

  describe(): string {
    return 'Once, as soon as loaded';
  }
}

export class ManualSchedule extends SlotlessSchedule {
  get kind(): 'manual' { return 'manual'; }

  describe(): string {
    return 'Manually, only when run on demand';
  }
}

/**
 * Several schedules acting as one: the earliest next, the latest previous; descriptions joined with
 * "; ". `parts` lets the engine see a 'now' part (which `next` cannot express).
 */
export class UnionSchedule extends BaseSchedule {
  readonly kind: Schedule['kind'];
  readonly source: string;
  readonly timezone: string | undefined;

  constructor(readonly parts: readonly BaseSchedule[]) {
    super();
    const kinds = parts.map((p) => p.kind);
    this.kind = (['cron', 'once', 'now', 'manual'] as const).find((k) => kinds.includes(k)) ?? 'manual';
    this.source = parts.map((p) => p.source).join('; ');
    this.timezone = parts[0]?.timezone;
  }

  /** The cron expression when exactly one part is a cron schedule. */
  get cron(): string | undefined {
    const crons = this.parts.filter((p) => p.kind === 'cron');
    return crons.length === 1 ? crons[0].cron : undefined;
  }

  /** The earliest one-time instant, when kind = 'once'. */
  get at(): number | undefined {
    const ats = this.parts.map((p) => p.at).filter((t): t is number => t !== undefined);
    return this.kind === 'once' && ats.length ? Math.min(...ats) : undefined;
  }

  nextUntil(after: number, until: number): number | undefined {
    let best: number | undefined;
    for (const part of this.parts) {
      const t = part.nextUntil(after, best ?? until);
      if (t !== undefined && (best === undefined || t < best)) best = t;
    }
    return best;
  }

  override previous(before: number): number | undefined {
    let best: number | undefined;
    for (const part of this.parts) {
      const t = part.previous(before);
      if (t !== undefined && (best === undefined || t > best)) best = t;
    }
    return best;
  }

  describe(): string {
    return this.parts.map((p) => p.describe()).join('; ');
  }
}
