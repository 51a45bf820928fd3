#!/usr/bin/env node
// `npm run test:desktop`: the same in-host suite as `npm test`, under desktop VS Code via
// @vscode/test-electron (which downloads VS Code into .vscode-test/ on first use). For machines that can
// reach update.code.visualstudio.com and have a display (or xvfb-run); elsewhere use `npm test`, which
// runs the suite in code-server.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { runTests } = require('@vscode/test-electron');
const { buildSuite } = require('./buildSuite');

const ROOT = path.resolve(__dirname, '../..');

async function main() {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return 1;
  const tests = await buildSuite();
  // A copy of examples/, so the tests never write into the repository.
  const workspace = path.join(ROOT, '.vscode-test', 'desktop-workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  try {
    return await runTests({
      version: '1.100.3', // the VS Code code-server 4.100.3 ships: both runs test the same engine
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: tests,
      launchArgs: [workspace, '--disable-workspace-trust', '--disable-extensions'],
    });
  } catch (e) {
    const msg = String(e && e.message || e);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|download|getaddrinfo|socket/i.test(msg)) {
      console.error(`\nCould not download desktop VS Code (${msg.split('\n')[0]}).\n` +
        'This machine cannot reach update.code.visualstudio.com. Run `npm test` instead: it runs the same\n' +
        'in-host suite inside code-server, which installs from the npm registry.');
    } else {
      console.error(`\nDesktop VS Code tests failed to run: ${msg}`);
    }
    return 1;
  }
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
