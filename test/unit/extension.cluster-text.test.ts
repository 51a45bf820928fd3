// What the Tasks view and the status bar say about a cluster folder (src/extension/clusterText.ts): who
// runs it, this window's part, and when something is wrong, what and when it tries again.
import * as assert from 'assert';
import type { ClusterInfo } from '../../src/core/cluster/window';
import type { MemberView } from '../../src/core/cluster/watch';
import { clusterMessage, clusterStatusText, clusterTooltipLines } from '../../src/extension/clusterText';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const member = (host: string, pid: number, state: MemberView['state'] = 'active'): MemberView => ({
  id: `${host}:${pid}:abcd`, label: `task-scheduler run (pid ${pid}) on ${host}`, host, pid, version: '0.1.0', since: NOW - 60_000,
  heartbeatAt: NOW - 500, running: 0, definitions: 'h', definitionsMatch: true, state,
});
const info = (patch: Partial<ClusterInfo>): ClusterInfo => ({
  cluster: 'chores', database: 'alice@db.internal:5432/scheduler', status: 'up', members: [], pausedAll: false, joined: false, differing: [], ...patch,
});

describe('cluster text', () => {
  it('names the members and says the window watches, and how to run tasks here', () => {
    const text = clusterMessage(info({ members: [member('web-1', 11), member('web-2', 12), member('web-3', 13, 'gone')] }));
    assert.strictEqual(text, 'Cluster "chores" on alice@db.internal:5432/scheduler: run by 2 members — web-1 (pid 11), web-2 (pid 12). '
      + 'This window watches; your actions go to the cluster. "Join Cluster" runs tasks here too.');
  });

  it('says when this window is a member, or stands by and why', () => {
    const self = member('laptop', 99);
    assert.match(clusterMessage(info({ joined: true, memberRole: 'executor', memberId: self.id, members: [member('web-1', 11), self] })),
      /this window is a member and runs tasks, with web-1 \(pid 11\)\.$/);
    assert.match(clusterMessage(info({ joined: true, memberRole: 'viewer', memberId: self.id, differing: ['backup'], members: [self] })),
      /stands by: its task files differ from those the cluster runs \(backup\)\.$/);
  });

  it('says what is wrong, and the status bar counts down to the next attempt', () => {
    const down = info({ status: 'down', problem: 'cannot reach PostgreSQL at alice@db.internal:5432/scheduler: connection refused. Reconnecting with back-off', retryAt: NOW + 8_000 });
    assert.match(clusterMessage(down, 'ops: '), /^ops: Cluster "chores" on .*: cannot reach PostgreSQL .* Reconnecting with back-off\.$/);
    assert.strictEqual(clusterStatusText([down], NOW), '$(debug-disconnect) chores retry in 8s');
    assert.deepStrictEqual(clusterTooltipLines([down], NOW), [`Cluster "chores": ${down.problem}. Next attempt in 8s.`]);
    const failed = info({ status: 'failed', problem: 'PostgreSQL at … refused the login: set it with "Task Scheduler: Set Database Password…"' });
    assert.strictEqual(clusterStatusText([failed, down], NOW), '$(debug-disconnect) chores failed +1');
    assert.strictEqual(clusterStatusText([info({ members: [member('web-1', 11)] })], NOW), undefined, 'nothing to say when all is well');
  });
});
