// The esbuild plugin behind the task compiler. It
//  - maps `task-scheduler` to our API module (bundled in: a few lines);
//  - leaves workspace packages to be `require`d at run time from where Node finds them for the task
//    file (their absolute path), so native addons, `__dirname`-relative assets and big libraries work
//    as they do unbundled; only code Node cannot load (TypeScript sources of linked packages,
//    ESM-only packages) is bundled;
//  - reports a missing package by name with the install command;
//  - reads every bundled file itself, so the cache records the hash of exactly what was compiled, and
//    adds the location shim (see locationShim.ts);
//  - records who imports what, so a failed batch can tell which tasks an error belongs to.
import type { Loader, OnResolveArgs, OnResolveResult, Plugin, PluginBuild } from 'esbuild';
import * as fs from 'fs';
import { isBuiltin } from 'module';
import * as path from 'path';
import { hashContent, recordOf, type FileRecord } from './compileCache';
import { locationShim } from './locationShim';
import { installCommand, packageInstalled, packageName } from './packageManager';

/** What one build saw, kept for the cache and for attributing errors. */
export interface BuildTrace {
  /** Every file read, with the record of what was read. */
  loaded: Map<string, FileRecord>;
  /** Per file with a location shim: where it went, to correct reported columns. */
  shims: Map<string, { line: number; length: number }>;
  /** importer → the paths it imports, unresolved (`resolveDir` + specifier), for error attribution. */
  imports: Map<string, string[]>;
}

export function newTrace(): BuildTrace {
  return { loaded: new Map(), shims: new Map(), imports: new Map() };
}

/** Marks our own `build.resolve` calls so the plugin does not answer itself. */
const SELF = Symbol('task-scheduler-resolve');

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx',
  '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.json': 'json',
};

/** Files Node can `require` from a package as they are. */
const RUNTIME_LOADABLE = /\.(c?js|json|node)$/;

/**
 * `recordImports` costs a callback per relative import (a third of a cold build's callbacks), so it
 * is only asked for when a failed batch has an error in a file that is not a task file itself.
 */
export function compilePlugin(apiModulePath: string, trace: BuildTrace, recordImports: boolean): Plugin {
  return {
    name: 'task-scheduler',
    setup(build: PluginBuild) {
      // Bare specifiers only (and relative ones when recording): esbuild resolves the rest itself.
      build.onResolve({ filter: recordImports ? /.*/ : /^[^./]/, namespace: 'file' }, (args) => resolve(build, args));
      build.onLoad({ filter: /\.[cm]?[jt]sx?$|\.json$/, namespace: 'file' }, (args) => {
        // Synchronous on purpose: small files, and the callbacks queue on this one thread anyway.
        const stat = fs.statSync(args.path);
        const data = fs.readFileSync(args.path);
        trace.loaded.set(args.path, recordOf(stat, hashContent(data)));
        const loader = LOADERS[path.extname(args.path)];
        if (loader === 'json') return { contents: data, loader };
        let source = data.toString('utf8');
        const shim = locationShim(source, args.path);
        if (shim) {
          // A hashbang must stay first: the shim then opens line 2.
          const at = source.startsWith('#!') ? source.indexOf('\n') + 1 : 0;
          if (at >= 0) {
            source = source.slice(0, at) + shim + source.slice(at);
            trace.shims.set(args.path, { line: at ? 2 : 1, length: shim.length });
          }
        }
        return { contents: source, loader };
      });
    },
  };

  function noteImport(importer: string, target: string): void {
    if (!recordImports || !importer) return;
    const list = trace.imports.get(importer) ?? [];
    list.push(target);
    trace.imports.set(importer, list);
  }

  /** A package file compiled into the output (its errors are then blamed through the import graph). */
  function bundled(args: OnResolveArgs, file: string): OnResolveResult {
    noteImport(args.importer, file);
    return { path: file };
  }

  async function resolve(build: PluginBuild, args: OnResolveArgs): Promise<OnResolveResult | undefined> {
    const spec = args.path;
    if (spec === 'task-scheduler') return { path: apiModulePath };
    if (args.pluginData === SELF) return undefined;
    if (spec.startsWith('.') || path.isAbsolute(spec)) {
      noteImport(args.importer, path.resolve(args.resolveDir, spec));
      return undefined;
    }
    if (isBuiltin(spec)) return { path: spec, external: true };
    const asRequire = await build.resolve(spec, {
      kind: 'require-call', resolveDir: args.resolveDir, importer: args.importer, pluginData: SELF,
    });
    if (!asRequire.errors.length) {
      if (asRequire.external) return { path: spec, external: true };
      const inPackage = asRequire.path.split(path.sep).includes('node_modules');
      if (inPackage && RUNTIME_LOADABLE.test(asRequire.path)) return { path: asRequire.path, external: true };
      return bundled(args, asRequire.path);
    }
    // ESM-only packages resolve for `import` but not `require`: bundle them.
    const asImport = await build.resolve(spec, {
      kind: 'import-statement', resolveDir: args.resolveDir, importer: args.importer, pluginData: SELF,
    });
    if (!asImport.errors.length) return bundled(args, asImport.path);
    const pkg = packageName(spec);
    if (packageInstalled(pkg, args.resolveDir)) return { errors: asRequire.errors };
    const shown = spec === pkg ? `"${pkg}"` : `"${pkg}" (imported as "${spec}")`;
    return {
      errors: [{
        text: `Cannot find package ${shown}. Install it in the workspace: ${installCommand(pkg, args.resolveDir)}`,
        detail: { code: 'compile.missing-package', package: pkg },
      }],
    };
  }
}
