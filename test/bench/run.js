#!/usr/bin/env node
// Runs every benchmark under test/bench (or those named on the command line), one process each so
// they do not disturb one another's heap figures. Each prints its own figures beside its peer.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const only = process.argv.slice(2);
const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o))).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', path.join(__dirname, '../register.js'), path.join(__dirname, f)],
    { stdio: 'inherit' });
  if (r.status !== 0) { failed++; console.log(`!!! ${f} exited ${r.status}`); }
}
process.exit(failed ? 1 : 0);
