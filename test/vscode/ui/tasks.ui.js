// The Tasks view, the status bar and the palette in a real workbench with the packaged extension, on a
// copy of examples/ plus a ticker that runs every 10 seconds. Shows: the tree lists the examples with
// their next runs; the status bar names the soonest task; Run Task Now from F1 runs one and its run
// appears as a child row; pausing the ticker from its inline action changes its icon and skips its
// next slots; Resume brings it back.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, openContainer, extensionLog, ids, manifest } = require('./workbench');

const container = manifest.contributes.viewsContainers.activitybar[0];
const TICK_S = 10;

function makeWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(cs.ROOT, 'examples'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tasks/ticker.task.ts'), `import { defineTask } from "task-scheduler";
// The soonest task of this workspace: it runs every ${TICK_S} seconds, on the clock (:00, :10, :20 …).
export default defineTask({
  name: "Ticker",
  schedule: "every ${TICK_S} seconds",
  retries: { max: 0 },
  run(ctx) { ctx.log("tick"); return { at: Date.now() }; },
});
`);
}

const exact = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe('UI: tasks view, status bar and palette', function () {
  this.timeout(180_000);
  const workspace = path.join(cs.ROOT, 'out/ui/tasks-workspace');
  before(() => makeWorkspace(workspace));
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  const wb = useWorkbench({ workspace });

  const pane = () => wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header[aria-label="Tasks Section"]') });
  const row = (name) => pane().locator('.monaco-list-row[aria-level="1"]', { has: wb.page.locator('.label-name', { hasText: exact(name) }) });
  const description = async (name) => (await row(name).locator('.label-description').innerText()).trim();
  /** Rows fill in and redraw as the tasks load and tick: waits until a row's description matches. */
  async function descriptionMatching(name, re, timeout = 30_000) {
    let last = '';
    for (const deadline = Date.now() + timeout; Date.now() < deadline; await wb.page.waitForTimeout(200)) {
      last = await description(name).catch(() => '');
      if (re.test(last)) return last;
    }
    return assert.fail(`${name}: its description ${JSON.stringify(last)} does not match ${re}`);
  }
  const iconOf = async (name) => (await row(name).locator('.custom-view-tree-node-item-icon').getAttribute('class')) ?? '';
  const childRows = () => pane().locator('.monaco-list-row[aria-level="2"]');

  /** Expands a task row (if collapsed) and collapses every other. */
  async function expandOnly(name) {
    const expanded = pane().locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]');
    for (let i = await expanded.count(); i > 0; i--) await expanded.first().locator('.monaco-tl-twistie').click();
    await row(name).locator('.monaco-tl-twistie').click();
    await wb.page.waitForFunction(() => true);
  }

  it('lists the examples with their next runs', async () => {
    await openContainer(wb.page, container.title);
    // The first start installs esbuild (autoInstall) and compiles every task file: give it time.
    await row('Hello world').waitFor({ timeout: 120_000 });
    await wb.page.waitForFunction(() => [...document.querySelectorAll('.part.sidebar .monaco-list-row .label-description')]
      .some((d) => /^in \d/.test(d.textContent || '')), undefined, { timeout: 120_000 });
    for (const name of ['Hello world', 'Daily report', 'Disk usage', 'Save all editors', 'Ticker']) {
      await row(name).waitFor({ timeout: 60_000 });
    }
    await descriptionMatching('Hello world', /^in \d+ (s|min)$/);
    await descriptionMatching('Disk usage', /^in \d+(\.\d)? (s|min|h)$/);
    assert.match(await iconOf('Hello world'), /codicon-clock/);
    const log = extensionLog(wb.run);
    assert.match(log, /esbuild: .* installed in /, 'esbuild came from the registry into global storage');
    await browser.screenshot(wb.page, 'ui-tree');
  });

  it('the status bar names the soonest task', async () => {
    const item = wb.page.locator(`[id="${ids.EXTENSION_ID}.${ids.STATUS_BAR_ID}"]`);
    await item.waitFor({ state: 'visible' });
    // Read in the page, in one go: the item turns to "Ticker running" for a moment every 10 s.
    await wb.page.waitForFunction((id) => /^Ticker in \d+s/.test((document.getElementById(id)?.innerText || '').trim()),
      `${ids.EXTENSION_ID}.${ids.STATUS_BAR_ID}`, { timeout: 30_000 });
  });

  it('Run Task Now from F1 runs a task and its run appears in the tree', async () => {
    const title = `${ids.CATEGORY}: ${ids.COMMAND_TITLES[ids.CommandId.RunNow]}`;
    await browser.runCommand(wb.page, title);
    const pick = wb.page.locator('.quick-input-widget');
    await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'Hello world' }).first().waitFor();
    await pick.locator('.quick-input-box input').fill('Hello world');
    await wb.page.keyboard.press('Enter');
    await wb.page.waitForFunction(() => /✓ (now|\d+ s ago)/.test(
      [...document.querySelectorAll('.part.sidebar .monaco-list-row')].find((r) => r.querySelector('.label-name')?.textContent === 'Hello world')
        ?.querySelector('.label-description')?.textContent || ''), undefined, { timeout: 60_000 });
    await expandOnly('Hello world');
    const run = childRows().filter({ has: wb.page.locator('.label-name', { hasText: exact('succeeded') }) }).first();
    await run.waitFor({ timeout: 30_000 });
    assert.match(await run.locator('.label-description').innerText(), /manual/);
    await browser.screenshot(wb.page, 'ui-run-now-child-row');
    // A click on the run opens its output. Once in CI no editor came after the click (not seen here in
    // 6 runs, 3 of them beside two busy loops); the tree redraws on every run of the ticker, so a click
    // can land on a row being replaced. Click again once, and say so: the output must still show.
    const tab = wb.page.locator('.tabs-container .tab', { hasText: /\.log/ });
    await run.click();
    if (!await tab.first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
      console.log('      no editor 10 s after the click: clicking the run again');
      await run.click();
    }
    const editor = wb.page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'Hello from tasks/hello-world' }).waitFor({ timeout: 30_000 })
      .catch(async () => assert.fail(`no output of the run: tabs ${JSON.stringify(await wb.page.locator('.tabs-container .tab').allInnerTexts())}, `
        + `editor ${JSON.stringify((await editor.allInnerTexts()).join('|').slice(0, 300))}`));
    await browser.screenshot(wb.page, 'ui-run-output');
  });

  it('a run of one task redraws its own row, not the others (VS Code drops a click on a row being redrawn)', async () => {
    await wb.page.mouse.move(700, 500); // no hover: it changes the rows' classes
    // Pipeline report is manual: its words never change, so any mutation of its row is a redraw.
    await wb.page.evaluate(() => {
      const rowOf = (name) => [...document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="1"]')]
        .find((r) => r.querySelector('.label-name')?.textContent === name);
      window.__redraws = { 'Pipeline report': 0, Ticker: 0 };
      for (const name of Object.keys(window.__redraws)) {
        new MutationObserver((records) => { window.__redraws[name] += records.length; })
          .observe(rowOf(name), { subtree: true, childList: true, characterData: true, attributes: true });
      }
    });
    // A ticker slot comes every 10 s; its row changes when the run starts and again when it ends.
    await wb.page.waitForFunction(() => window.__redraws.Ticker > 0, undefined, { timeout: (TICK_S + 10) * 1000 });
    await wb.page.waitForTimeout(3_000);
    const redraws = await wb.page.evaluate(() => window.__redraws);
    assert.strictEqual(redraws['Pipeline report'], 0, `the row of a task that did not change was redrawn: ${JSON.stringify(redraws)}`);
  });

  it('Pause from the inline action changes the icon and skips the next slots; Resume brings it back', async () => {
    // Runs accumulate every 10 s: wait for one, so there is something to count.
    await expandOnly('Ticker');
    await childRows().filter({ has: wb.page.locator('.label-name', { hasText: exact('succeeded') }) }).first().waitFor({ timeout: 40_000 });
    await row('Ticker').hover();
    await row('Ticker').locator('.actions .action-label[aria-label="Pause Task"]').click();
    await wb.page.waitForFunction(() => {
      const r = [...document.querySelectorAll('.part.sidebar .monaco-list-row')].find((x) => x.querySelector('.label-name')?.textContent === 'Ticker');
      return r?.querySelector('.custom-view-tree-node-item-icon')?.className.includes('codicon-debug-pause');
    }, undefined, { timeout: 20_000 });
    assert.match(await description('Ticker'), /^paused/);
    await browser.screenshot(wb.page, 'ui-paused');
    // A run that had just started may still end; after that, nothing for two slots.
    await wb.page.waitForTimeout(2_000);
    const before = await childRows().count();
    await wb.page.waitForTimeout((2 * TICK_S + 1) * 1000);
    assert.strictEqual(await childRows().count(), before, 'the paused ticker ran');
    assert.match(await iconOf('Ticker'), /codicon-debug-pause/);
    // Resume from the same place.
    await row('Ticker').hover();
    await row('Ticker').locator('.actions .action-label[aria-label="Resume Task"]').click();
    await wb.page.waitForFunction(() => {
      const r = [...document.querySelectorAll('.part.sidebar .monaco-list-row')].find((x) => x.querySelector('.label-name')?.textContent === 'Ticker');
      return /codicon-(clock|sync)/.test(r?.querySelector('.custom-view-tree-node-item-icon')?.className || '');
    }, undefined, { timeout: 20_000 });
    await wb.page.waitForFunction((n) => document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="2"]').length > n, before,
      { timeout: (TICK_S + 10) * 1000 });
  });
});
