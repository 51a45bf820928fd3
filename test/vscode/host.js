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

/**
 * The passes: the suite with Workspace Trust off (the folder counts as trusted), then its `*.untrusted.test`
 * files with trust on and the trust dialog left unanswered (restricted mode), over a copy holding a
 * sentinel task that would write a file if it were ever compiled, imported or run.
 */
const PASSES = [
  { name: 'host', trust: false },
  { name: 'host-untrusted', trust: true, prepare: addSentinelTask, setup: startStoreProbe },
  // A folder whose .scheduler.yaml names a cluster on a real PostgreSQL, with two CLI members running.
  { name: 'host-cluster', trust: false, suite: 'cluster', workspace: null, setup: startClusterPass },
];

/**
 * The untrusted copy's config names a store on a loopback port where we only listen and note every
 * connection in a file (TASK_SCHEDULER_TEST_STORE_PROBE): an untrusted window must not connect at all.
 */
async function startStoreProbe(run, folder) {
  const net = require('net');
  const file = path.join(run.dir, 'store-probe.log');
  const server = net.createServer((socket) => { fs.appendFileSync(file, `connection from ${socket.remoteAddress}\n`); socket.destroy(); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  fs.appendFileSync(path.join(folder, '.scheduler.yaml'), `\nstore: { url: "postgres://probe@127.0.0.1:${server.address().port}/probe", name: probe }\n`);
  return { env: { TASK_SCHEDULER_TEST_STORE_PROBE: file }, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/** The cluster pass's files: a tick every second, a task on demand that says where it ran. */
const CLUSTER_FILES = {
  '.scheduler.yaml': 'concurrency: 10\nSTORE\njobs:\n  tick: { command: "echo tick", schedule: "every second" }\n',
  'tasks/where.task.ts': `import { defineTask } from "task-scheduler";
// Runs on a member: the runner's parent is the member's process.
export default defineTask({
  name: "Where",
  schedule: "manual",
  run(ctx) { ctx.log("ran under pid " + process.ppid); return { memberPid: process.ppid }; },
});
`,
};

/** PostgreSQL and two `task-scheduler run` members on the pass's folder (test/vscode/clusterSetup.ts). */
async function startClusterPass(run, folder) {
  require('../register');
  const { startCluster } = require('./clusterSetup');
  const setup = await startCluster({ folder, base: path.join(run.dir, 'cluster'), cluster: 'hostpass', files: CLUSTER_FILES, members: 2 });
  return { env: setup.env, stop: () => setup.stop() };
}

/** A task that leaves a file behind if its module is ever loaded (at import) or run. */
const SENTINEL = path.join(__dirname, 'fixtures', 'sentinel.task.fixture.ts');
function addSentinelTask(folder) {
  fs.copyFileSync(SENTINEL, path.join(folder, 'tasks', 'sentinel.task.ts'));
}

async function runPass(pass, tests) {
  const run = cs.createRun(pass.name, { trust: pass.trust });
  const folder = cs.copyWorkspace(run, pass.workspace === null ? undefined : path.join(ROOT, 'examples'));
  pass.prepare?.(folder);
  const statsFile = path.join(run.dir, 'host-stats.json');
  console.log(`[${pass.name}] run folder ${path.relative(ROOT, run.dir)}`);
  const extra = pass.setup ? await pass.setup(run, folder) : { env: {}, stop: async () => {} };

  // TASK_SCHEDULER_HOME: the history and lease stay in the run folder, not in the user's ~/.local/state.
  let server;
  try {
    server = await cs.startCodeServer(run, { env: {
      TASK_SCHEDULER_TEST_STATS: statsFile, TASK_SCHEDULER_TEST_TRUST: pass.trust ? 'untrusted' : 'trusted',
      TASK_SCHEDULER_TEST_PASS: pass.suite ?? '', TASK_SCHEDULER_HOME: path.join(run.dir, 'state'), ...extra.env,
    } });
  } catch (e) {
    await extra.stop();
    throw e;
  }
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
    if (result.timeout) console.log(`[${pass.name}] no verdict from the workbench within ${TIMEOUT_MS / 1000} s`);
    for (const l of result.logs || []) { // the window's log files, kept for post-mortems
      const p = path.join(run.dir, 'window-logs', l.relativePath);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, l.contents);
    }
    if (result.code !== 0) console.log(`[${pass.name}] screenshot ${await browser.screenshot(page, `${pass.name}-failure`)}`);
  } finally {
    if (context) await context.close().catch(() => {});
    await server.stop();
    await extra.stop();
  }

  const stats = fs.existsSync(statsFile) ? JSON.parse(fs.readFileSync(statsFile, 'utf8')) : { passed: 0, failed: 0 };
  // A load error or timeout runs no test: count it as one failure so the total cannot look green.
  if (result.code !== 0 && stats.failed === 0) stats.failed = 1;
  console.log(`[${pass.name}] exit ${result.code}: ${stats.passed} passed, ${stats.failed} failed`);
  return stats;
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const tests = await buildSuite();
  const only = process.env.TS_HOST_PASS; // e.g. host-untrusted, to run one pass while working on it
  const total = { passed: 0, failed: 0 };
  for (const pass of PASSES.filter((p) => !only || p.name === only)) {
    const stats = await runPass(pass, tests);
    total.passed += stats.passed;
    total.failed += stats.failed;
  }
  console.log(`[host] ${total.passed} passed, ${total.failed} failed`);
  if (process.env.TS_STATS_FILE) fs.writeFileSync(process.env.TS_STATS_FILE, JSON.stringify(total));
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => { console.error('[host] harness error:', e); process.exit(2); });
