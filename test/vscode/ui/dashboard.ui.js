// The dashboard webview in a real workbench, on a copy of examples/ plus two tasks of our own: one that
// always fails, and one whose name and error are hostile markup with a 5,000-character tail. Shows:
// Show Dashboard from F1 lists the examples with schedules in words; Run Now from a row runs a task and
// its run appears in the table and the timeline; a failure lands in "Last errors"; hostile text is shown
// as text (no element made from it, no dialog, no link) and does not widen the page; the filters survive
// the panel being hidden and the window being reloaded (the panel comes back by itself). Over two folders
// with the CLI executing one: a folder column, a read-only banner naming the CLI, and Take Over.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, startCliExecutor, ids, manifest } = require('./workbench');

const EVIL = '<img src=x onerror=alert(1)> </script><script>alert(2)</script> javascript:alert(1)';
const EVIL_ERROR = `${EVIL} <a href="javascript:alert(3)">click</a>`;
const LONG_TAIL = 'W'.repeat(5000);
const FAILURE = 'disk full: /var/backups has 0 bytes left';

/** examples/ and two more task files, in a folder useWorkbench copies into its run. */
function makeWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(cs.ROOT, 'examples'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tasks/always-fails.task.ts'), `// Fails every time, without retries.
export default {
  name: "Always fails",
  schedule: "manual",
  retries: { max: 0 },
  run() { throw new Error(${JSON.stringify(FAILURE)}); },
};
`);
  fs.writeFileSync(path.join(dir, 'tasks/hostile.task.ts'), `// Markup in its name and its error: the views must show it as text.
export default {
  name: ${JSON.stringify(`${EVIL} ${LONG_TAIL}`)},
  schedule: "manual",
  retries: { max: 0 },
  tags: [${JSON.stringify(EVIL)}],
  run() { throw new Error(${JSON.stringify(EVIL_ERROR)}); },
};
`);
}

describe('UI: the dashboard', function () {
  this.timeout(120_000);
  const workspace = path.join(cs.ROOT, 'out/ui/dashboard-workspace');
  before(() => makeWorkspace(workspace));
  const wb = useWorkbench({ workspace });
  const dialogs = [];
  before(() => wb.page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss().catch(() => {}); }));
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  const title = `${ids.CATEGORY}: ${ids.COMMAND_TITLES[ids.CommandId.ShowDashboard]}`;
  const frame = () => wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const row = (taskId) => frame().locator(`table.tasks tr[data-task="${taskId}"]`);
  const text = async (locator) => (await locator.innerText()).trim();

  /**
   * F1 → Show Dashboard. The palette lists what is registered when it opens and does not refresh: right
   * after the workbench loads it can open before our contributions are in, so look again if it missed us.
   */
  async function showDashboard() {
    // ^=: with a failure badge the label goes on ("Task Scheduler - 2 …").
    await wb.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${manifest.contributes.viewsContainers.activitybar[0].title}"]`).first().waitFor();
    for (let attempt = 1; ; attempt++) {
      try {
        await browser.runCommand(wb.page, title);
        return;
      } catch (e) {
        if (attempt === 3) throw e;
        await wb.page.keyboard.press('Escape');
      }
    }
  }

  /** The element is drawn on top where it stands (not hidden under another part of the picture). */
  async function assertOnTop(locator, what) {
    // Scrolled and hit-tested in one go: the page redraws every few seconds and a row that grows (a
    // result wraps to two lines) can push an element scrolled just into view back out of it.
    const onTop = await locator.evaluate((e) => {
      e.scrollIntoView({ block: 'center', inline: 'center' });
      const r = e.getBoundingClientRect();
      const hit = e.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit === e || e.contains(hit);
    });
    assert.ok(onTop, `${what} is hidden under something else`);
  }

  async function runFromRow(taskId) {
    const button = row(taskId).getByRole('button', { name: 'Run Now', exact: true });
    await button.waitFor();
    assert.strictEqual(await button.isEnabled(), true, `Run Now is disabled for ${taskId}`);
    await button.click();
  }

  it('opens from F1 and lists the examples with their schedules in words and next runs', async function () {
    this.timeout(240_000);
    await showDashboard();
    // The first start installs esbuild (autoInstall, see workbench.js) and compiles every task file;
    // until then the rows are there but invalid ("needs esbuild"): wait for the compiled one.
    const hello = row('tasks/hello-world');
    await hello.locator('td.task .name', { hasText: /^Hello world$/ }).waitFor({ timeout: 200_000 });
    assert.strictEqual(await text(hello.locator('td.task .name')), 'Hello world');
    assert.match(await text(hello.locator('td.schedule')), /^Every 10 minutes/);
    assert.match(await text(hello.locator('td.next')), /^(now|in \d+ (s|min))$/);
    assert.match(await text(row('tasks/daily-report').locator('td.schedule')), /^Daily at 09:30/);
    assert.match(await text(row('save-all').locator('td.schedule')), /^Every 15 minutes/);
    assert.match(await text(row('tasks/pipeline/report').locator('td.schedule')), /^Manually/);
    for (const figure of ['success', 'running', 'queued', 'duration']) {
      await frame().locator(`#health [data-figure="${figure}"]`).waitFor();
    }
    // Planned runs of the next 24 h are drawn: hello-world alone has 144.
    await frame().locator('svg.timeline path.mark.kind-schedule').first().waitFor();
    await browser.screenshot(wb.page, 'ui-dashboard');
  });

  it('Run Now from a row runs the task: its result shows in the row, the health and the timeline', async () => {
    await runFromRow('tasks/hello-world');
    await row('tasks/hello-world').locator('td.last .status-succeeded').waitFor({ timeout: 60_000 });
    assert.match(await text(row('tasks/hello-world').locator('td.last')), /^Succeeded · (now|\d+ s ago) · \d/);
    const bar = frame().locator('svg.timeline rect.bar.status-succeeded', { has: frame().locator('title', { hasText: /^Hello world — / }) });
    await bar.first().waitFor({ state: 'attached' });
    await assertOnTop(bar.last(), 'the run\'s bar');
    // Other examples may run on their own meanwhile (Flaky API ping fails half the time): at least this success counts.
    await frame().locator('#health [data-figure="success"] .card-note', { hasText: /^[1-9]\d* of [1-9]\d* runs?$/ }).waitFor();
    await browser.screenshot(wb.page, 'ui-dashboard-run-now');
  });

  it('a failing task\'s error appears under Last errors, and its run in red on the timeline', async () => {
    await runFromRow('tasks/always-fails');
    const error = frame().locator('#errors .task-errors', { has: frame().locator('h3', { hasText: 'Always fails' }) });
    await error.locator('pre.message', { hasText: FAILURE }).waitFor({ timeout: 60_000 });
    assert.match(await text(error.locator('.error-head').first()), /Failed · attempt 1 ·/);
    assert.match(await text(row('tasks/always-fails').locator('td.last')), /^Failed/);
    const failed = frame().locator('svg.timeline rect.bar.status-failed', { has: frame().locator('title', { hasText: /^Always fails — / }) });
    await failed.first().waitFor({ state: 'attached' });
    await assertOnTop(failed.first(), 'the failed run\'s bar');
    await frame().locator('#health [data-figure="success"] .card-value', { hasText: /^[1-9]?\d(\.\d)? %$/ }).waitFor(); // below 100 %
    await error.scrollIntoViewIfNeeded();
    await browser.screenshot(wb.page, 'ui-dashboard-error');
  });

  it('shows hostile names and errors as text: no element, link or dialog from them, and the layout holds', async () => {
    const hostile = row('tasks/hostile');
    const name = hostile.locator('td.task .name');
    assert.ok((await name.textContent()).startsWith(EVIL), 'the name is shown literally');
    await runFromRow('tasks/hostile');
    const message = frame().locator('#errors pre.message', { hasText: 'javascript:alert(3)' });
    await message.waitFor({ timeout: 60_000 });
    assert.ok((await message.textContent()).includes(EVIL_ERROR), 'the error is shown literally');
    assert.ok(await frame().locator('#filters option', { hasText: EVIL }).count() > 0, 'the tag is a choice, as text');
    // Nothing was made from the text: no image, no link, no second script, and no dialog opened.
    assert.strictEqual(await frame().locator('img').count(), 0, 'an <img> exists in the page');
    assert.strictEqual(await frame().locator('a').count(), 0, 'a link exists in the page');
    // VS Code puts its acquireVsCodeApi script in the head; the body has ours alone, and no script holds task text.
    const scripts = await frame().locator('script').evaluateAll((list) => list.map((s) => ({ src: s.src, inBody: s.ownerDocument.body.contains(s), text: s.textContent })));
    assert.deepStrictEqual(scripts.filter((s) => s.inBody).map((s) => new URL(s.src).pathname.replace(/^.*\/dist\//, 'dist/')), ['dist/media/dashboard.js']);
    assert.ok(scripts.every((s) => !s.text.includes('alert(')), 'a script holds the task\'s text');
    assert.deepStrictEqual(dialogs, []);
    // The 5,000-character name neither widens the table nor the page.
    const layout = await frame().locator('body').evaluate((body) => {
      const doc = body.ownerDocument.documentElement;
      const table = body.querySelector('table.tasks').getBoundingClientRect();
      const pre = [...body.querySelectorAll('pre.message')].map((p) => p.getBoundingClientRect().right);
      return { viewport: doc.clientWidth, scroll: doc.scrollWidth, table: table.right, pre: Math.max(...pre) };
    });
    assert.ok(layout.table <= layout.viewport, `table ends at ${layout.table} px, past the ${layout.viewport} px viewport`);
    assert.ok(layout.pre <= layout.viewport, `an error ends at ${layout.pre} px, past the ${layout.viewport} px viewport`);
    assert.ok(layout.scroll <= layout.viewport, `the page scrolls sideways (${layout.scroll} > ${layout.viewport})`);
    const nameBox = await name.boundingBox();
    assert.ok(nameBox && nameBox.height < 40, `the name takes ${nameBox && nameBox.height} px of height`);
    await frame().locator('#errors .task-errors', { has: frame().locator('h3', { hasText: EVIL.slice(0, 20) }) }).scrollIntoViewIfNeeded();
    await browser.screenshot(wb.page, 'ui-dashboard-hostile');
    assert.deepStrictEqual(dialogs, []);
  });

  it('keeps its filters when hidden and shown again, and comes back by itself after a reload', async () => {
    await frame().locator('#filter-tag').selectOption('demo');
    await frame().locator('table.tasks tbody tr').first().waitFor();
    assert.deepStrictEqual(await frame().locator('table.tasks tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.task)), ['tasks/hello-world']);
    // Hide it behind another editor, then show it again: the page is rebuilt from its saved state.
    await wb.page.keyboard.press('F1');
    await wb.page.locator('.quick-input-widget .quick-input-box input').fill('>File: New Untitled Text File');
    // Clicked, not Enter: the first row can be a look-alike ("Compare New Untitled Text Files").
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: /^File: New Untitled Text File/ }).first().click();
    await wb.page.locator('iframe.webview.ready').waitFor({ state: 'hidden' });
    await showDashboard();
    await frame().locator('table.tasks tr[data-task="tasks/hello-world"]').waitFor();
    assert.strictEqual(await frame().locator('#filter-tag').inputValue(), 'demo');
    assert.strictEqual(await frame().locator('table.tasks tbody tr').count(), 1);
    // A window reload: the serializer brings the panel back without the command, filters and all.
    await wb.page.reload({ waitUntil: 'domcontentloaded' });
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const tab = wb.page.locator('.tabs-container .tab', { hasText: 'Task Scheduler' });
    await tab.waitFor({ timeout: 60_000 });
    await tab.click();
    await frame().locator('table.tasks tr[data-task="tasks/hello-world"]').waitFor({ timeout: 90_000 });
    assert.strictEqual(await frame().locator('#filter-tag').inputValue(), 'demo');
    assert.strictEqual(await frame().locator('table.tasks tbody tr').count(), 1);
    await browser.screenshot(wb.page, 'ui-dashboard-restored');
    assert.deepStrictEqual(dialogs, []);
  });
});

// Two folders, the second executed by `task-scheduler run` before the window opens: the dashboard shows
// both with a folder column, says who runs the second one and offers no action on it until Take Over.
describe('UI: the dashboard over two folders, one executed by the CLI', function () {
  this.timeout(180_000);
  const workspace = path.join(cs.ROOT, 'out/ui/dashboard-multiroot');
  before(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.cpSync(path.join(cs.ROOT, 'examples'), path.join(workspace, 'examples'), { recursive: true });
    fs.mkdirSync(path.join(workspace, 'second/tasks'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'second/tasks/second.task.ts'),
      'export default { name: "Second folder task", schedule: "hourly", run() { return 1; } };\n');
    fs.writeFileSync(path.join(workspace, 'multi.code-workspace'), JSON.stringify({ folders: [{ path: 'examples' }, { path: 'second' }] }));
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  let cli;
  const wb = useWorkbench({
    workspace,
    workspaceFile: 'multi.code-workspace',
    beforeOpen: async (w) => { cli = await startCliExecutor(w, path.join(w.folder, 'second')); },
  });
  after(() => { if (cli && cli.exitCode === null) cli.kill('SIGTERM'); });

  const frame = () => wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const row = (taskId) => frame().locator(`table.tasks tr[data-task="${taskId}"]`);
  const runNow = (taskId) => row(taskId).getByRole('button', { name: 'Run Now', exact: true });
  const banner = () => frame().locator('#banners .banner.viewer');

  it('lists both folders\' tasks with a folder column and says the CLI runs the second, read-only', async function () {
    this.timeout(240_000);
    await wb.page.locator('.part.activitybar .action-item a.action-label[aria-label^="Task Scheduler"]').first().waitFor();
    await browser.runCommand(wb.page, `${ids.CATEGORY}: ${ids.COMMAND_TITLES[ids.CommandId.ShowDashboard]}`);
    await row('tasks/hello-world').locator('td.task .name', { hasText: /^Hello world$/ }).waitFor({ timeout: 200_000 });
    await row('tasks/second').locator('td.task .name', { hasText: /^Second folder task$/ }).waitFor({ timeout: 60_000 });
    assert.deepStrictEqual(await frame().locator('table.tasks th').first().innerText(), 'Folder');
    assert.strictEqual((await row('tasks/hello-world').locator('td.folder').innerText()).trim(), 'examples');
    assert.strictEqual((await row('tasks/second').locator('td.folder').innerText()).trim(), 'second');
    await banner().waitFor({ timeout: 30_000 });
    assert.match((await banner().innerText()).trim(), new RegExp(`^second: Executed by task-scheduler run \\(pid ${cli.pid}\\).* — read-only\\s+Take Over$`));
    assert.strictEqual(await runNow('tasks/second').isEnabled(), false, 'Run Now offered on a folder this window does not run');
    assert.strictEqual(await runNow('tasks/hello-world').isEnabled(), true, 'Run Now not offered on a folder this window runs');
    await browser.screenshot(wb.page, 'ui-dashboard-viewer');
  });

  it('Take Over makes this window run the second folder: the banner goes, its actions come, a run works', async () => {
    await banner().getByRole('button', { name: 'Take Over' }).click();
    await banner().waitFor({ state: 'detached', timeout: 30_000 });
    await frame().locator('table.tasks tr[data-task="tasks/second"] button[aria-label="Run Now"]:not([disabled])').waitFor({ timeout: 30_000 });
    await runNow('tasks/second').click();
    await row('tasks/second').locator('td.last .status-succeeded').waitFor({ timeout: 60_000 });
    await browser.screenshot(wb.page, 'ui-dashboard-taken-over');
  });
});
