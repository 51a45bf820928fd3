// What a user sees in a workspace without task files: the Task Scheduler container, its Tasks view
// with the "No tasks yet" welcome, the status-bar item, and Run Task Now from the command palette.
'use strict';
const assert = require('assert');
const browser = require('../browser');
const { useWorkbench, openContainer, welcomeText, ids, manifest } = require('./workbench');

const container = manifest.contributes.viewsContainers.activitybar[0];
const view = manifest.contributes.views[container.id].find((v) => v.id === ids.ViewId.Tasks);

describe('UI: an empty workspace', function () {
  this.timeout(60_000);
  // No task files, so the extension activates when its view opens (or a command runs), not at startup.
  const wb = useWorkbench();

  it('the activity-bar icon opens the Tasks view with its welcome text', async () => {
    const viewlet = await openContainer(wb.page, container.title);
    const pane = viewlet.locator('.pane', { has: wb.page.locator(`.pane-header[aria-label="${view.name} Section"]`) });
    const welcome = pane.locator('.welcome-view-content');
    await welcome.waitFor({ state: 'visible' });
    const expected = welcomeText(view.id, (when) => when.includes('!taskScheduler.hasTasks'));
    assert.ok(expected.includes('No tasks yet'), `package.json welcome changed: ${expected}`);
    // The workbench's isWorkspaceTrusted key starts false and turns true once trust is resolved (in
    // code-server after the remote connects), so the untrusted welcome may show first for a moment.
    await pane.locator('.welcome-view-content', { hasText: expected }).waitFor({ timeout: 20_000 })
      .catch(async () => assert.fail(`welcome shows: ${await welcome.innerText()}`));
    await browser.screenshot(wb.page, 'ui-tasks-view');
  });

  it('shows the status-bar item', async () => {
    await openContainer(wb.page, container.title); // activates the extension if the test above did not
    const item = wb.page.locator(`[id="${ids.EXTENSION_ID}.${ids.STATUS_BAR_ID}"]`);
    await item.waitFor({ state: 'visible' });
    assert.notStrictEqual((await item.innerText()).trim(), '', 'the status-bar item is empty');
  });

  it('runs "Task Scheduler: Run Task Now" from F1 and says there is nothing to run', async () => {
    const title = `${ids.CATEGORY}: ${ids.COMMAND_TITLES[ids.CommandId.RunNow]}`;
    const ours = wb.page.locator('.notifications-toasts .notification-toast', { hasText: /no tasks to run/i });
    assert.strictEqual(await ours.count(), 0, 'the message was there before the command ran');
    await browser.runCommand(wb.page, title);
    await ours.first().waitFor({ state: 'visible' });
    assert.match(await ours.first().innerText(), /^Task Scheduler: no tasks to run yet/);
    // The toast slides in; wait for the end of the animation so the screenshot shows it.
    await wb.page.locator('.notification-toast.notification-fade-in-done', { hasText: /no tasks to run/i }).waitFor();
    await browser.screenshot(wb.page, 'ui-run-task-now');
  });
});
