import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig, findConfigFile, readConfig } from '../../src/core/config';
import { damerauLevenshtein, didYouMean } from '../../src/core/config/didYouMean';

describe('config: one file per workspace folder', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-config-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds .scheduler.yaml, else .scheduler.yml, else nothing', async () => {
    assert.strictEqual(await findConfigFile(root), undefined);
    fs.writeFileSync(path.join(root, '.scheduler.yml'), 'concurrency: 3\n');
    assert.strictEqual(await findConfigFile(root), path.join(root, '.scheduler.yml'));
    fs.writeFileSync(path.join(root, '.scheduler.yaml'), 'concurrency: 4\n');
    assert.strictEqual(await findConfigFile(root), path.join(root, '.scheduler.yaml'));
  });

  it('ignores a directory that has the name', async () => {
    fs.mkdirSync(path.join(root, '.scheduler.yaml'));
    assert.strictEqual(await findConfigFile(root), undefined);
  });

  it('reads the defaults when the folder has no config', async () => {
    const loaded = await readConfig(root);
    assert.strictEqual(loaded.file, undefined);
    assert.deepStrictEqual(loaded.config, defaultConfig());
    assert.deepStrictEqual(loaded.diagnostics, []);
  });

  it('keeps each folder apart (multi-root)', async () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    fs.writeFileSync(path.join(a, '.scheduler.yaml'), 'timezone: UTC\njobs:\n  x: { command: echo a }\n');
    fs.writeFileSync(path.join(b, '.scheduler.yml'), 'concurrency: 1\n');
    const [la, lb] = await Promise.all([readConfig(a), readConfig(b)]);
    assert.strictEqual(la.config.timezone, 'UTC');
    assert.deepStrictEqual(Object.keys(la.config.jobs), ['x']);
    assert.strictEqual(lb.config.timezone, undefined);
    assert.strictEqual(lb.config.concurrency, 1);
    assert.deepStrictEqual(lb.config.jobs, {});
    assert.strictEqual(lb.file, path.join(b, '.scheduler.yml'));
  });

  it('says the .yml is ignored when both names exist', async () => {
    fs.writeFileSync(path.join(root, '.scheduler.yaml'), 'concurrency: 4\n');
    fs.writeFileSync(path.join(root, '.scheduler.yml'), 'concurrency: 3\n');
    const loaded = await readConfig(root);
    assert.strictEqual(loaded.config.concurrency, 4);
    assert.deepStrictEqual(loaded.diagnostics.map((d) => [path.basename(d.file), d.severity, d.code]), [['.scheduler.yml', 'warning', 'config.ignored-file']]);
  });
});

describe('config: did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.strictEqual(damerauLevenshtein('timezone', 'tiemzone'), 1);
    assert.strictEqual(damerauLevenshtein('abc', 'abc'), 0);
    assert.strictEqual(damerauLevenshtein('', 'abc'), 3);
  });
  it('finds the near name, ignoring case and separators, and nothing when none is near', () => {
    const keys = ['timezone', 'timeout', 'retries', 'dependsOn', 'catchUpWindow'];
    assert.strictEqual(didYouMean('tiemzone', keys), 'timezone');
    assert.strictEqual(didYouMean('retry', keys), 'retries');
    assert.strictEqual(didYouMean('catchup', keys), 'catchUpWindow', 'a shared start of most of the word');
    assert.strictEqual(didYouMean('depends_on', keys), 'dependsOn');
    assert.strictEqual(didYouMean('catch-up-window', keys), 'catchUpWindow');
    assert.strictEqual(didYouMean('foo', keys), undefined);
    assert.strictEqual(didYouMean('Europe/Xyzzyq', ['Europe/Kyiv', 'Europe/Berlin']), undefined, 'a shared start alone is not enough');
    assert.strictEqual(didYouMean('schedule', keys), undefined);
  });
});
