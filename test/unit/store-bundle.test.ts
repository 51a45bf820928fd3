// Production layout: the worker bundled as store-worker.js with sql-wasm.wasm beside it, found by
// the same resolvers the extension and CLI use (no TypeScript hook in the worker).
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { createHistory, openHistoryReadOnly } from '../../src/core/store';
import { locateWasm, workerEntry } from '../../src/core/store/locate';
import { ids, removeTempDirs, run, tempDir } from './store-helpers';

describe('history store: bundled worker', function () {
  this.timeout(60_000);
  after(removeTempDirs);

  it('resolves the worker and the .wasm beside the bundle, else from the sources and node_modules', () => {
    const dist = tempDir();
    fs.writeFileSync(path.join(dist, 'store-worker.js'), '');
    fs.writeFileSync(path.join(dist, 'sql-wasm.wasm'), '');
    assert.deepStrictEqual(workerEntry(dist), { file: path.join(dist, 'store-worker.js'), execArgv: [] });
    assert.strictEqual(locateWasm(dist), path.join(dist, 'sql-wasm.wasm'));
    const source = workerEntry();
    assert.strictEqual(source.file, path.join(__dirname, '../../src/core/store/worker.ts'));
    assert.deepStrictEqual(source.execArgv, ['--require', path.join(__dirname, '../register.js')]);
    assert.strictEqual(locateWasm(), require.resolve('sql.js/dist/sql-wasm.wasm'));
  });

  it('runs a history through dist/store-worker.js as esbuild.js builds it', async () => {
    const dist = tempDir();
    // Read, not required: requiring esbuild.js would run the whole build.
    const table = fs.readFileSync(path.join(__dirname, '../../esbuild.js'), 'utf8');
    assert.match(table, /\{ entry: 'src\/core\/store\/worker\.ts', out: 'dist\/store-worker\.js' \}/, 'esbuild.js builds the worker');
    await esbuild.build({
      entryPoints: [path.join(__dirname, '../../src/core/store/worker.ts')], outfile: path.join(dist, 'store-worker.js'),
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
    });
    fs.copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), path.join(dist, 'sql-wasm.wasm'));
    const dataDir = tempDir();
    const h = createHistory({ dataDir, worker: workerEntry(dist), wasm: locateWasm(dist) });
    await h.open();
    await h.putRun(run('bundled'));
    const reader = await openHistoryReadOnly(dataDir, { worker: workerEntry(dist), wasm: locateWasm(dist) });
    assert.deepStrictEqual(ids(await reader.runs({})), ['bundled']);
    await reader.close();
    await h.close();
  });
});
