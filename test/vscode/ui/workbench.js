// The fixture every UI test file shares: useWorkbench() in a `describe` gives its tests one code-server
// (with the packaged extension installed, as a user has it) and one browser page on a workspace, and
// takes a screenshot of each failing test.
'use strict';
const path = require('path');
const cs = require('../codeServer');
const browser = require('../browser');
const { packageVsix } = require('../../../scripts/package');

require('../../register'); // lets us read ids straight from the extension's TypeScript (ids.ts has no vscode import)
const ids = require('../../../src/extension/ids');

const manifest = require('../../../package.json');
const VSIX = path.join(cs.ROOT, 'out/ui/task-scheduler-dev.vsix');
let packaged = false;

/** The first line of a viewsWelcome entry as it renders (markdown links become buttons, so stop before them). */
function welcomeText(view, when) {
  const entry = manifest.contributes.viewsWelcome.find((w) => w.view === view && when(w.when || ''));
  if (!entry) throw new Error(`package.json has no matching viewsWelcome entry for ${view}`);
  return entry.contents.split('\n')[0];
}

/**
 * Registers before/after hooks on the calling describe. Options: workspace (a folder to copy; default an
 * empty one), trust (Workspace Trust on: the user's first-run dialog appears). Returns { page, folder }.
 */
function useWorkbench({ workspace, trust = false } = {}) {
  const wb = { page: undefined, folder: undefined, server: undefined, run: undefined, context: undefined };

  before(async function () {
    this.timeout(180_000); // packaging + starting code-server + loading the workbench on a busy box
    if (!packaged) { packageVsix(VSIX, { quiet: true }); packaged = true; } // once per process: dist/ does not change during a run
    wb.run = cs.createRun('ui', { trust });
    cs.installExtension(wb.run, VSIX);
    wb.folder = cs.copyWorkspace(wb.run, workspace);
    wb.server = await cs.startCodeServer(wb.run);
    ({ context: wb.context, page: wb.page } = await browser.launch(wb.run));
    await wb.page.goto(browser.workbenchUrl(wb.server, wb.folder), { waitUntil: 'domcontentloaded' });
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    const t = this.currentTest;
    if (t && t.state === 'failed' && wb.page) {
      console.log(`      screenshot: ${await browser.screenshot(wb.page, `ui-failed-${t.fullTitle()}`)}`);
    }
  });

  after(async () => {
    if (wb.context) await wb.context.close().catch(() => {});
    if (wb.server) await wb.server.stop();
  });

  return wb;
}

/** Opens a view container from the activity bar unless it is already showing (a second click would close it). */
async function openContainer(page, title) {
  const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.title === title);
  const viewlet = page.locator(`.part.sidebar [id="workbench.view.extension.${container.id}"]`);
  if (await viewlet.isVisible()) return viewlet;
  await page.locator(`.part.activitybar .action-item a.action-label[aria-label="${title}"]`).click();
  await viewlet.waitFor({ state: 'visible' });
  return viewlet;
}

module.exports = { useWorkbench, openContainer, welcomeText, ids, manifest };
