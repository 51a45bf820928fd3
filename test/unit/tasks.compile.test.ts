import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createCompiler, defaultCacheDir, type Compiler } from '../../src/core/tasks/compile';
import { discoverTaskFiles } from '../../src/core/tasks/discover';

const FIXTURE = path.join(__dirname, '../fixtures/tasks/ws');
const API = path.join(__dirname, '../../src/api/index.ts');

/** A private copy of the fixture workspace (tests edit files) and an empty cache. */
function workspace(): { ws: string; cache: string; compiler: Compiler } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-compile-'));
  const ws = path.join(root, 'ws');
  fs.cpSync(FIXTURE, ws, { recursive: true });
  const cache = path.join(root, 'cache');
  return { ws, cache, compiler: createCompiler({ workspaceFolder: ws, cacheDir: cache, apiModulePath: API }) };
}
const good = (ws: string) => ['scripts/nightly-backup', 'scripts/fetch-data', 'scripts/plain'].map((f) => path.join(ws, `${f}.task.ts`));
/** Moves a file's mtime so an edit is seen even within one timestamp tick. */
function edit(file: string, text: string): void {
  fs.writeFileSync(file, text);
  const t = new Date(Date.now() + 5_000);
  fs.utimesSync(file, t, t);
}
/** Runs a compiled task's `run` in a fresh Node process, from the workspace folder. */
function runCompiled(compiled: string, cwd: string): unknown {
  const script = `const m = require(${JSON.stringify(compiled)}); Promise.resolve((m.default ?? m).run({ log() {}, params: { keep: 1 } })).then((r) => process.stdout.write(JSON.stringify(r)));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' }));
}

describe('tasks: compile', function () {
  this.timeout(30_000);

  it('compiles task files to CommonJS that runs, with task-scheduler, local helpers and workspace packages', async () => {
    const { ws, compiler } = workspace();
    const r = await compiler.compile(good(ws));
    assert.deepStrictEqual(r.diagnostics, []);
    assert.deepStrictEqual(r.stats.built, 3);
    assert.deepStrictEqual(runCompiled(r.outputs.get(path.join(ws, 'scripts/plain.task.ts'))!, ws), 42);
    // __dirname is the task's folder, not the cache; left-pad is required from the workspace.
    assert.deepStrictEqual(runCompiled(r.outputs.get(path.join(ws, 'scripts/fetch-data.task.ts'))!, ws), { dir: path.join(ws, 'scripts') });
    const out = fs.readFileSync(r.outputs.get(path.join(ws, 'scripts/fetch-data.task.ts'))!, 'utf8');
    assert.match(out, new RegExp(`require\\(${JSON.stringify(path.join(ws, 'node_modules/left-pad/index.js')).replace(/[/\\.]/g, '\\$&')}\\)`));
    assert.match(out, /function label/, 'the local helper is bundled in');
  });

  it('reuses every output when nothing changed, without running esbuild', async () => {
    const { ws, compiler } = workspace();
    const first = await compiler.compile(good(ws));
    const second = await compiler.compile(good(ws));
    assert.deepStrictEqual(second.stats, { ...second.stats, built: 0, cached: 3, failed: 0 });
    assert.deepStrictEqual([...second.outputs], [...first.outputs]);
    // A new compiler over the same cache (the next session) reuses them too.
    const again = await createCompiler({ workspaceFolder: ws, cacheDir: compiler.cacheDir, apiModulePath: API }).compile(good(ws));
    assert.strictEqual(again.stats.cached, 3);
    assert.strictEqual(again.stats.built, 0);
  });

  it('rebuilds an edited task alone, and the dependents of an edited helper', async () => {
    const { ws, compiler } = workspace();
    await compiler.compile(good(ws));
    const plain = path.join(ws, 'scripts/plain.task.ts');
    edit(plain, fs.readFileSync(plain, 'utf8').replace('return 42', 'return 43'));
    let r = await compiler.compile(good(ws));
    assert.deepStrictEqual([r.stats.built, r.stats.cached], [1, 2]);
    assert.strictEqual(runCompiled(r.outputs.get(plain)!, ws), 43);

    const helper = path.join(ws, 'lib/format.ts');
    edit(helper, fs.readFileSync(helper, 'utf8').replace('`[${text}]`', '`<${text}>`'));
    r = await compiler.compile(good(ws));
    assert.deepStrictEqual([r.stats.built, r.stats.cached], [1, 2], 'only fetch-data imports the helper');
  });

  it('does not rebuild a file that was touched but not changed', async () => {
    const { ws, compiler } = workspace();
    await compiler.compile(good(ws));
    const plain = path.join(ws, 'scripts/plain.task.ts');
    edit(plain, fs.readFileSync(plain, 'utf8'));
    const r = await compiler.compile(good(ws));
    assert.deepStrictEqual([r.stats.built, r.stats.cached], [0, 3]);
  });

  it('rebuilds when an output was deleted from the cache', async () => {
    const { ws, compiler } = workspace();
    const first = await compiler.compile(good(ws));
    fs.rmSync(first.outputs.get(path.join(ws, 'scripts/plain.task.ts'))!);
    const r = await compiler.compile(good(ws));
    assert.deepStrictEqual([r.stats.built, r.stats.cached], [1, 2]);
  });

  it('forgets a deleted task file and removes its output', async () => {
    const { ws, compiler } = workspace();
    const first = await compiler.compile(good(ws));
    const plain = path.join(ws, 'scripts/plain.task.ts');
    const out = first.outputs.get(plain)!;
    fs.rmSync(plain);
    edit(path.join(ws, 'lib/format.ts'), fs.readFileSync(path.join(ws, 'lib/format.ts'), 'utf8') + '\n');
    await compiler.compile(good(ws).filter((f) => f !== plain));
    assert.strictEqual(fs.existsSync(out), false);
    const manifest = JSON.parse(fs.readFileSync(path.join(compiler.cacheDir, 'manifest.json'), 'utf8'));
    assert.deepStrictEqual(Object.keys(manifest.entries).sort(), good(ws).filter((f) => f !== plain).sort());
  });

  it('reports a syntax error at file:line:col and still compiles the other files', async () => {
    const { ws, compiler } = workspace();
    const bad = path.join(ws, 'broken/syntax-error.task.ts');
    const r = await compiler.compile([...good(ws), bad]);
    assert.strictEqual(r.outputs.size, 3);
    assert.deepStrictEqual(r.diagnostics, [{
      file: bad, line: 6, column: 18, endLine: 6, endColumn: 19, severity: 'error', message: 'Unexpected ")"', code: 'compile.error',
    }]);
    assert.deepStrictEqual(r.failed.get(bad), r.diagnostics);
  });

  it('names a missing package with the install command of the workspace\'s package manager', async () => {
    const { ws, compiler } = workspace();
    const bad = path.join(ws, 'broken/missing-package.task.ts');
    let r = await compiler.compile([bad]);
    assert.deepStrictEqual(r.diagnostics, [{
      file: bad, line: 2, column: 26, endLine: 2, endColumn: 46, severity: 'error', code: 'compile.missing-package',
      message: 'Cannot find package "@aws-sdk/client-s3". Install it in the workspace: npm install @aws-sdk/client-s3',
    }]);
    fs.writeFileSync(path.join(ws, 'pnpm-lock.yaml'), '');
    r = await compiler.compile([bad]);
    assert.match(r.diagnostics[0].message, /: pnpm add @aws-sdk\/client-s3$/);
    fs.rmSync(path.join(ws, 'pnpm-lock.yaml'));
    fs.writeFileSync(path.join(ws, 'yarn.lock'), '');
    r = await compiler.compile([bad]);
    assert.match(r.diagnostics[0].message, /: yarn add @aws-sdk\/client-s3$/);
  });

  it('compiles a task once its missing package is installed', async () => {
    const { ws, compiler } = workspace();
    const bad = path.join(ws, 'broken/missing-package.task.ts');
    assert.strictEqual((await compiler.compile([bad])).failed.size, 1);
    const pkg = path.join(ws, 'node_modules/@aws-sdk/client-s3');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"@aws-sdk/client-s3","main":"index.js"}');
    fs.writeFileSync(path.join(pkg, 'index.js'), 'exports.S3Client = class {};');
    const r = await compiler.compile([bad]);
    assert.deepStrictEqual([r.failed.size, r.outputs.size, r.diagnostics.length], [0, 1, 0]);
  });

  it('blames an error in a shared helper on the tasks that import it, once, and compiles the rest', async () => {
    const { ws, compiler } = workspace();
    const a = path.join(ws, 'scripts/uses-helper-a.task.ts');
    const b = path.join(ws, 'scripts/uses-helper-b.task.ts');
    for (const f of [a, b]) fs.writeFileSync(f, 'import { label } from "../lib/format";\nexport default { run: () => label("x") };\n');
    const helper = path.join(ws, 'lib/format.ts');
    fs.writeFileSync(helper, 'export function label(text: string): string {\n  return text +;\n}\n');
    const r = await compiler.compile([...good(ws), a, b]);
    assert.deepStrictEqual([...r.failed.keys()].sort(), [a, b, path.join(ws, 'scripts/fetch-data.task.ts')].sort());
    assert.strictEqual(r.diagnostics.length, 1);
    assert.deepStrictEqual([r.diagnostics[0].file, r.diagnostics[0].line, r.diagnostics[0].column], [helper, 2, 16]);
    assert.deepStrictEqual([...r.outputs.keys()].sort(), [path.join(ws, 'scripts/nightly-backup.task.ts'), path.join(ws, 'scripts/plain.task.ts')]);
  });

  it('fails a task that imports a broken task file along with it', async () => {
    const { ws, compiler } = workspace();
    const bad = path.join(ws, 'broken/syntax-error.task.ts');
    const importer = path.join(ws, 'scripts/imports-task.task.ts');
    fs.writeFileSync(importer, 'import other from "../broken/syntax-error.task";\nexport default { run: () => other };\n');
    const r = await compiler.compile([bad, importer, ...good(ws)]);
    assert.deepStrictEqual([...r.failed.keys()].sort(), [bad, importer].sort());
    assert.strictEqual(r.diagnostics.length, 1);
    assert.strictEqual(r.outputs.size, 3);
  });

  it('keeps __dirname columns right on line 1 and honours a file\'s own __dirname', async () => {
    const { ws, compiler } = workspace();
    const f = path.join(ws, 'scripts/dirname.task.ts');
    fs.writeFileSync(f, 'const x = __dirname +;\nexport default { run: () => x };\n');
    let r = await compiler.compile([f]);
    assert.deepStrictEqual([r.diagnostics[0].line, r.diagnostics[0].column, r.diagnostics[0].message], [1, 22, 'Unexpected ";"']);
    fs.writeFileSync(f, [
      'import * as path from "node:path";',
      'import { fileURLToPath } from "node:url";',
      'const __dirname = path.dirname(fileURLToPath(import.meta.url));',
      'export default { run: () => ({ own: __dirname, meta: import.meta.url }) };',
    ].join('\n'));
    r = await compiler.compile([f]);
    assert.deepStrictEqual(r.diagnostics, []);
    assert.deepStrictEqual(runCompiled(r.outputs.get(f)!, ws), { own: path.join(ws, 'scripts'), meta: `file://${f}` });
  });

  it('bundles TypeScript a package points at (a linked workspace package) instead of requiring it', async () => {
    const { ws, compiler } = workspace();
    const pkg = path.join(ws, 'packages/shared');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"@acme/shared","main":"index.ts"}');
    fs.writeFileSync(path.join(pkg, 'index.ts'), 'export const shared: number = 5;\n');
    fs.mkdirSync(path.join(ws, 'node_modules/@acme'), { recursive: true });
    fs.symlinkSync(pkg, path.join(ws, 'node_modules/@acme/shared'));
    const f = path.join(ws, 'scripts/linked.task.ts');
    fs.writeFileSync(f, 'import { shared } from "@acme/shared";\nexport default { run: () => shared };\n');
    const r = await compiler.compile([f]);
    assert.deepStrictEqual(r.diagnostics, []);
    assert.strictEqual(runCompiled(r.outputs.get(f)!, ws), 5);
  });

  it('compiles every fixture task file it discovers, failing only the broken ones', async () => {
    const { ws, compiler } = workspace();
    const r = await compiler.compile(await discoverTaskFiles(ws));
    const names = (files: Iterable<string>) => [...files].map((f) => path.relative(ws, f)).sort();
    assert.deepStrictEqual(names(r.failed.keys()), ['broken/missing-package.task.ts', 'broken/syntax-error.task.ts']);
    assert.strictEqual(r.outputs.size, 7);
  });

  it('keeps its cache under the temp folder by default, one folder per workspace', () => {
    assert.ok(defaultCacheDir('/a/ws').startsWith(path.join(os.tmpdir(), 'task-scheduler-cache')));
    assert.notStrictEqual(defaultCacheDir('/a/ws'), defaultCacheDir('/b/ws'));
  });

  it('queues overlapping calls instead of building the same files twice at once', async () => {
    const { ws, compiler } = workspace();
    const [a, b] = await Promise.all([compiler.compile(good(ws)), compiler.compile(good(ws))]);
    assert.deepStrictEqual([a.stats.built, b.stats.built, b.stats.cached], [3, 0, 3]);
  });
});
