// Runs in the pass `host-cluster` (test/vscode/host.js): the folder's .scheduler.yaml names a cluster on
// a real PostgreSQL, and two `task-scheduler run` members (pids in TASK_SCHEDULER_TEST_MEMBERS) execute
// it. The window only watches: it lists the cluster's tasks, Run Now goes to a member and the result comes
// back, Pause stops the members' runs, the join setting makes it a member and leaves again, and a member
// killed -9 shows as gone in the Members panel's data.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { CommandId, SETTINGS } from '../../../src/extension/ids';
import { descendants } from '../../chaos/procs';
import { folder, getApi, sleep, waitFor, waitForRun } from './helpers';

const MEMBERS = (process.env.TASK_SCHEDULER_TEST_MEMBERS ?? '').split(',').filter(Boolean).map(Number);
const pidOf = (executor: string | undefined) => Number(executor?.split(':')[1]);

describe('a window onto a cluster', function () {
  this.timeout(60_000);

  before(async () => {
    assert.strictEqual(MEMBERS.length, 2, 'the harness names two members');
    await (await getApi()).ready();
  });

  it('lists the cluster\'s tasks, with runs the members executed', async () => {
    const api = await getApi();
    const info = await waitFor('the cluster to be up', () => { const i = api.cluster(); return i?.status === 'up' ? i : undefined; });
    assert.strictEqual(info.cluster, 'hostpass');
    assert.strictEqual(info.joined, false, 'a window only watches unless asked');
    const tasks = await api.listTasks();
    assert.deepStrictEqual(tasks.map((t) => t.id).sort(), ['tasks/where', 'tick']);
    assert.ok(tasks.every((t) => t.folder === folder()));
    const tick = await waitFor('tick to have a last run', async () => (await api.listTasks()).find((t) => t.id === 'tick' && t.lastRun));
    const run = await api.getRun(tick.lastRun!.id);
    assert.ok(MEMBERS.includes(pidOf(run?.executor)), `tick ran on ${run?.executor}, not on a member (${MEMBERS})`);
    assert.deepStrictEqual(info.members.filter((m) => m.state === 'active').map((m) => m.pid).sort(), [...MEMBERS].sort());
  });

  it('Run Now from the window runs on a member, and its result and output come back', async () => {
    const api = await getApi();
    const runId = await vscode.commands.executeCommand<string>(CommandId.RunNow, 'tasks/where');
    assert.ok(runId, 'Run Now returned no run id');
    const run = await waitForRun(api, runId);
    assert.strictEqual(run.status, 'succeeded', run.error);
    const ranOn = pidOf(run.executor);
    assert.ok(MEMBERS.includes(ranOn), `ran on ${run.executor}`);
    assert.deepStrictEqual(run.result, { memberPid: ranOn }, 'the runner\'s parent is the member that claimed it');
    assert.match(run.output ?? '', new RegExp(`ran under pid ${ranOn}`));
    assert.notStrictEqual(ranOn, process.pid);
    // Its output opens as a local run's does: the cluster kept it.
    const uri = await vscode.commands.executeCommand<vscode.Uri>(CommandId.ShowRunOutput, { runId, folder: folder() });
    const text = (await vscode.workspace.openTextDocument(uri!)).getText();
    assert.match(text, new RegExp(`ran under pid ${ranOn}`));
    assert.match(text, /"memberPid"/);
  });

  it('pausing from the window stops the members\' runs of that task; resuming brings them back', async () => {
    const api = await getApi();
    await vscode.commands.executeCommand(CommandId.Pause, 'tick');
    const pausedAt = Date.now();
    await waitFor('tick to show paused', async () => (await api.listTasks()).find((t) => t.id === 'tick' && t.state === 'paused'));
    await sleep(3_000);
    const late = (await api.runs('tick', 20)).filter((r) => r.status !== 'skipped' && (r.startedAt ?? 0) > pausedAt + 1_000);
    assert.deepStrictEqual(late.map((r) => r.id), [], 'tick ran more than 1 s after the pause');
    await vscode.commands.executeCommand(CommandId.Resume, 'tick');
    const resumedAt = Date.now();
    await waitFor('a tick after resume', async () => (await api.runs('tick', 5)).find((r) => (r.startedAt ?? 0) > resumedAt), 10_000);
  });

  it('the setting taskScheduler.cluster.join makes the window a member that runs slots; turned off, it leaves', async () => {
    const api = await getApi();
    const config = vscode.workspace.getConfiguration();
    await config.update(SETTINGS.clusterJoin.key, true, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the window to be an executing member', () => { const i = api.cluster(); return i?.joined && i.memberRole === 'executor' ? i : undefined; });
      const joinedAt = Date.now();
      await waitFor('a tick run by this window', async () => (await api.runs('tick', 20)).find((r) => pidOf(r.executor) === process.pid && (r.startedAt ?? 0) >= joinedAt), 20_000);
    } finally {
      await config.update(SETTINGS.clusterJoin.key, undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the window to leave', () => api.cluster()?.joined === false);
    const left = Date.now();
    await sleep(3_000);
    const mine = (await api.runs('tick', 20)).filter((r) => pidOf(r.executor) === process.pid && (r.startedAt ?? 0) > left + 1_000);
    assert.deepStrictEqual(mine.map((r) => r.id), [], 'the window ran tick after leaving');
  });

  it('a member killed -9 shows as gone in the Members panel within 10 s', async () => {
    const api = await getApi();
    await vscode.commands.executeCommand(CommandId.ShowDashboard); // the panel keeps the heartbeats fresh while shown
    const victim = MEMBERS[1];
    await waitFor('the victim listed active', () => api.cluster()?.members.some((m) => m.pid === victim && m.state === 'active'));
    const kids = descendants(victim);
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    for (const k of kids) { try { process.kill(k, 'SIGKILL'); } catch { /* gone */ } }
    await waitFor('the killed member shown as gone', () => api.cluster()?.members.some((m) => m.pid === victim && m.state === 'gone'), 10_000);
    console.log(`      kill -9 → gone in the Members panel after ${Date.now() - killedAt} ms`);
    assert.ok(api.cluster()?.members.some((m) => m.pid === MEMBERS[0] && m.state === 'active'), 'the other member is still active');
  });
});
