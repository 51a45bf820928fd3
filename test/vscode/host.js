#!/usr/bin/env node
// Runs the mocha suite of test/vscode/suite INSIDE code-server's real Node extension host, the way
// VS Code's own browser integration tests do: the workbench is opened with a `payload` naming the
// extension under development and the tests module; it calls the module's run() in the extension host
// and reports the outcome through window.codeAutomationExit(code), which we expose from Playwright.
//
//   node test/vscode/host.js        (expects `npm run build` to have made dist/)
// Exit code 0 = all passed. Writes { passed, failed } to $TS_STATS_FILE when set (for test/run-all.js).
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const cs = require('./codeServer');
const browser = require('./browser');
const { buildSuite } = require('./buildSuite');

const ROOT = cs.ROOT;
/** Printed by suite/index.ts as its first line: what comes after it is the suite's own output. */
const SUITE_START = '[task-scheduler] in-host suite starts';
// Includes starting the extension host; the suite itself takes seconds. Without a verdict by then
// (e.g. a payload path the workbench cannot resolve never calls codeAutomationExit) we give up.
const TIMEOUT_MS = Number(process.env.TS_HOST_TIMEOUT_MS || 180_000);

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const tests = await buildSuite();
  const run = cs.createRun('host');
  const folder = cs.copyWorkspace(run, path.join(ROOT, 'examples'));
  const statsFile = path.join(run.dir, 'host-stats.json');
  console.log(`[host] run folder ${path.relative(ROOT, run.dir)}`);

  const server = await cs.startCodeServer(run, { env: { TASK_SCHEDULER_TEST_STATS: statsFile } });
  let result = { code: 2 };
  let page;
  let context;
  try {
    ({ context, page } = await browser.launch(run));
    let finish;
    let started = false;
    const chatter = [];
    const done = new Promise((resolve) => { finish = resolve; });
    // Both must exist before the workbench loads: it looks for them once, at start.
    // Every workbench log line lands here; we echo only the suite's own output (after its start marker)
    // and keep the rest in the run folder, shown if the suite never started.
    const consoleLog = fs.createWriteStream(path.join(run.dir, 'host-console.log'));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      consoleLog.write(`[${type}] ${line}\n`);
      if (started) console.log(line);
      else if (line.includes(SUITE_START)) started = true;
      else chatter.push(`[${type}] ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => finish({ code, logs }));
    const timer = setTimeout(() => finish({ code: 2, timeout: true }), TIMEOUT_MS);
    const payload = [
      ['extensionDevelopmentPath', browser.remoteUri(server, ROOT)],
      ['extensionTestsPath', browser.remoteUri(server, tests)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(browser.workbenchUrl(server, folder, payload), { waitUntil: 'domcontentloaded' });
    result = await done;
    clearTimeout(timer);
    if (!started) console.log(chatter.slice(-40).join('\n')); // the workbench's view of why nothing ran
    if (result.timeout) console.log(`[host] no verdict from the workbench within ${TIMEOUT_MS / 1000} s`);
    for (const l of result.logs || []) { // the window's log files, kept for post-mortems
      const p = path.join(run.dir, 'window-logs', l.relativePath);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, l.contents);
    }
    if (result.code !== 0) console.log(`[host] screenshot ${await browser.screenshot(page, 'host-failure')}`);
  } finally {
    if (context) await context.close().catch(() => {});
    await server.stop();
  }

  const stats = fs.existsSync(statsFile) ? JSON.parse(fs.readFileSync(statsFile, 'utf8')) : { passed: 0, failed: 0 };
  // A load error or timeout runs no test: count it as one failure so the total cannot look green.
  if (result.code !== 0 && stats.failed === 0) stats.failed = 1;
  console.log(`[host] exit ${result.code}: ${stats.passed} passed, ${stats.failed} failed`);
  if (process.env.TS_STATS_FILE) fs.writeFileSync(process.env.TS_STATS_FILE, JSON.stringify(stats));
  return result.code === 0 && stats.failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => { console.error('[host] harness error:', e); process.exit(2); });
