#!/usr/bin/env node
// `npm start`: builds the extension, packages this machine's platform VSIX (esbuild inside, so task files
// compile with nothing to download; the universal VSIX where there is none) and installs it into a fresh
// code-server profile (as a user installs it), then serves the examples/ workspace until Ctrl-C. Workspace
// Trust is on, as for a real user: the browser first asks whether you trust the folder, and nothing runs
// until you do.
//
//   npm start                 prints http://127.0.0.1:PORT/?folder=... and waits for Ctrl-C (PORT=n to choose it)
//   npm start -- --check      instead opens that URL in headless Chromium, trusts the folder, waits until every
//                             example task is listed valid, checks that Problems has no errors and nobody was
//                             asked about esbuild, and saves test-results/screenshots/start.png; exit 0/1
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');
const cs = require('./codeServer');
const browser = require('./browser');
const { packageVsix, packagePlatformVsix, TARGETS } = require('../../scripts/package');

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
    await everyTaskValid(page, title);
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

/** The example tasks listed in the Tasks view, none invalid or still loading; Problems clean; no esbuild question. */
async function everyTaskValid(page, title) {
  const viewlet = page.locator('.part.sidebar [id="workbench.view.extension.taskScheduler"]');
  if (!(await viewlet.isVisible())) await page.locator(`.part.activitybar .action-item a.action-label[aria-label="${title}"]`).click();
  const listed = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'list', '--workspace', path.join(ROOT, 'examples'), '--json'], { encoding: 'utf8' });
  const names = JSON.parse(listed.stdout).tasks.map((t) => t.name);
  const rows = page.locator('.part.sidebar .monaco-list-row[aria-level="1"]');
  await page.waitForFunction((expected) => {
    const shown = [...document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="1"]')];
    const settled = shown.filter((r) => !/codicon-(error|loading)/.test(r.querySelector('.custom-view-tree-node-item-icon')?.className ?? ''));
    const labels = settled.map((r) => r.querySelector('.label-name')?.textContent);
    return expected.every((n) => labels.includes(n));
  }, names, { timeout: 120_000 }).catch(async () => {
    throw new Error(`not every example task is valid; the Tasks view shows:\n${(await rows.allInnerTexts()).join('\n')}`);
  });
  console.log(`[start] all ${names.length} example tasks listed valid`);
  const problems = page.locator('[id="status.problems"] a').first();
  const label = (await problems.getAttribute('aria-label')) ?? '';
  if (!/^No Problems/i.test(label)) throw new Error(`Problems says: ${label}`);
  console.log(`[start] Problems: ${label}`);
  const asked = await page.locator('.notifications-toasts .notification-toast', { hasText: /esbuild/i }).count();
  if (asked) throw new Error('a notification asks about esbuild');
  console.log('[start] no esbuild question');
}

/** This machine's platform VSIX, or the universal one where there is none. */
function packageForThisMachine(run) {
  const target = `${process.platform}-${process.arch}`;
  if (TARGETS[target]) {
    console.log(`[start] packaging the ${target} VSIX (esbuild inside)`);
    return packagePlatformVsix(target, path.join(run.dir, `task-scheduler-${target}.vsix`), { quiet: true });
  }
  console.log(`[start] no platform VSIX for ${target}: the universal one (esbuild is installed on first need)`);
  return packageVsix(path.join(run.dir, 'task-scheduler.vsix'), { quiet: true });
}

async function main() {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return 1;
  const run = cs.createRun('start', { trust: true });
  const vsix = packageForThisMachine(run);
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
