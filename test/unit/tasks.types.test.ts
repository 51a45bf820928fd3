// IntelliSense for task files with nothing installed from npm: the shipped declarations match the
// API, and once ensureTypes() has run, TypeScript — the compiler under several setups, and tsserver
// as VS Code runs it for a folder without a tsconfig — resolves `task-scheduler` to them.
import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { TASK_FILE_CODE_KEYS, TASK_OPTION_KEYS } from '../../src/core/config/keys';
import { BACKOFFS, CATCH_UP_POLICIES, DEPENDENCY_OUTCOMES, OVERLAP_POLICIES, PRIORITIES, SCHEDULE_WARNINGS, TRIGGERS } from '../../src/core/model';
import { ensureTypes } from '../../src/core/tasks/ensureTypes';

const ROOT = path.join(__dirname, '../..');
const TYPES_DIR = path.join(ROOT, 'types/task-scheduler');
const FIXTURE = path.join(__dirname, '../fixtures/tasks/ws');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateTypes } = require('../../types/generate.js') as { generateTypes(): string };

/** A workspace with two good typed task files and one with a type error; no node_modules. */
function workspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-types-'));
  fs.mkdirSync(path.join(ws, 'scripts'));
  for (const f of ['nightly-backup', 'plain']) fs.copyFileSync(path.join(FIXTURE, `scripts/${f}.task.ts`), path.join(ws, `scripts/${f}.task.ts`));
  fs.writeFileSync(path.join(ws, 'scripts/typo.task.ts'), [
    'import { defineTask } from "task-scheduler";',
    'export default defineTask({',
    '  overlap: "sometimes",',
    '  run(ctx) { ctx.lgo("x"); },',
    '});',
  ].join('\n'));
  return ws;
}

/** TypeScript's own lib files, parsed once for all the programs below (parsing them is most of the time). */
const libCache = new Map<string, ts.SourceFile | undefined>();

/** `file(line,col): TSnnnn` for each diagnostic of a program over `files` with `options`, run from `cwd`. */
function check(cwd: string, files: string[], options: ts.CompilerOptions): string[] {
  // The default libraries are TypeScript's, checked by its own tests; the shipped .d.ts is still checked.
  const all = { noEmit: true, skipDefaultLibCheck: true, ...options };
  const host = ts.createCompilerHost(all);
  // As `tsc` started in the workspace: default type roots are its node_modules/@types, not this repo's.
  host.getCurrentDirectory = () => cwd;
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => {
    if (!name.startsWith(path.dirname(ts.getDefaultLibFilePath(all)))) return read(name, version, ...rest);
    const key = `${name}:${JSON.stringify(version)}`;
    if (!libCache.has(key)) libCache.set(key, read(name, version, ...rest));
    return libCache.get(key);
  };
  const program = ts.createProgram(files, all, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${d.file ? path.basename(d.file.fileName) : '-'}(${where ? `${where.line + 1},${where.character + 1}` : ''}): TS${d.code}`;
  });
}

/** The string literals of a type alias in the shipped declarations. */
function unionOf(name: string): string[] {
  const source = ts.createSourceFile('index.d.ts', fs.readFileSync(path.join(TYPES_DIR, 'index.d.ts'), 'utf8'), ts.ScriptTarget.ES2022);
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
  assert.ok(alias, name);
  const type = alias.type;
  const members = ts.isUnionTypeNode(type) ? type.types : [type];
  return members.map((m) => (ts.isLiteralTypeNode(m) && ts.isStringLiteral(m.literal) ? m.literal.text : '?'));
}

function membersOf(name: string): string[] {
  const source = ts.createSourceFile('index.d.ts', fs.readFileSync(path.join(TYPES_DIR, 'index.d.ts'), 'utf8'), ts.ScriptTarget.ES2022);
  const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  assert.ok(decl, name);
  return decl.members.map((m) => (m.name && ts.isIdentifier(m.name) ? m.name.text : '?'));
}

describe('tasks: types for task files', function () {
  // The TypeScript compiler and tsserver take seconds each on a busy two-core machine.
  this.timeout(120_000);

  it('ships declarations generated from src/api (run `node types/generate.js` after changing it)', () => {
    assert.strictEqual(fs.readFileSync(path.join(TYPES_DIR, 'index.d.ts'), 'utf8'), generateTypes());
  });

  it('spells every option and value as the engine does', () => {
    assert.deepStrictEqual(unionOf('Priority'), [...PRIORITIES]);
    assert.deepStrictEqual(unionOf('OverlapPolicy'), [...OVERLAP_POLICIES]);
    assert.deepStrictEqual(unionOf('CatchUpPolicy'), [...CATCH_UP_POLICIES]);
    assert.deepStrictEqual(unionOf('Backoff'), [...BACKOFFS]);
    assert.deepStrictEqual(unionOf('DependencyOutcome'), [...DEPENDENCY_OUTCOMES]);
    assert.deepStrictEqual(unionOf('Trigger'), [...TRIGGERS]);
    assert.deepStrictEqual(unionOf('ScheduleWarningName'), [...SCHEDULE_WARNINGS]);
    assert.deepStrictEqual(membersOf('TaskDefinition').sort(), [...TASK_OPTION_KEYS, ...TASK_FILE_CODE_KEYS].sort());
    assert.deepStrictEqual(membersOf('RetryOptions'), ['max', 'backoff', 'delay', 'maxDelay', 'jitter']);
  });

  it('documents every option with JSDoc', () => {
    const text = fs.readFileSync(path.join(TYPES_DIR, 'index.d.ts'), 'utf8');
    for (const key of [...TASK_OPTION_KEYS, ...TASK_FILE_CODE_KEYS]) {
      assert.match(text, new RegExp(`\\*/\\n    ${key}\\??[(:]`), `${key} has no JSDoc right above it`);
    }
  });

  it('writes a types-only package into the workspace, once, and never over someone else\'s', () => {
    const ws = workspace();
    const first = ensureTypes(ws, TYPES_DIR);
    assert.strictEqual(first.dir, path.join(ws, 'node_modules/@types/task-scheduler'));
    assert.deepStrictEqual(first.written.map((f) => path.basename(f)).sort(), ['.gitignore', 'index.d.ts', 'package.json']);
    assert.deepStrictEqual(ensureTypes(ws, TYPES_DIR), { dir: first.dir, written: [] });
    fs.writeFileSync(path.join(first.dir, 'index.d.ts'), '// stale');
    assert.deepStrictEqual(ensureTypes(ws, TYPES_DIR).written, [path.join(first.dir, 'index.d.ts')]);

    // The shipped types/ folder names them as well as types/task-scheduler/ does.
    const viaParent = workspace();
    assert.strictEqual(ensureTypes(viaParent, path.dirname(TYPES_DIR)).written.length, 3);
    assert.match(ensureTypes(workspace(), os.tmpdir()).skipped ?? '', /no task-scheduler declarations/);

    const other = workspace();
    const foreign = path.join(other, 'node_modules/@types/task-scheduler');
    fs.mkdirSync(foreign, { recursive: true });
    fs.writeFileSync(path.join(foreign, 'package.json'), '{"name":"@types/task-scheduler","version":"9.0.0"}');
    const r = ensureTypes(other, TYPES_DIR);
    assert.deepStrictEqual(r.written, []);
    assert.match(r.skipped ?? '', /not written by Task Scheduler/);
    assert.deepStrictEqual(fs.readdirSync(foreign), ['package.json']);
  });

  it('keeps the written package out of git even where node_modules is not ignored', () => {
    const ws = workspace();
    execFileSync('git', ['init', '-q'], { cwd: ws });
    ensureTypes(ws, TYPES_DIR);
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ws, encoding: 'utf8' });
    assert.deepStrictEqual(status.trim().split('\n').sort(), ['?? scripts/nightly-backup.task.ts', '?? scripts/plain.task.ts', '?? scripts/typo.task.ts']);
  });

  describe('tsc resolves "task-scheduler" once ensureTypes ran, in every setup', () => {
    // One target and lib for the configured setups, so they share parsed lib files.
    const lib = { target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] };
    const setups: Array<[string, ts.CompilerOptions]> = [
      ['no tsconfig (tsc file.ts)', {}],
      ['strict, node16', { ...lib, strict: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }],
      ['strict, bundler', { ...lib, strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }],
      ['types: [] and its own typeRoots', { ...lib, strict: true, module: ts.ModuleKind.CommonJS, types: [], typeRoots: ['./typings'] }],
      ['classic resolution (an ES module target with no module setting)', { ...lib, strict: true }],
    ];
    for (const [name, options] of setups) {
      it(name, () => {
        const ws = workspace();
        const files = ['nightly-backup', 'plain', 'typo'].map((f) => path.join(ws, `scripts/${f}.task.ts`));
        // Without the types the import is unresolved: the check below can fail.
        const before = check(ws, files.slice(0, 1), options);
        // TS2307 "Cannot find module", or TS2792, its wording under classic resolution.
        assert.ok(before.some((d) => /^nightly-backup\.task\.ts\(2,28\): TS(2307|2792)$/.test(d)), before.join());
        ensureTypes(ws, TYPES_DIR);
        assert.deepStrictEqual(check(ws, files, options), [
          'typo.task.ts(3,3): TS2322', // "sometimes" is not an OverlapPolicy
          'typo.task.ts(4,18): TS2339', // ctx.lgo does not exist
        ]);
      });
    }

    it('with a user tsconfig.json that includes the task files', () => {
      const ws = workspace();
      ensureTypes(ws, TYPES_DIR);
      fs.writeFileSync(path.join(ws, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, types: [] }, include: ['scripts/nightly-backup.task.ts'] }));
      const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ws, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
      assert.ok(parsed);
      assert.deepStrictEqual(check(ws, parsed.fileNames, parsed.options), []);
    });
  });

  it('type-checks examples/ with its tsconfig once ensureTypes ran (tsc --noEmit -p examples)', () => {
    const ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ts-examples-')), 'examples');
    fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true, filter: (f) => !f.includes(`${path.sep}node_modules`) });
    // Like a user's workspace that has @types/node (some examples use fs and path).
    fs.mkdirSync(path.join(ws, 'node_modules/@types'), { recursive: true });
    fs.symlinkSync(path.dirname(require.resolve('@types/node/package.json')), path.join(ws, 'node_modules/@types/node'));
    const project = () => {
      const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ws, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
      assert.ok(parsed && parsed.fileNames.some((f) => f.endsWith('.task.ts')));
      return check(ws, parsed.fileNames, parsed.options);
    };
    assert.ok(project().some((d) => d.endsWith('TS2307')), 'without the types, "task-scheduler" is unresolved');
    ensureTypes(ws, TYPES_DIR);
    assert.deepStrictEqual(project(), []);
  });

  it('tsserver, as VS Code runs it for a folder without tsconfig, types ctx and reports mistakes', async () => {
    const ws = workspace();
    ensureTypes(ws, TYPES_DIR);
    const nightly = path.join(ws, 'scripts/nightly-backup.task.ts');
    const typo = path.join(ws, 'scripts/typo.task.ts');
    const answers = await tsserver(ws, [
      ['open', { file: nightly, projectRootPath: ws }],
      ['open', { file: typo, projectRootPath: ws }],
      ['semanticDiagnosticsSync', { file: nightly }],
      ['semanticDiagnosticsSync', { file: typo }],
      // `ctx` of `async run(ctx)` on line 21, and `keep` of `ctx.params.keep` on line 22.
      ['quickinfo', { file: nightly, line: 21, offset: 13 }],
      ['quickinfo', { file: nightly, line: 22, offset: 40 }],
      ['completionInfo', { file: nightly, line: 22, offset: 9 }],
    ]);
    const [diagNightly, diagTypo, ctxInfo, keepInfo, completions] = answers as [
      unknown[], Array<{ text: string }>, { displayString: string }, { displayString: string }, { entries: Array<{ name: string }> },
    ];
    assert.deepStrictEqual(diagNightly, []);
    assert.deepStrictEqual(diagTypo.map((d) => d.text.split('\n')[0]), [
      'Type \'"sometimes"\' is not assignable to type \'OverlapPolicy\'.',
      'Property \'lgo\' does not exist on type \'TaskContext<Record<string, unknown>>\'.',
    ]);
    assert.strictEqual(ctxInfo.displayString, '(parameter) ctx: TaskContext<{\n    keep: number;\n}>');
    assert.strictEqual(keepInfo.displayString, '(property) keep: number');
    const names = completions.entries.map((e) => e.name);
    for (const n of ['log', 'warn', 'error', 'signal', 'params', 'attempt', 'trigger', 'scheduledFor', 'secrets', 'workspaceFolder', 'taskId', 'env', 'enqueue']) {
      assert.ok(names.includes(n), `ctx.${n} is offered`);
    }
  });
});

/** Sends requests to a fresh tsserver (with no type acquisition: nothing from npm) and returns each answer's body. */
function tsserver(cwd: string, requests: Array<[string, object]>): Promise<unknown[]> {
  const server = spawn(process.execPath, [require.resolve('typescript/lib/tsserver.js'), '--disableAutomaticTypingAcquisition'], { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    const answers = new Map<number, unknown>();
    const expected = requests.filter(([cmd]) => cmd !== 'open').length;
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => { server.kill(); reject(new Error('tsserver did not answer')); }, 50_000);
    server.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const header = buffer.indexOf('\r\n\r\n');
        if (header < 0) return;
        const length = Number(/Content-Length: (\d+)/.exec(buffer.subarray(0, header).toString())?.[1]);
        if (buffer.length < header + 4 + length) return;
        const message = JSON.parse(buffer.subarray(header + 4, header + 4 + length).toString('utf8'));
        buffer = buffer.subarray(header + 4 + length);
        if (message.type === 'response' && message.command !== 'open') answers.set(message.request_seq, message.body ?? message.message);
        if (answers.size === expected) {
          clearTimeout(timer);
          server.kill();
          resolve([...answers.keys()].sort((a, b) => a - b).map((k) => answers.get(k)));
          return;
        }
      }
    });
    requests.forEach(([command, args], i) => server.stdin.write(JSON.stringify({ seq: i + 1, type: 'request', command, arguments: args }) + '\n'));
  });
}
