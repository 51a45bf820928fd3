// The fixture every UI test file shares: useWorkbench() in a `describe` gives its tests one code-server
// (with the packaged extension installed, as a user has it) and one browser page on a workspace, and
// takes a screenshot of each failing test.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const cs = require('../codeServer');
const browser = require('../browser');
const { packageVsix, packagePlatformVsix, TARGETS } = require('../../../scripts/package');

require('../../register'); // lets us read ids straight from the extension's TypeScript (ids.ts has no vscode import)
const ids = require('../../../src/extension/ids');

const manifest = require('../../../package.json');
const VSIX = path.join(cs.ROOT, 'out/ui/task-scheduler-dev.vsix');
let packaged = false;

/** The VS Code target of this machine (linux-x64, …), when there is a platform VSIX for it. */
function hostTarget() {
  const target = `${process.platform}-${process.arch}`;
  return TARGETS[target] ? target : undefined;
}

/** The platform VSIX of this machine from the current dist/, packaged once per process. */
const platformVsixes = new Map();
function hostPlatformVsix() {
  const target = hostTarget();
  if (!target) return undefined;
  if (!platformVsixes.has(target)) {
    platformVsixes.set(target, packagePlatformVsix(target, path.join(cs.ROOT, `out/ui/task-scheduler-${target}-dev.vsix`), { quiet: true }));
  }
  return platformVsixes.get(target);
}

/** The first line of a viewsWelcome entry as it renders (markdown links become buttons, so stop before them). */
function welcomeText(view, when) {
  const entry = manifest.contributes.viewsWelcome.find((w) => w.view === view && when(w.when || ''));
  if (!entry) throw new Error(`package.json has no matching viewsWelcome entry for ${view}`);
  return entry.contents.split('\n')[0];
}

/**
 * User settings every UI run starts with. The packaged VSIX carries no esbuild (its native binary is too
 * big to ship): with autoInstall the extension installs it from the npm registry into its global storage
 * on first need, without the question a user is asked — the path a real install takes.
 */
const DEFAULT_SETTINGS = { 'taskScheduler.esbuild.autoInstall': true };

/**
 * Registers before/after hooks on the calling describe. Options: workspace (a folder to copy; default an
 * empty one), trust (Workspace Trust on: the user's first-run dialog appears), settings (user settings
 * laid over DEFAULT_SETTINGS), vsix (a function returning the VSIX to install; default the
 * universal one), workspaceFile (a .code-workspace inside the copy to open instead of the
 * folder: multi-root), beforeStart(wb) (runs once the folder is in place, before code-server starts;
 * returns extra environment for the server and so for the extension host, e.g. a database URL),
 * beforeOpen(wb) (runs once code-server is up, before the page loads). Returns { page, folder, run, server }.
 */
function useWorkbench({ workspace, trust = false, settings = {}, vsix, workspaceFile, beforeStart, beforeOpen } = {}) {
  const wb = { page: undefined, folder: undefined, server: undefined, run: undefined, context: undefined };

  before(async function () {
    this.timeout(180_000); // packaging + starting code-server + loading the workbench on a busy box
    let file = vsix?.();
    if (!file) {
      if (!packaged) { packageVsix(VSIX, { quiet: true }); packaged = true; } // once per process: dist/ does not change during a run
      file = VSIX;
    }
    wb.run = cs.createRun('ui', { trust });
    cs.addUserSettings(wb.run, { ...DEFAULT_SETTINGS, ...settings });
    cs.installExtension(wb.run, file);
    wb.folder = cs.copyWorkspace(wb.run, workspace);
    // History and lease in the run folder, not in the user's ~/.local/state.
    const extra = beforeStart ? await beforeStart(wb) : {};
    wb.server = await cs.startCodeServer(wb.run, { env: { TASK_SCHEDULER_HOME: path.join(wb.run.dir, 'state'), ...extra } });
    if (beforeOpen) await beforeOpen(wb);
    ({ context: wb.context, page: wb.page } = await browser.launch(wb.run));
    const url = workspaceFile
      ? `${wb.server.url}/?workspace=${encodeURIComponent(path.join(wb.folder, workspaceFile))}`
      : browser.workbenchUrl(wb.server, wb.folder);
    await wb.page.goto(url, { waitUntil: 'domcontentloaded' });
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

/**
 * Starts `task-scheduler run` on `folder` with the history folder the extension uses in this run
 * (useWorkbench sets TASK_SCHEDULER_HOME so) and resolves once it executes — for a beforeOpen that wants
 * the window to open as a viewer. Returns the child process; stop it with `child.kill()`.
 */
async function startCliExecutor(wb, folder) {
  const cli = spawn(process.execPath, [path.join(cs.ROOT, 'dist/cli.js'), 'run', '--workspace', folder],
    { env: { ...wb.run.env, TASK_SCHEDULER_HOME: path.join(wb.run.dir, 'state') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  cli.stdout.on('data', (d) => { output += d; });
  cli.stderr.on('data', (d) => { output += d; });
  const deadline = Date.now() + 60_000;
  while (!/executing this workspace/.test(output)) {
    if (Date.now() > deadline || cli.exitCode !== null) throw new Error(`the CLI did not start executing:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return cli;
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

/** The log file of our LogOutputChannel in a run (for the timings and the esbuild lines). */
function extensionLog(run) {
  const logs = path.join(run.userData, 'logs');
  if (!fs.existsSync(logs)) return '';
  const found = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (e.name === 'Task Scheduler.log') found.push(p); } };
  walk(logs);
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

module.exports = { useWorkbench, startCliExecutor, openContainer, welcomeText, extensionLog, hostTarget, hostPlatformVsix, ids, manifest };
