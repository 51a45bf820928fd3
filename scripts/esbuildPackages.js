// esbuild's npm packages for the platform VSIXes: `npm pack <name>@<version>` from the registry (the
// only network use, cached in out/npm-pack-cache), checked against package-lock.json's integrity, and
// unpacked in memory (a .tgz is a gzipped tar; no `tar` binary needed).
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'out', 'npm-pack-cache');

/** VS Code target → the @esbuild package whose binary runs there (esbuild's Linux binaries are static, so Alpine's musl runs linux-x64's). */
const TARGETS = {
  'linux-x64': '@esbuild/linux-x64',
  'linux-arm64': '@esbuild/linux-arm64',
  'alpine-x64': '@esbuild/linux-x64',
  'darwin-x64': '@esbuild/darwin-x64',
  'darwin-arm64': '@esbuild/darwin-arm64',
  'win32-x64': '@esbuild/win32-x64',
  'win32-arm64': '@esbuild/win32-arm64',
};

/** The exact esbuild version of package.json (`^0.25.12` → `0.25.12`): the binary must match the JS API. */
function esbuildVersion() {
  const range = require(path.join(ROOT, 'package.json')).dependencies.esbuild;
  const m = /(\d+\.\d+\.\d+(?:-[\w.]+)?)/.exec(range);
  if (!m) throw new Error(`package.json: no version in esbuild "${range}"`);
  return m[1];
}

/** The integrity package-lock.json records for name@version, if it has that version. */
function lockedIntegrity(name, version) {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const entry = lock.packages?.[`node_modules/${name}`];
  return entry?.version === version ? entry.integrity : undefined;
}

function integrityOf(buf) {
  return `sha512-${crypto.createHash('sha512').update(buf).digest('base64')}`;
}

/** The tarball of name@version: from the cache, else `npm pack` from the registry. */
function fetchTarball(name, version, log = () => {}) {
  fs.mkdirSync(CACHE, { recursive: true });
  const file = path.join(CACHE, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  if (!fs.existsSync(file)) {
    log(`npm pack ${name}@${version} (once; cached in ${path.relative(ROOT, CACHE)})`);
    const r = spawnSync('npm', ['pack', `${name}@${version}`, '--pack-destination', CACHE, '--silent'],
      { cwd: CACHE, encoding: 'utf8', shell: process.platform === 'win32' });
    if (r.status !== 0 || !fs.existsSync(file)) throw new Error(`npm pack ${name}@${version} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  }
  const buf = fs.readFileSync(file);
  const expected = lockedIntegrity(name, version);
  if (expected && integrityOf(buf) !== expected) {
    fs.rmSync(file, { force: true });
    throw new Error(`${path.basename(file)} does not match package-lock.json's integrity for ${name}@${version}; it was deleted, run again`);
  }
  return buf;
}

/** The files of an npm tarball: Map of path (without the leading `package/`) → { data, mode }. */
function untar(tgz) {
  const tar = zlib.gunzipSync(tgz);
  const files = new Map();
  const text = (start, length) => tar.toString('utf8', start, start + length).replace(/\0.*$/s, '');
  for (let p = 0; p + 512 <= tar.length;) {
    const name = text(p, 100);
    if (!name) break;
    const size = parseInt(text(p + 124, 12).trim() || '0', 8);
    const mode = parseInt(text(p + 100, 8).trim() || '644', 8);
    const type = text(p + 156, 1) || '0';
    const prefix = text(p + 345, 155);
    const full = prefix ? `${prefix}/${name}` : name;
    if (type === '0') files.set(full.replace(/^[^/]+\//, ''), { data: tar.subarray(p + 512, p + 512 + size), mode });
    p += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/**
 * Lays esbuild for `target` into `<dir>/node_modules` as npm would: the JS API (esbuild's package.json,
 * lib/main.js, its license) and the @esbuild/<platform> package with its binary, executable. Returns
 * the paths written, relative to dir.
 */
function layEsbuild(dir, target, log) {
  const platformPackage = TARGETS[target];
  if (!platformPackage) throw new Error(`no platform VSIX for "${target}"; targets: ${Object.keys(TARGETS).join(', ')}`);
  const version = esbuildVersion();
  const written = [];
  const put = (rel, { data, mode }) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data, { mode });
    fs.chmodSync(file, mode); // writeFileSync's mode is masked by the umask
    written.push(rel);
  };
  const api = untar(fetchTarball('esbuild', version, log));
  for (const f of ['package.json', 'lib/main.js', 'LICENSE.md']) {
    if (!api.has(f)) throw new Error(`esbuild@${version} has no ${f}`);
    put(`node_modules/esbuild/${f}`, api.get(f));
  }
  const binary = untar(fetchTarball(platformPackage, version, log));
  const exe = target.startsWith('win32') ? 'esbuild.exe' : 'bin/esbuild';
  for (const f of ['package.json', exe]) {
    if (!binary.has(f)) throw new Error(`${platformPackage}@${version} has no ${f}`);
    put(`node_modules/${platformPackage}/${f}`, f === exe ? { ...binary.get(f), mode: 0o755 } : binary.get(f));
  }
  return written;
}

module.exports = { TARGETS, esbuildVersion, fetchTarball, untar, layEsbuild, integrityOf };
