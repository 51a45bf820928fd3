// A window onto a cluster, in a real workbench: the folder's .scheduler.yaml names a real PostgreSQL that
// two `task-scheduler run` members execute (started by the test, outside VS Code). Shows: the Tasks view
// says which member ran each run (host and pid); the dashboard does too and its Members panel lists both
// members; Join Cluster from F1 makes the window a third member that runs slots of its own.
'use strict';
const assert = require('assert');
const os = require('os');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, openContainer, ids, manifest } = require('./workbench');

require('../../register');
const { startCluster } = require('../clusterSetup');
const { sql } = require('../../unit/helpers/clusterMembers');

const container = manifest.contributes.viewsContainers.activitybar[0];
const HOST = os.hostname();
const FILES = { '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  tick: { command: "echo tick", schedule: "every 2 seconds" }\n' };
const esc = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('UI: a window onto a cluster', function () {
  this.timeout(180_000);
  let setup;
  const wb = useWorkbench({
    beforeStart: async (w) => {
      setup = await startCluster({ folder: w.folder, base: path.join(w.run.dir, 'cluster'), cluster: 'uipass', files: FILES, members: 2 });
      return setup.env;
    },
  });
  after(async () => { await setup?.stop(); });

  const pids = () => setup.members.map((m) => m.pid);
  const memberPid = new RegExp(`on ${esc(HOST)} \\(pid (\\d+)\\)`);
  const pane = () => wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header[aria-label="Tasks Section"]') });
  const tickRow = () => pane().locator('.monaco-list-row[aria-level="1"]', { has: wb.page.locator('.label-name', { hasText: /^tick$/ }) });
  const frame = () => wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  /** Reads until `read()` gives a text matching `re` (rows redraw as the members run ticks). */
  async function textMatching(what, read, re, timeout = 60_000) {
    let last = '';
    for (const deadline = Date.now() + timeout; Date.now() < deadline; await wb.page.waitForTimeout(250)) {
      last = await read().catch(() => '');
      const m = re.exec(last);
      if (m) return m;
    }
    return assert.fail(`${what}: ${JSON.stringify(last)} does not match ${re}`);
  }

  it('the Tasks view shows runs the CLI members executed, with their host and pid', async () => {
    await openContainer(wb.page, container.title);
    await tickRow().waitFor({ timeout: 120_000 });
    await textMatching('the tick row', async () => tickRow().locator('.label-description').innerText(), new RegExp(`✓ .* on ${esc(HOST)}$`));
    await tickRow().locator('.monaco-tl-twistie').click();
    const child = pane().locator('.monaco-list-row[aria-level="2"]', { hasText: 'succeeded' }).first();
    const m = await textMatching('a run row of tick', async () => child.locator('.label-description').innerText(), memberPid);
    assert.ok(pids().includes(Number(m[1])), `run row names pid ${m[1]}, members are ${pids()}`);
    const message = await pane().locator('.message, .tree-explorer-viewlet-tree-view-message').first().innerText();
    assert.match(message, /Cluster "uipass" .*run by 2 members/);
    await browser.screenshot(wb.page, 'ui-cluster-tree');
  });

  it('the dashboard shows who ran the last run, and its Members panel lists both members', async () => {
    await browser.runCommand(wb.page, `${ids.CATEGORY}: ${ids.COMMAND_TITLES[ids.CommandId.ShowDashboard]}`);
    const last = frame().locator('table.tasks tr[data-task="tick"] td.last .member');
    const m = await textMatching('the last result of tick', async () => last.innerText(), memberPid);
    assert.ok(pids().includes(Number(m[1])));
    for (const pid of pids()) {
      const row = frame().locator(`table.members tr.member[data-pid="${pid}"]`);
      await row.waitFor({ timeout: 30_000 });
      assert.match(await row.locator('td.host').innerText(), new RegExp(`^${esc(HOST)}`));
      assert.match(await row.locator('td.definitions').innerText(), /matching/);
      assert.strictEqual(await row.getAttribute('data-state'), 'active');
    }
    // Run Now from the table: the page says which member took it.
    await frame().locator('table.tasks tr[data-task="tick"] button[aria-label="Run Now"]').click();
    const notice = frame().locator('#notice .notice');
    const took = await textMatching('the Run Now notice', async () => notice.innerText(), new RegExp(`started on ${esc(HOST)} \\(pid (\\d+)\\)`), 20_000);
    assert.ok(pids().includes(Number(took[1])), `Run Now went to pid ${took[1]}`);
    await browser.screenshot(wb.page, 'ui-cluster-dashboard');
  });

  it('Join Cluster makes the window a member that runs slots', async () => {
    await browser.runCommand(wb.page, `${ids.CATEGORY}: ${ids.COMMAND_TITLES[ids.CommandId.JoinCluster]}`);
    const [host] = cs.extensionHostPids(wb.server.pid);
    assert.ok(host, 'no extension host found');
    const self = frame().locator(`table.members tr.member[data-pid="${host}"]`);
    await self.waitFor({ timeout: 30_000 });
    await textMatching('the window\'s own row', async () => self.locator('td.host').innerText(), /\(this window\)/, 30_000);
    const ran = await (async () => {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
        const rows = await sql(setup.url, "SELECT id FROM task_scheduler.runs WHERE cluster = 'uipass' AND status = 'succeeded' AND member LIKE $1", [`%:${host}:%`]);
        if (rows.length) return rows.length;
      }
      return 0;
    })();
    assert.ok(ran > 0, `no slot ran on the window (extension host pid ${host})`);
    await browser.screenshot(wb.page, 'ui-cluster-joined');
  });
});
