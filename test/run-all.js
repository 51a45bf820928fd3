#!/usr/bin/env node
// `npm test`: type check → build → unit tests (plain Node) → code-server (installed on first use) →
// the in-host suite inside code-server's extension host → the UI suite in headless Chromium; then one
// summary. A failed type check or build stops the run (nothing after it would mean anything); a failed
// test stage does not, so one run shows every failure. The last line is `N passed, N failed` (CI reads it).
//
// TS_SKIP_HOST=1 / TS_SKIP_UI=1 skip those stages for quick local runs (.ci/run never sets them).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'test-results');
const node = process.execPath;

const stages = [
  { name: 'typecheck', gate: true, cmd: [node, 'node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'] },
  // The dashboard's page script runs in a browser: its own config (DOM types, no Node).
  { name: 'typecheck-webview', gate: true, cmd: [node, 'node_modules/typescript/bin/tsc', '-p', 'src/extension/dashboard/webview/tsconfig.json', '--noEmit'] },
  // The Preview Schedules page's script, likewise.
  { name: 'typecheck-preview', gate: true, cmd: [node, 'node_modules/typescript/bin/tsc', '-p', 'src/extension/preview/webview/tsconfig.json', '--noEmit'] },
  { name: 'build', gate: true, cmd: ['npm', 'run', '--silent', 'build'] },
  { name: 'unit', counts: true, cmd: [node, 'node_modules/mocha/bin/mocha.js', 'test/unit/**/*.test.ts', '--reporter', './test/vscode/statsReporter.js'] },
  { name: 'code-server', gate: true, cmd: [node, 'test/vscode/codeServer.js'], skip: process.env.TS_SKIP_HOST && process.env.TS_SKIP_UI },
  { name: 'host', counts: true, cmd: [node, 'test/vscode/host.js'], skip: process.env.TS_SKIP_HOST },
  { name: 'ui', counts: true, cmd: [node, 'test/vscode/ui.js'], skip: process.env.TS_SKIP_UI },
];

function runStage(stage) {
  const statsFile = path.join(RESULTS, `${stage.name}.stats.json`);
  fs.rmSync(statsFile, { force: true });
  console.log(`\n==> ${stage.name}: ${stage.cmd.map((a) => (a === node ? 'node' : a)).join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(stage.cmd[0], stage.cmd.slice(1), { cwd: ROOT, stdio: 'inherit', env: { ...process.env, TS_STATS_FILE: statsFile } });
  const seconds = (Date.now() - t0) / 1000;
  const ok = r.status === 0;
  if (!stage.counts) return { ok, seconds, passed: 0, failed: ok ? 0 : 1 };
  const stats = fs.existsSync(statsFile) ? JSON.parse(fs.readFileSync(statsFile, 'utf8')) : { passed: 0, failed: 0 };
  // A stage that failed without reporting a failed test (a crash, a load error) still counts as one failure.
  if (!ok && stats.failed === 0) stats.failed = 1;
  return { ok, seconds, ...stats };
}

function main() {
  const t0 = Date.now();
  fs.rmSync(path.join(RESULTS, 'screenshots'), { recursive: true, force: true }); // only this run's pictures
  fs.mkdirSync(RESULTS, { recursive: true });
  const rows = [];
  let stopped = false;
  for (const stage of stages) {
    if (stopped || stage.skip) {
      rows.push({ stage, text: stopped ? 'not run' : 'skipped' });
      continue;
    }
    const r = runStage(stage);
    const text = stage.counts ? `${r.passed} passed, ${r.failed} failed` : r.ok ? 'ok' : 'FAILED';
    rows.push({ stage, text: `${text} (${r.seconds.toFixed(1)} s)`, ...r });
    if (stage.gate && !r.ok) stopped = true;
  }
  const passed = rows.reduce((n, r) => n + (r.passed || 0), 0);
  const failed = rows.reduce((n, r) => n + (r.failed || 0), 0);
  console.log(`\n==> summary (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  for (const r of rows) console.log(`${r.stage.name}: ${r.text}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

process.exitCode = main();
