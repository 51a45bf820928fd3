// Compiles the in-host suite (test/vscode/suite/*.ts) to out/test/vscode/suite/*.js. Each file is
// bundled with what it imports from src/, while vscode and npm packages (mocha) stay require()s:
// vscode is provided by the host, mocha is found in the repository's node_modules at run time.
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'test/vscode/suite');
const OUT = path.join(ROOT, 'out/test/vscode/suite');

/** Builds the suite; returns the compiled index module path without ".js" (as extensionTestsPath wants it). */
async function buildSuite() {
  const entries = fs.readdirSync(SRC).filter((f) => f.endsWith('.ts')).map((f) => path.join(SRC, f));
  fs.rmSync(OUT, { recursive: true, force: true }); // no stale test from a deleted source
  await esbuild.build({
    entryPoints: entries, outdir: OUT, outbase: SRC, bundle: true, packages: 'external', external: ['vscode'],
    platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', logLevel: 'warning',
  });
  return path.join(OUT, 'index');
}

module.exports = { buildSuite };

if (require.main === module) buildSuite().then((p) => console.log(p), (e) => { console.error(e); process.exit(1); });
