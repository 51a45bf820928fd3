// Another process executes the workspace: `task-scheduler run` (the CLI) holds the executor lease before
// the window opens. The Tasks view lists the tasks read-only and says who runs them; "Take Over" makes
// this window the executor, and a run started here then appears in the tree.
'use strict';
const assert = require('assert');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, startCliExecutor, openContainer, manifest } = require('./workbench');

const container = manifest.contributes.viewsContainers.activitybar[0];

describe('UI: viewer mode and Take Over', function () {
  this.timeout(180_000);
  let cli;
  const wb = useWorkbench({
    workspace: path.join(cs.ROOT, 'examples'),
    beforeOpen: async (w) => { cli = await startCliExecutor(w, w.folder); },
  });
  after(() => { if (cli && cli.exitCode === null) cli.kill('SIGTERM'); });

  const pane = () => wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header[aria-label="Tasks Section"]') });
  const takeOver = () => wb.page.locator('.part.sidebar .composite.title .action-label[aria-label="Take Over"]');
  const message = () => pane().locator('.message, .tree-explorer-viewlet-tree-view-message').filter({ hasText: 'read-only' });

  it('lists the tasks read-only and says the CLI executes them', async () => {
    await openContainer(wb.page, container.title);
    await pane().locator('.monaco-list-row', { hasText: 'Hello world' }).waitFor({ timeout: 120_000 });
    await message().first().waitFor({ timeout: 30_000 });
    const text = await message().first().innerText();
    assert.match(text, new RegExp(`Executed by task-scheduler run \\(pid ${cli.pid}\\).* — read-only`), text);
    await browser.screenshot(wb.page, 'ui-viewer');
  });

  it('Take Over makes this window the executor', async () => {
    // With one view in the container its title actions sit in the sidebar's title bar.
    await takeOver().click();
    await message().first().waitFor({ state: 'detached', timeout: 30_000 });
    // This window now runs tasks: one started from the tree runs here and shows as a child row.
    const hello = pane().locator('.monaco-list-row[aria-level="1"]', { hasText: 'Hello world' });
    await hello.hover();
    await hello.locator('.actions .action-label[aria-label="Run Task Now"]').click();
    await hello.locator('.monaco-tl-twistie').click();
    await pane().locator('.monaco-list-row[aria-level="2"]', { hasText: 'succeeded' }).first().waitFor({ timeout: 60_000 });
    assert.strictEqual(await takeOver().count(), 0, 'Take Over still offered');
    await browser.screenshot(wb.page, 'ui-taken-over');
  });
});
