// Where the extension finds esbuild (src/extension/esbuild.ts): the workspace's, then its own, then one
// installed into global storage on first need — and, until one is found, a build error that says so.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EsbuildResolver, ESBUILD_MISSING_CODE, exactVersion } from '../../../src/extension/esbuild';
import { EXTENSION_ID } from '../../../src/extension/ids';

const quiet = { info() {}, warn() {}, error() {} };

describe('esbuild resolution', function () {
  this.timeout(30_000);
  let extensionPath: string;
  let realEsbuild: string;
  let tmp: string;
  const dir = (name: string) => { const d = path.join(tmp, name); fs.mkdirSync(d, { recursive: true }); return d; };
  /** A folder with node_modules/esbuild linked to the real package. */
  const withEsbuild = (name: string) => {
    const d = dir(name);
    fs.mkdirSync(path.join(d, 'node_modules'), { recursive: true });
    fs.symlinkSync(realEsbuild, path.join(d, 'node_modules', 'esbuild'), 'dir');
    return d;
  };

  before(() => {
    extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    realEsbuild = path.join(extensionPath, 'node_modules', 'esbuild');
    assert.ok(fs.existsSync(realEsbuild), 'the development checkout has node_modules/esbuild');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-esbuild-'));
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('takes the version to install from package.json without its range', () => {
    const range = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.dependencies.esbuild as string;
    assert.match(exactVersion(range), /^\d+\.\d+\.\d+$/);
    assert.strictEqual(exactVersion('^0.25.12'), '0.25.12');
  });

  it('(a) prefers the workspace folder\'s own esbuild', () => {
    const r = new EsbuildResolver({ extensionPath, globalStorage: dir('g1'), version: '0.25.12', log: quiet });
    const found = r.find(withEsbuild('ws-a'));
    assert.strictEqual(found?.source, 'workspace');
  });

  it('passes over a workspace esbuild older than the compiler needs', () => {
    const ws = dir('ws-old');
    const pkg = path.join(ws, 'node_modules', 'esbuild');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'esbuild', version: '0.14.0', main: 'index.js' }));
    fs.writeFileSync(path.join(pkg, 'index.js'), 'module.exports = { version: "0.14.0", build() { throw new Error("old"); } };');
    const r = new EsbuildResolver({ extensionPath, globalStorage: dir('g2'), version: '0.25.12', log: quiet });
    assert.strictEqual(r.find(ws)?.source, 'extension');
  });

  it('(b) falls back to the extension\'s own node_modules/esbuild', () => {
    const r = new EsbuildResolver({ extensionPath, globalStorage: dir('g3'), version: '0.25.12', log: quiet });
    const found = r.find(dir('ws-b'));
    assert.strictEqual(found?.source, 'extension');
    assert.strictEqual(found?.dir, realEsbuild);
  });

  it('(c) with none found: builds fail with a positioned-free error the compiler lists per task, the user is asked once, and after the install the global one is used', async () => {
    const bare = dir('ext-without-node-modules');
    const globalStorage = dir('g4');
    let asked = 0;
    const npmCalls: string[][] = [];
    const r = new EsbuildResolver({
      extensionPath: bare, globalStorage, version: '0.25.12', log: quiet, onMissing: () => asked++,
      // Stands in for npm: puts the package where `npm install --prefix` would.
      npm: async (args, cwd) => {
        npmCalls.push(args);
        fs.mkdirSync(path.join(cwd, 'node_modules'), { recursive: true });
        fs.symlinkSync(realEsbuild, path.join(cwd, 'node_modules', 'esbuild'), 'dir');
      },
    });
    const ws = dir('ws-c');
    assert.strictEqual(r.find(ws), undefined);
    const api = r.forFolder(ws);
    assert.strictEqual(api.version, 'unavailable');
    const entry = path.join(ws, 'x.ts');
    fs.writeFileSync(entry, 'export const x: number = 1;');
    const build = () => api.build({ entryPoints: [entry], write: false, logLevel: 'silent' });
    await assert.rejects(build(), (e: { errors?: Array<{ detail?: { code?: string } }> }) => e.errors?.[0]?.detail?.code === ESBUILD_MISSING_CODE);
    await assert.rejects(build());
    assert.strictEqual(asked, 1, 'asked once, not once per build');
    assert.strictEqual(r.missing, true);

    const found = await r.install();
    assert.deepStrictEqual(npmCalls[0].slice(0, 4), ['install', 'esbuild@0.25.12', '--prefix', path.join(globalStorage, 'esbuild')]);
    assert.strictEqual(found.source, 'global');
    assert.strictEqual(r.missing, false);
    const result = await build();
    assert.strictEqual(result.errors.length, 0);
    assert.match(result.outputFiles?.[0]?.text ?? '', /x = 1/);
    assert.notStrictEqual(api.version, 'unavailable');
  });

  it('an npm that fails rejects the install with its message', async () => {
    const r = new EsbuildResolver({
      extensionPath: dir('ext-2'), globalStorage: dir('g5'), version: '0.25.12', log: quiet,
      npm: async () => { throw new Error('npm ERR! network'); },
    });
    await assert.rejects(r.install(), /network/);
  });
});
