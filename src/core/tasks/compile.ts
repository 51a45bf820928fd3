// Compiles task files to CommonJS the runner can `require`, in one batched esbuild build, reusing
// every output whose inputs have not changed (see compileCache.ts). A file that fails to compile
// does not stop the others: esbuild fails a batch as a whole, so the failing tasks are found from the
// errors' files and the import graph, set aside, and the rest built again.
import * as crypto from 'crypto';
import type * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from '../model';
import {
  InputChecker, loadManifest, saveManifest, recordOf, hashContent, type EntryRecord, type Manifest,
} from './compileCache';
import { compilePlugin, newTrace, type BuildTrace } from './compilePlugin';
import { toDiagnostic } from './compileDiagnostics';
import { IMPORT_META_DEFINES } from './locationShim';

export interface CompilerOptions {
  /** Absolute path of the workspace folder: imports resolve from it, outputs mirror its layout. */
  workspaceFolder: string;
  /** Where outputs and the manifest live. Default: `os.tmpdir()/task-scheduler-cache/<hash of folder>`. */
  cacheDir?: string;
  /** The module `import … from "task-scheduler"` is bound to (src/api/index.ts, or the shipped dist/api.js). */
  apiModulePath: string;
  /**
   * The esbuild to build with. Default: `require('esbuild')`, loaded on the first build. The extension
   * passes one it found at run time: its native binary cannot be bundled or shipped in the VSIX.
   */
  esbuild?: EsbuildApi;
}

/** The part of esbuild's API the compiler uses: the package itself satisfies it. */
export type EsbuildApi = Pick<typeof esbuild, 'build' | 'version'>;

export interface CompileResult {
  /** Task file → compiled JavaScript, for every file that compiled. */
  outputs: Map<string, string>;
  /** Every error and warning once (an error in a shared helper is listed once, at the helper). */
  diagnostics: Diagnostic[];
  /** Task file → the errors that kept it from compiling (they may lie in a file it imports). */
  failed: Map<string, Diagnostic[]>;
  stats: { built: number; cached: number; failed: number; ms: number };
}

export interface Compiler {
  readonly cacheDir: string;
  /** Compiles the given task files (absolute paths). Calls are queued, never run at once. */
  compile(files: readonly string[]): Promise<CompileResult>;
}

/** Builds of single files when a batch must be picked apart; esbuild runs them in parallel itself. */
const FALLBACK_CONCURRENCY = 8;

export function defaultCacheDir(workspaceFolder: string): string {
  const hash = crypto.createHash('sha256').update(path.resolve(workspaceFolder)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), 'task-scheduler-cache', hash);
}

export function createCompiler(options: CompilerOptions): Compiler {
  const workspaceFolder = path.resolve(options.workspaceFolder);
  const apiModulePath = path.resolve(options.apiModulePath);
  const cacheDir = options.cacheDir ?? defaultCacheDir(workspaceFolder);
  const outDir = path.join(cacheDir, 'out');
  const manifestFile = path.join(cacheDir, 'manifest.json');
  let api = options.esbuild;
  // Loaded on first use, so creating a compiler (or planning a folder without task files) needs no esbuild.
  const esbuildApi = (): EsbuildApi => (api ??= require('esbuild') as EsbuildApi);
  // Any change to these makes every cached output stale.
  const key = (): string => hashContent(JSON.stringify({ esbuild: esbuildApi().version, workspaceFolder, apiModulePath, outDir }));
  let manifest: Manifest | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  function buildOptions(entries: readonly string[], trace: BuildTrace, recordImports: boolean): esbuild.BuildOptions {
    return {
      entryPoints: entries.map((file) => ({ in: file, out: outName(file) })),
      absWorkingDir: workspaceFolder,
      outdir: outDir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Stack traces of a run point into the task file (the runner enables source maps).
      sourcemap: 'inline',
      sourcesContent: false,
      define: IMPORT_META_DEFINES,
      write: true,
      logLevel: 'silent',
      plugins: [compilePlugin(apiModulePath, trace, recordImports)],
    };
  }

  /** The output's path under outDir, without extension: the task's own path, so outputs never collide. */
  function outName(file: string): string {
    let rel = path.relative(workspaceFolder, file);
    // A task file outside the folder (a caller's choice) still gets a place inside the cache.
    if (rel.startsWith('..') || path.isAbsolute(rel)) rel = path.join('_outside', hashContent(file), path.basename(file));
    return rel.replace(/\.[^./\\]+$/, '');
  }

  /** One esbuild build of `entries`; on success their manifest records are returned. */
  async function build(entries: readonly string[], recordImports = false): Promise<
    { ok: true; records: Map<string, EntryRecord>; trace: BuildTrace } |
    { ok: false; errors: esbuild.Message[]; warnings: esbuild.Message[]; trace: BuildTrace }
  > {
    const trace = newTrace();
    let result: esbuild.BuildResult<{ metafile: true }>;
    try {
      result = await esbuildApi().build({ ...buildOptions(entries, trace, recordImports), metafile: true });
    } catch (e) {
      const failure = e as esbuild.BuildFailure;
      if (!Array.isArray(failure?.errors)) throw e;
      return { ok: false, errors: failure.errors, warnings: failure.warnings ?? [], trace };
    }
    const warningsByFile = new Map<string, esbuild.Message[]>();
    for (const w of result.warnings) {
      const file = w.location ? path.resolve(workspaceFolder, w.location.file) : '';
      warningsByFile.set(file, [...(warningsByFile.get(file) ?? []), w]);
    }
    const records = new Map<string, EntryRecord>();
    for (const [out, meta] of Object.entries(result.metafile.outputs)) {
      if (!meta.entryPoint) continue;
      const entry = path.resolve(workspaceFolder, meta.entryPoint);
      const inputs = Object.keys(meta.inputs).map((i) => path.resolve(workspaceFolder, i));
      for (const imp of meta.imports) if (imp.external && path.isAbsolute(imp.path)) inputs.push(imp.path);
      const warnings = inputs.flatMap((i) => warningsByFile.get(i) ?? [])
        .map((w) => toDiagnostic(w, 'warning', workspaceFolder, trace, entry));
      records.set(entry, { out: path.resolve(workspaceFolder, out), inputs, ...(warnings.length ? { warnings } : {}) });
    }
    return { ok: true, records, trace };
  }

  /** Which of `entries` import `file`, directly or through other files, or are it. */
  function dependents(file: string, entries: readonly string[], trace: BuildTrace): string[] {
    const keysOf = (f: string): string[] => {
      const bare = f.replace(/\.[cm]?[jt]sx?$/, '');
      return /[\\/]index$/.test(bare) ? [bare, path.dirname(bare)] : [bare];
    };
    const importersOf = new Map<string, string[]>();
    for (const [importer, targets] of trace.imports) {
      for (const t of targets) {
        const k = t.replace(/\.[cm]?[jt]sx?$/, '');
        importersOf.set(k, [...(importersOf.get(k) ?? []), importer]);
      }
    }
    const seen = new Set([file]);
    const todo = [file];
    while (todo.length) {
      const f = todo.pop()!;
      for (const k of keysOf(f)) {
        for (const importer of importersOf.get(k) ?? []) {
          if (!seen.has(importer)) { seen.add(importer); todo.push(importer); }
        }
      }
    }
    return entries.filter((e) => seen.has(e));
  }

  async function buildIsolated(
    entries: readonly string[], m: Manifest, result: CompileResult, report: (d: Diagnostic) => Diagnostic,
  ): Promise<void> {
    const accept = (records: Map<string, EntryRecord>, trace: BuildTrace): void => {
      for (const [entry, rec] of records) {
        m.entries[entry] = rec;
        result.outputs.set(entry, rec.out);
        for (const w of rec.warnings ?? []) report(w);
        for (const input of rec.inputs) {
          const seen = trace.loaded.get(input);
          if (seen) { m.files[input] = seen; continue; }
          // Not read by the plugin: a package required at run time (stat only), or a file esbuild
          // loaded itself (hashed now).
          const stat = fs.statSync(input, { throwIfNoEntry: false });
          if (!stat) continue;
          const runtime = input.split(path.sep).includes('node_modules');
          m.files[input] = recordOf(stat, runtime ? '' : hashContent(fs.readFileSync(input)));
        }
      }
      result.stats.built += records.size;
    };
    const fail = (entry: string, diagnostics: Diagnostic[]): void => {
      delete m.entries[entry];
      result.failed.set(entry, diagnostics);
    };

    let pending = [...entries];
    let recordImports = false;
    while (pending.length) {
      const attempt = await build(pending, recordImports);
      if (attempt.ok) { accept(attempt.records, attempt.trace); return; }
      const files = attempt.errors.flatMap((e) => (e.location ? [path.resolve(workspaceFolder, e.location.file)] : []));
      if (!recordImports && files.some((f) => !pending.includes(f))) {
        // An error in an imported file: build again, learning who imports what.
        recordImports = true;
        continue;
      }
      // Blame each error on the pending tasks that reach its file.
      const blamed = new Map<string, Diagnostic[]>();
      for (const e of attempt.errors) {
        if (!e.location) continue;
        const file = path.resolve(workspaceFolder, e.location.file);
        for (const entry of dependents(file, pending, attempt.trace)) {
          const d = report(toDiagnostic(e, 'error', workspaceFolder, attempt.trace, entry));
          blamed.set(entry, [...(blamed.get(entry) ?? []), d]);
        }
      }
      if (!blamed.size) break; // errors we cannot place: fall back to one build per file
      for (const [entry, diagnostics] of blamed) fail(entry, diagnostics);
      pending = pending.filter((e) => !blamed.has(e));
    }
    for (let i = 0; i < pending.length; i += FALLBACK_CONCURRENCY) {
      await Promise.all(pending.slice(i, i + FALLBACK_CONCURRENCY).map(async (entry) => {
        const attempt = await build([entry]);
        if (attempt.ok) { accept(attempt.records, attempt.trace); return; }
        fail(entry, attempt.errors.map((e) => report(toDiagnostic(e, 'error', workspaceFolder, attempt.trace, entry))));
      }));
    }
  }

  async function compileNow(files: readonly string[]): Promise<CompileResult> {
    const started = performance.now();
    const m = (manifest ??= loadManifest(manifestFile, key()));
    const result: CompileResult = {
      outputs: new Map(), diagnostics: [], failed: new Map(), stats: { built: 0, cached: 0, failed: 0, ms: 0 },
    };
    const reported = new Set<string>();
    const report = (d: Diagnostic): Diagnostic => {
      const id = `${d.file}:${d.line}:${d.column}:${d.message}`;
      if (!reported.has(id)) { reported.add(id); result.diagnostics.push(d); }
      return d;
    };
    const checker = new InputChecker(m.files);
    const stale: string[] = [];
    for (const file of new Set(files.map((f) => path.resolve(f)))) {
      const rec = m.entries[file];
      const fresh = rec && fs.existsSync(rec.out) && rec.inputs.every((i) => checker.unchanged(i));
      if (!fresh) { stale.push(file); continue; }
      result.outputs.set(file, rec.out);
      result.stats.cached++;
      for (const w of rec.warnings ?? []) report(w);
    }
    if (stale.length) await buildIsolated(stale, m, result, report);
    if (stale.length || checker.dirty) {
      pruneEntries(m, new Set(result.outputs.keys()));
      pruneFiles(m);
      saveManifest(manifestFile, m);
    }
    result.stats.failed = result.failed.size;
    result.stats.ms = performance.now() - started;
    return result;
  }

  return {
    cacheDir,
    compile(files) {
      const next = queue.then(() => compileNow(files));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** Forgets (and deletes the output of) tasks whose file is gone; only those not just compiled are checked. */
function pruneEntries(m: Manifest, current: ReadonlySet<string>): void {
  for (const [file, entry] of Object.entries(m.entries)) {
    if (current.has(file) || fs.existsSync(file)) continue;
    delete m.entries[file];
    fs.rmSync(entry.out, { force: true });
  }
}

/** Drops records of files no output depends on any more. */
function pruneFiles(m: Manifest): void {
  const used = new Set<string>();
  for (const e of Object.values(m.entries)) for (const i of e.inputs) used.add(i);
  for (const f of Object.keys(m.files)) if (!used.has(f)) delete m.files[f];
}
