// Debian's Chromium driven by playwright-core (which never downloads a browser), plus the few workbench
// moves every suite needs. Selectors are the ones measured in the code-server reference report.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');

/** A headless browser with a fresh profile inside the run folder. Returns { context, page }. */
async function launch(run) {
  const profile = path.join(run.dir, 'chromium');
  fs.mkdirSync(profile, { recursive: true });
  // A persistent context is how Playwright takes a user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: !process.env.HEADED,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    // Chromium writes crash reports under $XDG_CONFIG_HOME/chromium even with its own profile: keep them in it.
    env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20_000); // generous for a shared 2-core box; a healthy workbench answers in 1-2 s
  return { context, page };
}

/** The workbench URL for a folder; payload entries (e.g. extensionDevelopmentPath) as [key, value] pairs. */
function workbenchUrl(server, folder, payload) {
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** A path as the browser workbench must name it in a payload: vscode-remote://<host:port of the page>/abs/path. */
function remoteUri(server, absPath) {
  return `vscode-remote://${new URL(server.url).host}${absPath}`;
}

/** Answers the Workspace Trust dialog if it is (or becomes) shown within `ms`. Returns whether it was. */
async function answerTrust(page, yes, ms = 15_000) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'trust the authors' });
  try { await dialog.waitFor({ state: 'visible', timeout: ms }); } catch { return false; }
  await dialog.getByRole('button', { name: yes ? /Yes, I trust/ : /No, I don't trust/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  return true;
}

/** F1, type the command's full title, wait for it in the list, run it. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  return file;
}

module.exports = { launch, workbenchUrl, remoteUri, answerTrust, runCommand, screenshot, SCREENSHOTS };
