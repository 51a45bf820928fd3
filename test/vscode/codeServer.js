// code-server: installed on first use into .vscode-test/ (as @vscode/test-electron caches desktop
// VS Code), then started per run with its own user data, extensions and XDG folders, and stopped by PID.
// Background and measured pitfalls: /work/shared/reference/code-server-e2e/REPORT.md.
'use strict';
const { spawn, spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const VERSION = '4.100.3'; // ships VS Code 1.100.3 and runs on Node 20, the Node we have; engines.vscode must not be newer
const PREFIX = path.join(ROOT, '.vscode-test', `code-server-${VERSION}`);
const PKG = path.join(PREFIX, 'node_modules', 'code-server');
const BIN = path.join(PREFIX, 'node_modules', '.bin', 'code-server');
const RUNS = path.join(ROOT, '.vscode-test', 'runs');
const KEEP_RUNS = 5; // enough to look at the last few failures, small enough not to fill the disk
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'build-essential', 'python3', 'pkg-config'];
// @vscode/ripgrep as pinned by code-server 4.100.3 (lib/vscode/npm-shrinkwrap.json) and the release its
// postinstall would download from GitHub (lib/postinstall.js VERSION); we seed its cache instead.
const RG_PKG_VERSION = '1.15.11';
const RG_TAG = 'v13.0.0-10';
// npm 11.19 runs a dependency's install scripts only when the installing package.json's allowScripts
// approves it. code-server's postinstall installs VS Code's own modules (its nested npm install runs their
// scripts itself); argon2 (password hashing, unused with --auth none) still needs its native build to load.
const ALLOW_SCRIPTS = { [`code-server@${VERSION}`]: true, 'argon2@0.31.2': true };

const log = (msg) => console.log(`[code-server] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** Why the install in PREFIX is not complete, or undefined when it is. */
function incomplete() {
  if (!fs.existsSync(BIN)) return `no ${path.relative(ROOT, BIN)}`;
  if (!fs.existsSync(path.join(PKG, 'lib/vscode/node_modules/@vscode/ripgrep/bin/rg'))) return 'no ripgrep binary (@vscode/ripgrep postinstall)';
  if (!fs.existsSync(path.join(PKG, 'lib/vscode/extensions/node_modules'))) return 'no lib/vscode/extensions/node_modules (code-server postinstall)';
  const r = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.startsWith(`${VERSION} `)) return `code-server --version said: ${(r.stdout + r.stderr).trim().slice(0, 300) || `exit ${r.status}`}`;
  return undefined;
}
const isInstalled = () => !incomplete();

function missingAptPackages() {
  return APT_PACKAGES.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
}

function ensureAptPackages() {
  const missing = missingAptPackages();
  if (!missing.length) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}\nRun as root:\n  ${cmd}`);
  }
  log(cmd);
  execFileSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache (under os.tmpdir()) has it. */
function seedRipgrepCache() {
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
  if (!arch) throw new Error(`no ripgrep build for ${process.arch}`);
  const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RG_PKG_VERSION}`);
  const asset = path.join(dir, `ripgrep-${RG_TAG}-${arch}-unknown-linux-musl.tar.gz`);
  if (fs.existsSync(asset) && fs.statSync(asset).size > 0) return;
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-stage-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim(), path.join(stage, 'rg'));
  execFileSync('tar', ['-C', stage, '-czf', asset, 'rg']); // rg at the root of the archive, as the release has it
  fs.rmSync(stage, { recursive: true, force: true });
}

/** The `name@version (script)` lines of npm's "install scripts not yet covered by allowScripts" warning. */
function skippedInstallScripts(logText) {
  const at = logText.indexOf('not yet covered by allowScripts');
  if (at < 0) return [];
  return logText.slice(at).split('\n').slice(1)
    .map((l) => /^npm warn install-scripts\s+(\S+@\S+ \(.*\))\s*$/.exec(l)).filter(Boolean).map((m) => m[1]);
}

/** Installs code-server into .vscode-test/ unless a complete install is there. Returns the binary. */
function ensureCodeServer() {
  ensureAptPackages(); // chromium is needed even when code-server is already there
  if (isInstalled()) return BIN;
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) throw new Error(`code-server ${VERSION} needs Node 20 (this is ${process.version})`);
  seedRipgrepCache();
  log(`installing code-server@${VERSION} into ${path.relative(ROOT, PREFIX)} (about a minute; log: install.log)`);
  const t0 = Date.now();
  fs.rmSync(PREFIX, { recursive: true, force: true }); // a half-finished install is not worth repairing
  fs.mkdirSync(PREFIX, { recursive: true });
  fs.writeFileSync(path.join(PREFIX, 'package.json'),
    `${JSON.stringify({ name: 'code-server-install', private: true, allowScripts: ALLOW_SCRIPTS }, null, 2)}\n`);
  const env = { ...process.env };
  // Native modules (argon2, kerberos, node-pty, ...) build with node-gyp: use the local Node headers, offline.
  if (fs.existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  // node-pty's postinstall runs `npx node-gyp`, which a user config of `yes=false` would refuse.
  env.npm_config_yes = 'true';
  const logFd = fs.openSync(path.join(PREFIX, 'install.log'), 'w');
  // --unsafe-perm=true: as root, code-server's postinstall refuses to run without it (npm 11 warns, still passes it on).
  const r = spawnSync('npm', ['install', '--unsafe-perm=true', '--no-audit', '--no-fund', `code-server@${VERSION}`],
    { cwd: PREFIX, env, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const logText = fs.readFileSync(path.join(PREFIX, 'install.log'), 'utf8');
  const skipped = skippedInstallScripts(logText);
  if (skipped.length) {
    throw new Error(`installing code-server: npm skipped these install scripts, so the install is incomplete:\n  ${skipped.join('\n  ')}\n`
      + `Approve each in ALLOW_SCRIPTS (test/vscode/codeServer.js), pinned to its version, then run again.`);
  }
  let missing = r.status === 0 ? incomplete() : undefined;
  // Seen once on a fresh machine: npm exited 0, the check failed, and the same check passed moments later
  // without a reinstall. Look again for a while before calling the install broken, and say so in the log.
  for (let i = 0; missing && i < 30; i++) {
    if (i === 0) log(`install looks incomplete right after npm (${missing}); checking again for up to 15 s`);
    spawnSync('sleep', ['0.5']);
    missing = incomplete();
  }
  if (r.status !== 0 || missing) {
    const tail = logText.split('\n')
      .filter((l) => !/^(npm error\s*)+[\d,\s]*$/.test(l)).slice(-30).join('\n'); // drop npm's dumps of byte buffers
    throw new Error(`installing code-server failed (${missing ? `npm exit 0, but ${missing}` : `exit ${r.status}`}):\n${tail}`);
  }
  log(`installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return BIN;
}

/** Keeps the newest KEEP_RUNS run folders, and any whose code-server still runs (a long `npm start`). */
function pruneRuns() {
  if (!fs.existsSync(RUNS)) return;
  const old = fs.readdirSync(RUNS).sort().reverse().slice(KEEP_RUNS);
  for (const d of old) {
    const pidFile = path.join(RUNS, d, 'code-server.pid');
    if (fs.existsSync(pidFile) && alive(Number(fs.readFileSync(pidFile, 'utf8')))) continue;
    fs.rmSync(path.join(RUNS, d), { recursive: true, force: true });
  }
}

/**
 * A fresh run folder: ud/ (user data, settings.json), exts/ (extensions), xdg/ (code-server writes its
 * config.yaml and logs under XDG dirs whatever --user-data-dir says), chromium/ (a browser profile).
 * trust: false turns Workspace Trust off (no modal dialog); true gives the user's real first-run experience.
 */
function createRun(name, { trust = false } = {}) {
  pruneRuns();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const dir = path.join(RUNS, `${stamp}-${name}-${process.pid}`);
  for (const d of ['ud/User', 'exts', 'xdg/config', 'xdg/data', 'chromium']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': trust,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.tips.enabled': false,
    // Run folders live inside this git repository: without this a "open the parent repository?" toast appears.
    'git.openRepositoryInParentFolders': 'never',
  };
  fs.writeFileSync(path.join(dir, 'ud/User/settings.json'), JSON.stringify(settings, null, 2));
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg/config'), XDG_DATA_HOME: path.join(dir, 'xdg/data') };
  return { dir, env, userData: path.join(dir, 'ud'), extensions: path.join(dir, 'exts') };
}

/** Lays `settings` over the run's user settings. */
function addUserSettings(run, settings) {
  const file = path.join(run.userData, 'User', 'settings.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...settings }, null, 2));
}

/**
 * Copies a folder (e.g. examples/) into the run, so tests never write into the repository. node_modules
 * stays behind: the repository's examples/ gets one when `npm start` opens it (the task types), and a
 * test must see the folder as a fresh clone has it.
 */
function copyWorkspace(run, from) {
  const to = path.join(run.dir, 'ws');
  if (from) fs.cpSync(from, to, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' });
  else fs.mkdirSync(to, { recursive: true });
  return to;
}

function installExtension(run, vsix) {
  const r = spawnSync(ensureCodeServer(), ['--user-data-dir', run.userData, '--extensions-dir', run.extensions,
    '--install-extension', vsix], { env: run.env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`--install-extension failed:\n${r.stdout}${r.stderr}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => { res.resume(); resolve(res.statusCode === 200); })
      .on('error', () => resolve(false)).on('timeout', function () { this.destroy(); resolve(false); });
  });
}


/** PIDs whose process group is pgid, read from /proc (no procps needed). */
function groupMembers(pgid) {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      if (Number(fields[2]) === pgid) pids.push(Number(d));
    } catch { /* the process ended while we looked */ }
  }
  return pids;
}

/** PIDs of the extension hosts a code-server (by its PID) runs now: one per connected window. */
function extensionHostPids(serverPid) {
  return groupMembers(serverPid).filter((pid) => {
    try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--type=extensionHost'); } catch { return false; }
  });
}

/**
 * Starts code-server on a free loopback port and resolves when it answers /healthz. The extension host
 * starts only when a browser connects. Options: env for the server (it reaches the extension host), port.
 * Returns { url, port, pid, log, stop() }.
 */
async function startCodeServer(run, { env = {}, port } = {}) {
  const bin = ensureCodeServer();
  port = port || await freePort();
  const logFile = path.join(run.dir, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', run.userData,
    '--extensions-dir', run.extensions, '--disable-telemetry', '--disable-update-check'];
  // detached: its own process group (PGID = its PID), so what it leaves behind can be found and ended.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', out, out], env: { ...run.env, ...env } });
  fs.closeSync(out);
  const pid = child.pid;
  const pidFile = path.join(run.dir, 'code-server.pid');
  fs.writeFileSync(pidFile, String(pid));
  let exited = false;
  child.on('exit', () => { exited = true; });
  const onExit = () => { if (!exited) try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', onExit); // last resort if the harness dies; stop() is the normal way
  // code-server runs in its own session, so Ctrl-C reaches only us: turn it into an orderly exit.
  if (!process.listenerCount('SIGINT')) process.once('SIGINT', () => process.exit(130));

  async function stop() {
    process.off('exit', onExit);
    if (alive(pid)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 40 && alive(pid) && !exited; i++) await sleep(250);
      if (alive(pid) && !exited) process.kill(pid, 'SIGKILL');
    }
    // Extension hosts and watchers share its group and normally follow within seconds; end stragglers by PID.
    let left = [];
    for (let i = 0; i < 20; i++) {
      left = groupMembers(pid);
      if (!left.length) break;
      await sleep(250);
    }
    for (const p of left) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
    if (left.length) log(`ended leftover pids ${left.join(' ')}`);
    fs.rmSync(pidFile, { force: true });
  }

  for (let i = 0; i < 240; i++) { // 60 s; it normally listens within about a second
    if (await healthy(port)) return { url: `http://127.0.0.1:${port}`, port, pid, log: logFile, stop };
    if (exited) break;
    await sleep(250);
  }
  await stop();
  throw new Error(`code-server did not start; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
}

module.exports = { VERSION, skippedInstallScripts, ROOT, PREFIX, ensureCodeServer, createRun, addUserSettings, copyWorkspace, installExtension, startCodeServer, extensionHostPids };

if (require.main === module) {
  // `node test/vscode/codeServer.js` installs (or checks) code-server and prints where it is.
  try { console.log(ensureCodeServer()); } catch (e) { console.error(e.message); process.exit(1); }
}
