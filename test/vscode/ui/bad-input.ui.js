// Bad input in a real workbench: a broken .scheduler.yaml shows in the Problems panel at its line, and a
// task whose name, description and error are markup (`<img src=x onerror=…>`, `</script>`) is shown as
// text in the tree, its tooltip and the failure notification — no element is made from it and no
// script runs (window.alert is hooked, and any dialog is counted).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, openContainer, manifest } = require('./workbench');

const container = manifest.contributes.viewsContainers.activitybar[0];
const EVIL = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
const EVIL_NAME = `Evil ${EVIL}`;
const EVIL_ERROR = `failed ${EVIL} [click](command:workbench.action.quit)`;

function makeWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(cs.ROOT, 'examples'), dir, { recursive: true });
  const config = path.join(dir, '.scheduler.yaml');
  const lines = fs.readFileSync(config, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('concurrency:'));
  lines[at] = 'concurrency: lots';
  fs.writeFileSync(config, lines.join('\n'));
  fs.writeFileSync(path.join(dir, 'tasks/evil.task.ts'), `// Markup in everything it controls: the views must show it as text.
export default {
  name: ${JSON.stringify(EVIL_NAME)},
  description: ${JSON.stringify(EVIL)},
  schedule: "manual",
  retries: { max: 0 },
  tags: [${JSON.stringify('</script>')}],
  run() { throw new Error(${JSON.stringify(EVIL_ERROR)}); },
};
`);
  return at + 1; // the 1-based line the Problems panel must name
}

describe('UI: bad input', function () {
  this.timeout(180_000);
  const workspace = path.join(cs.ROOT, 'out/ui/bad-input-workspace');
  let configLine;
  before(() => { configLine = makeWorkspace(workspace); });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  const wb = useWorkbench({ workspace });
  const dialogs = [];

  before(async () => {
    wb.page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss().catch(() => {}); });
    // A script made from task text would call alert: count the calls instead of blocking on them.
    await wb.page.evaluate(() => {
      window.__alerts = [];
      window.alert = (m) => { window.__alerts.push(String(m)); };
    });
  });

  afterEach(async () => {
    assert.deepStrictEqual(dialogs, [], 'a dialog opened');
    assert.deepStrictEqual(await wb.page.evaluate(() => window.__alerts), [], 'alert() was called');
    assert.strictEqual(await wb.page.locator('img[src="x"]').count(), 0, 'an <img src=x> element exists');
    assert.strictEqual(await wb.page.locator('.monaco-workbench script').count(), 0, 'a <script> element was inserted into the workbench');
  });

  const pane = () => wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header[aria-label="Tasks Section"]') });
  const evilRow = () => pane().locator('.monaco-list-row[aria-level="1"]', { has: wb.page.locator('.label-name', { hasText: 'Evil' }) });

  it('a broken .scheduler.yaml shows in Problems with its line', async () => {
    await openContainer(wb.page, container.title);
    await pane().locator('.monaco-list-row', { hasText: 'Hello world' }).waitFor({ timeout: 120_000 });
    await wb.page.keyboard.press('Control+Shift+M');
    const problems = wb.page.locator('.markers-panel');
    await problems.waitFor({ state: 'visible' });
    const marker = problems.locator('.monaco-list-row', { hasText: /concurrency/ }).first();
    await marker.waitFor({ timeout: 60_000 });
    const text = await marker.innerText();
    assert.match(text, new RegExp(`\\[Ln ${configLine}, Col \\d+\\]`), text);
    assert.ok(await problems.locator('.monaco-list-row', { hasText: '.scheduler.yaml' }).count() > 0, 'the file row');
    await browser.screenshot(wb.page, 'ui-problems-config');
  });

  it('a task named with markup shows its name as text in the tree and in its tooltip', async () => {
    await openContainer(wb.page, container.title);
    await evilRow().waitFor({ timeout: 60_000 });
    assert.strictEqual((await evilRow().locator('.label-name').innerText()).trim(), EVIL_NAME);
    await evilRow().locator('.label-name').hover();
    const hover = wb.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Evil' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const text = await hover.innerText();
    assert.ok(text.includes(EVIL_NAME), `tooltip shows: ${text}`);
    assert.strictEqual(await hover.locator('img, script, a[href^="command:"]').count(), 0, 'markup became elements');
    await browser.screenshot(wb.page, 'ui-hostile-tooltip');
    await wb.page.mouse.move(700, 500);
  });

  it('running it shows its markup error as text (tooltip, notification) and runs nothing of it', async () => {
    await evilRow().hover();
    await evilRow().locator('.actions .action-label[aria-label="Run Task Now"]').click();
    // The failure notification (no retry is coming) carries the error as text.
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'Evil' }).first();
    await toast.waitFor({ timeout: 60_000 });
    const message = await toast.locator('.notification-list-item-message').innerText();
    assert.ok(message.includes(EVIL), `notification: ${message}`);
    assert.strictEqual(await toast.locator('.notification-list-item-message').locator('img, script, a').count(), 0, 'the notification made an element (a link?) of the error');
    for (const action of ['Show Output', 'Retry', 'Open Task']) {
      assert.strictEqual(await toast.locator('.monaco-button', { hasText: action }).count(), 1, `the notification offers ${action}`);
    }
    await wb.page.waitForFunction(() => [...document.querySelectorAll('.part.sidebar .monaco-list-row .custom-view-tree-node-item-icon')]
      .some((i) => i.closest('.monaco-list-row')?.textContent?.includes('Evil') && i.className.includes('codicon-error')), undefined, { timeout: 30_000 });
    // Away and back: a hover still open from before the run would show the old text.
    await wb.page.mouse.move(700, 500);
    await wb.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Evil' }).first().waitFor({ state: 'hidden' });
    await evilRow().locator('.label-name').hover();
    const hover = wb.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Last error' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const text = await hover.innerText();
    assert.match(text, new RegExp(`Last error: (Error: )?${EVIL_ERROR.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`), `tooltip shows: ${text}`);
    assert.strictEqual(await hover.locator('img, script, a').count(), 0, 'markup became elements');
    await browser.screenshot(wb.page, 'ui-hostile-error');
  });
});
