// Following a task's schedule: where it starts from (arm), stopping (disarm), and what a wake does
// with its due slots. The invariant that makes slots fire exactly once: only slots after
// `state.lastSlot` are due, and `lastSlot` moves to the newest due slot *before* any run is admitted.
// A timer that wakes early finds nothing due; a clock set back finds its slots already handled.
import { createHash } from 'crypto';
import { planDue, type MissedSlots } from './catchUp';
import type { Core } from './core';
import type { Runs } from './runs';
import { portableDefinition, type TaskRuntime } from './taskState';

/** A few missed slots get a row each on the timeline; more would bury the real runs, so one row sums them up. */
export const MISSED_DETAIL_LIMIT = 5;

/** A schedule slot is one occurrence of its task, whoever handles it (on time, caught up, or missed). */
export function slotOccurrence(slot: number): string {
  return `slot:${slot}`;
}

/** A `now` task runs once per definition: the definition names the occurrence. */
function definitionHash(rt: TaskRuntime): string {
  return createHash('sha256').update(portableDefinition(rt.spec, rt.schedule)).digest('hex').slice(0, 16);
}

const NOT_RUNNING = 'the scheduler was not running then (machine asleep, editor closed, or the clock changed)';

export class Slots {
  constructor(private readonly core: Core, private readonly runs: Runs) {}

  /**
   * Starts following the schedule. `catchUp`: from the persisted `lastSlot` (slots missed while the
   * scheduler was not running are then due); otherwise from now. `rerunNow`: a `now` task whose
   * definition changed runs again.
   */
  arm(rt: TaskRuntime, catchUp: boolean, rerunNow = false): void {
    const { core } = this;
    const now = core.now();
    rt.armed = true;
    rt.nextSlot = undefined;
    const kind = rt.schedule?.kind ?? 'manual';
    if (kind === 'manual') return;
    if (kind === 'now') {
      // Once per definition: `lastSlot` records that it ran, so a restart does not run it again.
      if (rt.state.lastSlot === undefined || rerunNow) {
        rt.state.lastSlot = now;
        core.saveState(rt);
        this.runs.admit(rt, { trigger: 'once', scheduledFor: now, mode: 'slot', occurrence: `now:${definitionHash(rt)}` });
      }
      return;
    }
    const last = rt.state.lastSlot;
    const base = last === undefined || !catchUp ? Math.max(last ?? now, now) : last;
    if (base !== last) {
      rt.state.lastSlot = base;
      core.saveState(rt);
    }
    rt.nextSlot = rt.schedule!.next(base);
  }

  /** Stops following the schedule; queued runs it produced are recorded skipped (manual ones stay). */
  disarm(rt: TaskRuntime, reason: string): void {
    rt.armed = false;
    rt.nextSlot = undefined;
    this.runs.drop((e) => e.run.taskId === rt.spec.id && e.run.trigger !== 'manual', 'skipped', reason, true);
  }

  /** Handles the task's due slots at `now`, by its catch-up policy. */
  due(rt: TaskRuntime, now: number): void {
    const schedule = rt.schedule;
    if (!rt.armed || !schedule || rt.nextSlot === undefined || rt.nextSlot > now) return;
    const last = rt.state.lastSlot ?? now;
    const plan = planDue(schedule, last, now, rt.spec.catchUp, rt.spec.catchUpWindow);
    if (!plan) {
      rt.nextSlot = schedule.next(Math.max(last, now));
      return;
    }
    rt.state.lastSlot = plan.handledUpTo;
    rt.nextSlot = schedule.next(plan.handledUpTo);
    this.core.saveState(rt);
    if (plan.missed) this.recordMissed(rt, plan.missed);
    const mode = plan.run.length > 1 ? 'backlog' : 'slot';
    const onTime = schedule.kind === 'once' ? 'once' : 'schedule';
    for (const due of plan.run) {
      this.runs.admit(rt, { trigger: due.late ? 'catch-up' : onTime, scheduledFor: due.slot, mode, occurrence: slotOccurrence(due.slot) });
    }
  }

  private recordMissed(rt: TaskRuntime, missed: MissedSlots): void {
    const policy = rt.spec.catchUp;
    const why = policy === 'skip' ? `${NOT_RUNNING}; catchUp is skip`
      : policy === 'latest' ? `${NOT_RUNNING}; catchUp: latest runs only the newest missed slot`
        : `${NOT_RUNNING}; older than the catch-up window`;
    if (!missed.countIsLowerBound && missed.count <= MISSED_DETAIL_LIMIT) {
      for (const slot of missed.slots) this.runs.recordFinal(rt, { trigger: 'schedule', status: 'missed', scheduledFor: slot, occurrence: slotOccurrence(slot), error: why });
    } else {
      const count = `${missed.count}${missed.countIsLowerBound ? '+' : ''}`;
      const range = `${new Date(missed.first).toISOString()} to ${new Date(missed.last).toISOString()}`;
      this.runs.recordFinal(rt, { trigger: 'schedule', status: 'missed', scheduledFor: missed.last, occurrence: slotOccurrence(missed.last), error: `${count} slots missed, ${range}: ${why}` });
    }
    this.core.emit({
      type: 'missed', taskId: rt.spec.id, count: missed.count, countIsLowerBound: missed.countIsLowerBound,
      from: missed.first, to: missed.last,
    });
  }
}
