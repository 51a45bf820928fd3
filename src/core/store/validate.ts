// A record is checked before it is journaled: a line the database would refuse (say, a run without a
// task id) must be refused to the caller now, not discovered in the worker or skipped on every replay.
import { RUN_STATUSES, TRIGGERS } from '../model';
import type { Mutation } from './mutations';

const TASK_KINDS = ['module', 'command', 'vscodeCommand', 'vscodeTask'];
const PENDING_KINDS = ['retry', 'once', 'enqueue'];

type Shape = Record<string, 'string' | 'number' | 'boolean' | readonly string[]>;

const RUN: Shape = { id: 'string', taskId: 'string', trigger: TRIGGERS, status: RUN_STATUSES, attempt: 'number', queuedAt: 'number' };
const TASK_IDENTITY: Shape = { taskId: 'string', name: 'string', file: 'string', kind: TASK_KINDS };
const TASK_STATE: Shape = {
  ...TASK_IDENTITY, paused: 'boolean', retryCount: 'number', consecutiveFailures: 'number', removed: 'boolean', updatedAt: 'number',
};
const PENDING: Shape = {
  id: 'string', taskId: 'string', kind: PENDING_KINDS, dueAt: 'number', attempt: 'number', trigger: TRIGGERS, createdAt: 'number',
};

function check(what: string, value: unknown, shape: Shape): void {
  if (typeof value !== 'object' || value === null) throw new TypeError(`history: ${what} must be an object`);
  const v = value as Record<string, unknown>;
  for (const [key, want] of Object.entries(shape)) {
    const ok = typeof want === 'string' ? typeof v[key] === want && (want !== 'number' || Number.isFinite(v[key]))
      : want.includes(v[key] as string);
    if (!ok) {
      const expected = typeof want === 'string' ? `a ${want}` : `one of ${want.join(', ')}`;
      throw new TypeError(`history: ${what}.${key} must be ${expected}, got ${JSON.stringify(v[key])}`);
    }
  }
}

export function checkMutation(m: Mutation): void {
  switch (m.op) {
    case 'putRun': return check('run', m.run, RUN);
    case 'saveTaskState': return check('task state', m.state, TASK_STATE);
    case 'syncTasks':
      if (!Array.isArray(m.tasks)) throw new TypeError('history: syncTasks needs a list of tasks');
      return m.tasks.forEach((t, i) => check(`tasks[${i}]`, t, TASK_IDENTITY));
    case 'putPending': return check('pending job', m.job, PENDING);
    case 'deletePending':
      if (typeof m.id !== 'string') throw new TypeError('history: deletePending needs an id');
      return;
    case 'markInterrupted':
    case 'cleanup':
      if (!Number.isFinite(m.now)) throw new TypeError(`history: ${m.op} needs a time`);
      return;
  }
}
