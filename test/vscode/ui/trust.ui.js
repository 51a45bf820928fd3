// Workspace Trust as a user meets it: the folder opens untrusted (the dialog answered "No"), the Tasks
// view says why nothing runs and no task is listed; granting trust from the trust editor starts the
// scheduler in the same window — no reload — and the tasks appear.
'use strict';
const assert = require('assert');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, openContainer, welcomeText, ids, manifest } = require('./workbench');

const container = manifest.contributes.viewsContainers.activitybar[0];

describe('UI: Workspace Trust', function () {
  this.timeout(180_000);
  const wb = useWorkbench({ workspace: path.join(cs.ROOT, 'examples'), trust: true });
  const pane = () => wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header[aria-label="Tasks Section"]') });

  it('untrusted: the Tasks view says why and lists no task', async () => {
    assert.ok(await browser.answerTrust(wb.page, false), 'the trust dialog did not appear');
    await openContainer(wb.page, container.title);
    const expected = welcomeText(ids.ViewId.Tasks, (when) => when === '!isWorkspaceTrusted');
    await pane().locator('.welcome-view-content', { hasText: expected }).waitFor();
    await wb.page.waitForTimeout(3_000); // time enough for a trusted window to list tasks
    assert.strictEqual(await pane().locator('.monaco-list-row').count(), 0, 'tasks listed in an untrusted workspace');
    await browser.screenshot(wb.page, 'ui-untrusted');
  });

  it('granting trust starts the scheduler without reloading the window', async () => {
    await wb.page.evaluate(() => { window.__sameWindow = true; });
    await browser.runCommand(wb.page, 'Workspaces: Manage Workspace Trust');
    const trustButton = wb.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trustButton.waitFor();
    await trustButton.click();
    await openContainer(wb.page, container.title);
    await pane().locator('.monaco-list-row', { hasText: 'Hello world' }).waitFor({ timeout: 120_000 });
    await wb.page.waitForFunction(() => [...document.querySelectorAll('.part.sidebar .monaco-list-row .label-description')]
      .some((d) => /^in \d/.test(d.textContent || '')), undefined, { timeout: 60_000 });
    assert.strictEqual(await wb.page.evaluate(() => window.__sameWindow), true, 'the window was reloaded');
    await browser.screenshot(wb.page, 'ui-trust-granted');
  });
});
