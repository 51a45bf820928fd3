// The extension's esbuild install into global storage, with the real npm and registry: under npm 11.19's
// install-script policy the install folder's package.json approves esbuild's postinstall, so nothing is
// skipped and esbuild's binary is linked in place (that link is what the postinstall does).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EsbuildResolver, exactVersion, skippedScripts } from '../../src/extension/esbuild';

const root = path.join(__dirname, '../..');

describe('esbuild install into global storage (real npm)', function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-esbuild-install-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads the names of skipped scripts from npm\'s warning', () => {
    const warning = [
      'npm warn install-scripts 2 packages have install scripts not yet covered by allowScripts:',
      'npm warn install-scripts   code-server@4.100.3 (postinstall: sh ./postinstall.sh)',
      'npm warn install-scripts   argon2@0.31.2 (install: node-pre-gyp install --fallback-to-build)',
      'npm warn install-scripts',
    ].join('\n');
    assert.deepStrictEqual(skippedScripts(warning), [
      'code-server@4.100.3 (postinstall: sh ./postinstall.sh)',
      'argon2@0.31.2 (install: node-pre-gyp install --fallback-to-build)',
    ]);
    assert.deepStrictEqual(skippedScripts('added 2 packages in 3s\n'), []);
  });

  it('installs the pinned esbuild with its postinstall approved, and it compiles', async () => {
    const version = exactVersion(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies.esbuild);
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
    const r = new EsbuildResolver({ extensionPath: path.join(tmp, 'bare-extension'), globalStorage: tmp, version, log });
    const found = await r.install();
    assert.strictEqual(found.source, 'global');
    assert.strictEqual(found.version, version);
    assert.deepStrictEqual(warnings, [], 'npm skipped no install script');
    const manifest = JSON.parse(fs.readFileSync(path.join(r.installPrefix, 'package.json'), 'utf8'));
    assert.deepStrictEqual(manifest.allowScripts, { [`esbuild@${version}`]: true });
    if (process.platform !== 'win32') {
      // The postinstall replaces bin/esbuild (a JS shim in the tarball) with the native binary.
      const head = fs.readFileSync(path.join(found.dir, 'bin', 'esbuild')).subarray(0, 2).toString('latin1');
      assert.notStrictEqual(head, '#!', 'bin/esbuild is still the JS shim: the postinstall did not run');
    }
    const result = await found.api.build({ stdin: { contents: 'export const x: number = 1;', loader: 'ts' }, write: false, logLevel: 'silent' });
    assert.match(result.outputFiles?.[0]?.text ?? '', /x = 1/);
  });
});
