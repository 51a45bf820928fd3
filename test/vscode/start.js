#!/usr/bin/env node
// `npm start`: builds the extension, packages it and installs the VSIX into a fresh code-server profile
// (as a user installs it), then serves the examples/ workspace until Ctrl-C. Workspace Trust is on, as
// for a real user: the browser first asks whether you trust the folder, and nothing runs until you do.
//
//   npm start                 prints http://127.0.0.1:PORT/?folder=... and waits for Ctrl-C (PORT=n to choose it)
//   npm start -- --check      instead opens that URL in headless Chromium, trusts the folder, waits for the
//                             extension's status-bar item and saves test-results/screenshots/start.png; exit 0/1
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');
const cs = require('./codeServer');
const browser = require('./browser');
const { packageVsix } = require('../../scripts/package');

const ROOT = cs.ROOT;
const check = process.argv.includes('--check');

/** Headless proof that the served workbench has the extension active. */
async function checkWorkbench(run, url) {
  require('../register'); // ids.ts is TypeScript without a vscode import
  const { EXTENSION_ID, STATUS_BAR_ID } = require('../../src/extension/ids');
  const { title } = require('../../package.json').contributes.viewsContainers.activitybar[0];
  const { context, page } = await browser.launch(run);
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    if (await browser.answerTrust(page, true)) console.log('[start] answered the Workspace Trust dialog: trust');
    const item = page.locator(`[id="${EXTENSION_ID}.${STATUS_BAR_ID}"]`);
    // With task files the extension activates at startup; without, opening its view activates it.
    try { await item.waitFor({ state: 'visible', timeout: 15_000 }); } catch {
      await page.locator(`.part.activitybar .action-item a.action-label[aria-label="${title}"]`).click();
      await item.waitFor({ state: 'visible' });
    }
    console.log(`[start] status-bar item visible: "${(await item.innerText()).trim()}"`);
    console.log(`[start] screenshot ${await browser.screenshot(page, 'start')}`);
    return 0;
  } catch (e) {
    console.error(`[start] check failed: ${e.message}`);
    console.error(`[start] screenshot ${await browser.screenshot(page, 'start-failed')}`);
    return 1;
  } finally {
    await context.close().catch(() => {});
  }
}

async function main() {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return 1;
  const run = cs.createRun('start', { trust: true });
  const vsix = packageVsix(path.join(run.dir, 'task-scheduler.vsix'), { quiet: true });
  cs.installExtension(run, vsix);
  const folder = path.join(ROOT, 'examples');
  // Listen before code-server starts, so Ctrl-C means "stop it in order" rather than a bare exit.
  const interrupted = new Promise((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  const server = await cs.startCodeServer(run, { port: Number(process.env.PORT) || undefined });
  const url = browser.workbenchUrl(server, folder);
  if (check) {
    const code = await checkWorkbench(run, url);
    await server.stop();
    return code;
  }
  console.log(`\nTask Scheduler is installed in code-server ${cs.VERSION}. Open:\n\n  ${url}\n`);
  console.log(`code-server pid ${server.pid}, log ${path.relative(ROOT, server.log)}. Ctrl-C stops it.`);
  await interrupted;
  console.log('\nstopping code-server');
  await server.stop();
  return 0;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
