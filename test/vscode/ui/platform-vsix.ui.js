// The platform VSIX as a new user gets it: installed into code-server, a folder of task files with no
// node_modules and default settings. Every task file compiles with the esbuild the VSIX carries: the
// tasks are valid, Problems has no errors, nobody is asked to download esbuild, and nothing is written
// to the extension's global storage (where the universal VSIX installs esbuild).
'use strict';
const assert = require('assert');
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, openContainer, extensionLog, hostTarget, hostPlatformVsix, manifest } = require('./workbench');

const container = manifest.contributes.viewsContainers.activitybar[0];
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** The example tasks that are task files (each needs esbuild), by name, from the CLI's own listing. */
function taskFileNames() {
  const r = spawnSync(process.execPath, [path.join(cs.ROOT, 'dist/cli.js'), 'list', '--workspace', path.join(cs.ROOT, 'examples'), '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`task-scheduler list failed: ${r.stderr}`);
  return JSON.parse(r.stdout).tasks.filter((t) => t.kind === 'module').map((t) => t.name);
}

describe('UI: the platform VSIX compiles task files with no esbuild download', function () {
  this.timeout(180_000);
  const target = hostTarget();
  if (!target) {
    it(`skipped: no platform VSIX for ${process.platform}-${process.arch}`, function () { this.skip(); });
    return;
  }
  const workspace = path.join(cs.ROOT, 'out/ui/platform-workspace');
  before(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.cpSync(path.join(cs.ROOT, 'examples'), workspace, { recursive: true });
    fs.rmSync(path.join(workspace, 'node_modules'), { recursive: true, force: true });
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  // The settings a new user has: esbuild.autoInstall off, so a missing esbuild would be asked about.
  const wb = useWorkbench({ workspace, vsix: hostPlatformVsix, settings: { 'taskScheduler.esbuild.autoInstall': false } });

  const pane = () => wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header[aria-label="Tasks Section"]') });
  const row = (name) => pane().locator('.monaco-list-row[aria-level="1"]', { has: wb.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });

  it(`lists every task file valid at once (${target})`, async () => {
    await openContainer(wb.page, container.title);
    const names = taskFileNames();
    assert.ok(names.length >= 10, `examples has ${names.length} task files`);
    for (const name of names) {
      await row(name).waitFor({ timeout: 120_000 });
      // Loading spins, an invalid task shows the error icon; a compiled one settles on its state icon.
      await wb.page.waitForFunction((el) => {
        const icon = el.querySelector('.custom-view-tree-node-item-icon');
        return icon && !/codicon-(error|loading)/.test(icon.className);
      }, await row(name).elementHandle(), { timeout: 60_000 }).catch(async () => {
        assert.fail(`${name}: ${await row(name).innerText()} (icon ${await row(name).locator('.custom-view-tree-node-item-icon').getAttribute('class')})`);
      });
    }
    const log = extensionLog(wb.run);
    assert.match(log, new RegExp(`esbuild: using \\d+\\.\\d+\\.\\d+ from \\S*${EXTENSION_ID}-[\\d.]+(-${target})?/node_modules/esbuild \\(extension\\)`), log);
    await browser.screenshot(wb.page, 'ui-platform-vsix');
  });

  it('shows no errors in Problems and asks nothing about esbuild', async () => {
    const problems = wb.page.locator('[id="status.problems"]');
    await problems.waitFor();
    const label = (await problems.locator('a').first().getAttribute('aria-label')) ?? (await problems.innerText());
    assert.match(label, /^(No Problems|0 errors)|Errors: 0\b/i, `Problems says: ${label}`);
    console.log(`      Problems: ${label}`);
    await wb.page.waitForTimeout(2000); // a question would have been asked when the first build found no esbuild
    const asked = wb.page.locator('.notifications-toasts .notification-toast', { hasText: /esbuild/i });
    assert.strictEqual(await asked.count(), 0, `asked: ${await asked.allInnerTexts()}`);
    assert.doesNotMatch(extensionLog(wb.run), /esbuild: not found/);
  });

  it('writes nothing to global storage', () => {
    const globalStorage = path.join(wb.run.userData, 'User', 'globalStorage', EXTENSION_ID);
    const inside = fs.existsSync(globalStorage) ? fs.readdirSync(globalStorage) : [];
    assert.deepStrictEqual(inside, [], `${globalStorage} holds ${inside.join(', ')}`);
  });
});
