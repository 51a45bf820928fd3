// The rows a folder shows while its history is still being read: straight from the plan.
import * as assert from 'assert';
import { parseSchedule } from '../../src/core/schedule';
import type { TaskSpec } from '../../src/core/model';
import { planViews } from '../../src/extension/planViews';
import { taskContextValue, taskItemModel } from '../../src/extension/treeItems';

const NOW = Date.UTC(2026, 2, 10, 12, 1, 0);

function spec(id: string, enabled = true): TaskSpec {
  return {
    id, name: `Task ${id}`, kind: 'module', file: `/ws/${id}.task.ts`, workspaceFolder: '/ws', schedule: ['every 5 minutes'], timeout: 0,
    retries: { max: 0, backoff: 'fixed', delay: 0, maxDelay: 0, jitter: false }, overlap: 'skip', catchUp: 'latest', catchUpWindow: 0,
    priority: 'normal', dependsOn: [], tags: ['t'], enabled, env: {}, params: {}, pauseAfterFailures: 0,
  };
}

describe('extension: rows from the plan while history loads', () => {
  const every5 = parseSchedule('every 5 minutes', { timezone: 'UTC' });
  assert.ok(every5.ok);
  const plan = {
    tasks: [{ spec: spec('a'), schedule: every5.schedule }, { spec: spec('off', false), schedule: every5.schedule }, { spec: spec('m') }],
    invalid: [{ id: 'bad', name: 'bad', file: '/ws/bad.task.ts', reason: 'does not compile' }],
  };

  it('lists every task with its schedule in words and next slot; disabled and invalid ones say so', () => {
    const views = planViews(plan, NOW);
    assert.deepStrictEqual(views.map((v) => [v.id, v.state, v.nextRun && new Date(v.nextRun).toISOString()]), [
      ['a', 'scheduled', '2026-03-10T12:05:00.000Z'],
      ['off', 'disabled', undefined],
      ['m', 'scheduled', undefined],
      ['bad', 'invalid', undefined],
    ]);
    assert.strictEqual(views[0].schedule, every5.schedule.describe());
    assert.strictEqual(views[3].stateReason, 'does not compile');
  });

  it('shows them as loading, with no actions until the engine has them', () => {
    const [a] = planViews(plan, NOW);
    const entry = { folder: '/ws', folderName: 'ws', view: a, pausedAll: false, loading: 'plan' as const };
    assert.strictEqual(taskItemModel(entry, NOW).icon.id, 'loading~spin');
    assert.strictEqual(taskContextValue(entry), 'task.loading');
    assert.strictEqual(taskItemModel(entry, NOW).description, 'in 4 min');
  });
});
