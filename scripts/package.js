#!/usr/bin/env node
// `npm run package`: a production build, then the VSIXes with @vscode/vsce, each with what is inside it
// and how big it is:
//   task-scheduler-<version>.vsix             universal: no esbuild; found or installed on first need
//   task-scheduler-<target>-<version>.vsix    one per platform, carrying esbuild's binary for it
// `npm run package -- --target linux-x64` builds one platform's only. What goes in is decided by
// .vscodeignore (an allowlist). Also used by the harness (UI tests, `npm start`) on a development build.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { TARGETS, layEsbuild } = require('./esbuildPackages');

const ROOT = path.resolve(__dirname, '..');
const VSCE = path.join(ROOT, 'node_modules/.bin/vsce');
/** The size a VSIX should stay under (the issue's goal; the universal one is under 1 MB). */
const GOAL_BYTES = 6 * 1024 * 1024;

function run(cmd, args, { quiet = false, cwd = ROOT } = {}) {
  // stdin ignored: if vsce ever asks a question (e.g. a missing LICENSE) it fails instead of waiting forever.
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'], encoding: 'utf8' });
  if (!quiet && r.stdout) process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})${quiet ? `:\n${r.stdout}${r.stderr}` : ''}`);
  return r.stdout;
}

/** Packages whatever is in dist/ now into `out` (no npm dependencies: everything is bundled). */
function packageVsix(out, { quiet = false } = {}) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  run(VSCE, ['package', '--no-dependencies', '--out', out], { quiet });
  return out;
}

/**
 * The VSIX for one VS Code target (linux-x64, …): the universal one's files plus esbuild's JS API and
 * the platform's esbuild binary in node_modules/, where the extension looks first after the workspace.
 * Built in a staging folder (out/package/<target>) so the repository's own node_modules stay out.
 */
function packagePlatformVsix(target, out, { quiet = false, log = quiet ? () => {} : (m) => console.log(m) } = {}) {
  const stage = path.join(ROOT, 'out', 'package', target);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const files = run(VSCE, ['ls', '--no-dependencies'], { quiet: true }).split('\n').map((l) => l.trim()).filter(Boolean);
  for (const f of [...files, '.vscodeignore']) {
    fs.mkdirSync(path.dirname(path.join(stage, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(stage, f));
  }
  layEsbuild(stage, target, log);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // With dependencies: vsce asks `npm ls --production` which packages to take, i.e. esbuild and its binary.
  run(VSCE, ['package', '--target', target, '--out', out], { quiet, cwd: stage });
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

/** Prints a VSIX's files and size; returns whether it is within the goal. */
function describe(file) {
  const entries = listZip(file);
  const size = fs.statSync(file).size;
  console.log(`\n${path.basename(file)}`);
  for (const e of entries) console.log(`${kib(e.size).padStart(12)}  ${e.name}`);
  const over = size > GOAL_BYTES;
  console.log(`${path.basename(file)}: ${entries.length} files, ${(size / 1024 / 1024).toFixed(2)} MB (${size} bytes)${over ? ` — over the ${GOAL_BYTES / 1024 / 1024} MB goal` : ''}`);
  return !over;
}

function main(argv) {
  const { name, version } = require(path.join(ROOT, 'package.json'));
  const only = argv.includes('--target') ? [argv[argv.indexOf('--target') + 1]] : undefined;
  for (const t of only ?? []) if (!TARGETS[t]) throw new Error(`--target: no platform VSIX for "${t}"; targets: ${Object.keys(TARGETS).join(', ')}`);
  run('npm', ['run', 'build:production']);
  const built = [];
  if (!only) built.push(packageVsix(path.join(ROOT, `${name}-${version}.vsix`), { quiet: true }));
  for (const target of only ?? Object.keys(TARGETS)) {
    built.push(packagePlatformVsix(target, path.join(ROOT, `${name}-${target}-${version}.vsix`), { quiet: true, log: console.log }));
  }
  const ok = built.map(describe).every(Boolean);
  console.log(`\n${built.length} VSIX file(s):`);
  for (const f of built) console.log(`  ${(fs.statSync(f).size / 1024 / 1024).toFixed(2).padStart(6)} MB  ${path.basename(f)}`);
  if (!ok) throw new Error(`a VSIX is over the ${GOAL_BYTES / 1024 / 1024} MB goal`);
}

module.exports = { packageVsix, packagePlatformVsix, listZip, TARGETS };

if (require.main === module) {
  try { main(process.argv.slice(2)); } catch (e) { console.error(e.message); process.exit(1); }
}
