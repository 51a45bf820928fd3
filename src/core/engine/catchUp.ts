// Which of a task's due slots run and which are recorded as missed, pure. A slot is due when it is
// after the task's `lastSlot` and not after now. The newest due slot is on time when the engine woke
// within ON_TIME_TOLERANCE_MS of it; every other due slot was missed (asleep, closed, clock changed,
// event loop blocked) and the task's `catchUp` policy decides:
//   skip   — the on-time slot (if any) runs; the rest are missed
//   latest — the newest slot runs once (as a catch-up if late); the rest are missed
//   all    — every slot within `catchUpWindow` runs, oldest first (at most CATCH_UP_ALL_LIMIT);
//            older ones are missed
import type { CatchUpPolicy } from '../model';
import type { EngineSchedule } from './types';

/**
 * A timer wakes within a few ms of its slot; a busy event loop (a compile, a GC) can hold it a few
 * seconds. Later than this, the machine slept or the clock moved, and the slot counts as missed.
 */
export const ON_TIME_TOLERANCE_MS = 5_000;

/**
 * Slots counted one by one after a gap; beyond this the count is reported as "at least" — a 3-day sleep
 * of an every-second task is 259,200 slots and counting them would block the event loop.
 */
export const SCAN_LIMIT = 1_000;

/** `catchUp: all` never starts more than this many runs after one gap: a backlog, not a flood. */
export const CATCH_UP_ALL_LIMIT = 100;

export interface DueSlot {
  slot: number;
  /** Ran late: trigger `catch-up` instead of `schedule`. */
  late: boolean;
}

export interface MissedSlots {
  count: number;
  /** More slots were missed than were counted (SCAN_LIMIT). */
  countIsLowerBound: boolean;
  first: number;
  last: number;
  /** Every missed slot, oldest first, when they were all counted; otherwise empty. */
  slots: number[];
}

export interface DuePlan {
  run: DueSlot[];
  missed?: MissedSlots;
  /** The new `lastSlot`: the newest due slot, whatever was done with it. */
  handledUpTo: number;
}

/** Undefined when nothing is due. */
export function planDue(
  schedule: EngineSchedule, lastSlot: number, now: number, policy: CatchUpPolicy, windowMs: number,
): DuePlan | undefined {
  const due: number[] = [];
  let capped = false;
  for (let s = schedule.next(lastSlot); s !== undefined && s <= now; s = schedule.next(s)) {
    if (due.length >= SCAN_LIMIT) { capped = true; break; }
    due.push(s);
  }
  if (due.length === 0) return undefined;

  let newest = due[due.length - 1];
  if (capped) {
    const p = schedule.previous(now + 1);
    if (p !== undefined && p > newest && p <= now) newest = p;
  }
  const onTime = now - newest <= ON_TIME_TOLERANCE_MS;

  let run: DueSlot[];
  if (policy === 'skip') run = onTime ? [{ slot: newest, late: false }] : [];
  else if (policy === 'latest') run = [{ slot: newest, late: !onTime }];
  else run = inWindow(schedule, due, capped, newest, lastSlot, now - windowMs)
    .map((slot) => ({ slot, late: !(slot === newest && onTime) }));

  const ran = new Set(run.map((r) => r.slot));
  let missed: MissedSlots | undefined;
  if (!capped) {
    const slots = due.filter((s) => !ran.has(s));
    if (slots.length) missed = { count: slots.length, countIsLowerBound: false, first: slots[0], last: slots[slots.length - 1], slots };
  } else {
    // Everything before the oldest slot that runs was missed; `due` holds the first SCAN_LIMIT of them.
    const firstRun = run.length ? run[0].slot : newest + 1;
    const last = schedule.previous(firstRun);
    const counted = due.filter((s) => s < firstRun).length;
    if (counted > 0 && last !== undefined) {
      missed = { count: counted, countIsLowerBound: true, first: due[0], last, slots: [] };
    }
  }
  return { run, missed, handledUpTo: newest };
}

/** The newest CATCH_UP_ALL_LIMIT due slots at or after `windowStart`, oldest first. */
function inWindow(
  schedule: EngineSchedule, due: number[], capped: boolean, newest: number, lastSlot: number, windowStart: number,
): number[] {
  if (!capped) return due.filter((s) => s >= windowStart).slice(-CATCH_UP_ALL_LIMIT);
  // Too many to scan forwards: walk back from the newest.
  const out: number[] = [];
  for (let s: number | undefined = newest; s !== undefined && s > lastSlot && s >= windowStart; s = schedule.previous(s)) {
    out.push(s);
    if (out.length >= CATCH_UP_ALL_LIMIT) break;
  }
  return out.reverse();
}
