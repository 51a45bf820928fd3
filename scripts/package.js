#!/usr/bin/env node
// `npm run package`: a production build, then task-scheduler-<version>.vsix with @vscode/vsce, then
// what is inside it and how big it is. What goes in is decided by .vscodeignore (an allowlist).
// Also used by the harness (UI tests, `npm start`) to package a development build.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function run(cmd, args, quiet = false) {
  // stdin ignored: if vsce ever asks a question (e.g. a missing LICENSE) it fails instead of waiting forever.
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})${quiet ? `:\n${r.stdout}${r.stderr}` : ''}`);
}

/** Packages whatever is in dist/ now into `out` (no npm dependencies: everything is bundled). */
function packageVsix(out, { quiet = false } = {}) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  run(path.join(ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--out', out], quiet);
  return out;
}

/** The entries of a zip file, read from its central directory (no `unzip` needed). */
function listZip(file) {
  const buf = fs.readFileSync(file);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size, compressed });
    p += 46 + skip;
  }
  return entries;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

function main() {
  const { name, version } = require(path.join(ROOT, 'package.json'));
  const out = path.join(ROOT, `${name}-${version}.vsix`);
  run('npm', ['run', 'build:production']);
  packageVsix(out);
  const entries = listZip(out);
  for (const e of entries) console.log(`${kib(e.size).padStart(12)}  ${e.name}`);
  console.log(`${path.basename(out)}: ${entries.length} files, ${kib(fs.statSync(out).size)} (${fs.statSync(out).size} bytes)`);
}

module.exports = { packageVsix, listZip };

if (require.main === module) {
  try { main(); } catch (e) { console.error(e.message); process.exit(1); }
}
