#!/usr/bin/env node
// Runs the UI suite (test/vscode/ui/*.ui.js) with mocha: each file is one `describe` that drives a real
// workbench in headless Chromium through useWorkbench() (ui/workbench.js).
//
//   node test/vscode/ui.js [filter]   (expects `npm run build` to have made dist/)
// Exit code 0 = all passed. Writes { passed, failed } to $TS_STATS_FILE when set (for test/run-all.js).
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(__dirname, 'ui');

function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  require('./codeServer').ensureCodeServer(); // installs on first use, before any test clock starts
  const filter = process.argv[2] || '';
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.ui.js') && f.includes(filter)).sort();
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 60_000 });
  for (const f of files) mocha.addFile(path.join(DIR, f));
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => {
      const stats = { passed: runner.stats.passes, failed: runner.stats.failures };
      // A hook that fails (e.g. code-server would not start) skips its tests: it still counts as a failure.
      if (failures && !stats.failed) stats.failed = failures;
      if (!files.length) stats.failed = 1;
      if (process.env.TS_STATS_FILE) fs.writeFileSync(process.env.TS_STATS_FILE, JSON.stringify(stats));
      resolve(stats.failed ? 1 : 0);
    });
  });
}

Promise.resolve().then(main).then((code) => process.exit(code), (e) => { console.error('[ui] harness error:', e); process.exit(2); });
