#!/usr/bin/env node
// `npm run test:chaos`: every check under test/chaos at full counts (or those named), one figure line
// each, then `N passed, N failed`. Exit 1 when any check misses its bar.
'use strict';
require('../register.js');
const fs = require('fs');
const path = require('path');

async function main() {
  const only = process.argv.slice(2);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.chaos.ts'))
    .filter((f) => !only.length || only.some((o) => f.includes(o))).sort();
  const lines = [];
  let failed = 0;
  let skipped = 0;
  for (const f of files) {
    const { check } = require(path.join(__dirname, f));
    const t0 = Date.now();
    console.log(`\n=== ${check.name} (${f})`);
    const why = check.unavailable && check.unavailable();
    if (why) {
      const line = `SKIP  ${check.name}: ${why}`;
      lines.push(line);
      console.log(line);
      skipped++;
      continue;
    }
    let result;
    try {
      result = await check.run({ full: true, log: (l) => console.log(`  ${l}`) });
    } catch (e) {
      result = { line: `${check.name}: crashed: ${e && e.stack || e}`, ok: false };
    }
    if (!result.ok) failed++;
    const line = `${result.ok ? 'PASS' : 'FAIL'}  ${result.line}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`;
    lines.push(line);
    console.log(line);
  }
  console.log('\nFigures:');
  for (const l of lines) console.log(l);
  console.log(`${files.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(1); });
