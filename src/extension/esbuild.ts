// Finds the esbuild that compiles task files. It cannot be bundled (its JS API starts a native binary
// found beside its package); the platform VSIXes ship it (scripts/package.js), the universal VSIX
// cannot (which binary?), so it is looked for at run time, in this order:
//   (a) the workspace folder's node_modules/esbuild (many TypeScript projects have it),
//   (b) the extension's own node_modules/esbuild (a platform VSIX, used with no question; a development checkout),
//   (c) <globalStorage>/esbuild/node_modules/esbuild, installed with npm on first need — after asking,
//       or straight away when `taskScheduler.esbuild.autoInstall` is on.
// Until one is found, builds fail with a message that says so (each task file is listed invalid with
// it, in the tree and in Problems) and the install is offered.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type * as vscode from 'vscode';
import type { EsbuildApi } from '../core/tasks/compile';

export type EsbuildSource = 'workspace' | 'extension' | 'global';

export interface FoundEsbuild {
  source: EsbuildSource;
  /** The package folder (…/node_modules/esbuild). */
  dir: string;
  version: string;
  api: EsbuildApi;
}

/** The diagnostic code of "esbuild is not available" (diagnostics.ts offers the install on it). */
export const ESBUILD_MISSING_CODE = 'compile.esbuild-missing';

export const ESBUILD_MISSING_MESSAGE =
  'Task Scheduler needs esbuild (≈10 MB) to compile task files, and none was found in the workspace or installed yet: run "Task Scheduler: Install esbuild"';

/**
 * A workspace's own esbuild older than this is passed over: the compiler uses entry points as
 * { in, out } objects and plugin `build.resolve`, which older releases lack.
 */
const MIN_WORKSPACE_VERSION: [number, number] = [0, 18];

/** npm downloads the package and its platform binary; on a slow line that takes a while. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

export interface EsbuildResolverOptions {
  extensionPath: string;
  /** The extension's global storage folder; (c) installs into `<it>/esbuild`. */
  globalStorage: string;
  /** The exact version to install (our package.json's, without its range). */
  version: string;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
  /** Called the first time a build finds no esbuild: ask the user or install (esbuild.ts does neither by itself). */
  onMissing?: () => void;
  /** Called when a build finds one again after onMissing (installed, or `npm install` in the workspace). */
  onFound?: () => void;
  /** Runs npm and resolves with its warnings (stderr); a seam for tests. */
  npm?: (args: string[], cwd: string) => Promise<string | void>;
}

export class EsbuildResolver {
  private readonly loaded = new Map<string, FoundEsbuild>();
  private installing?: Promise<FoundEsbuild>;
  private missingReported = false;

  constructor(private readonly options: EsbuildResolverOptions) {}

  /** Where (c) lives: `<globalStorage>/esbuild`. */
  get installPrefix(): string {
    return path.join(this.options.globalStorage, 'esbuild');
  }

  /** The first usable esbuild for `folder`, in the order above; undefined when there is none. */
  find(folder: string): FoundEsbuild | undefined {
    const candidates: Array<[EsbuildSource, string]> = [
      ['workspace', path.join(folder, 'node_modules', 'esbuild')],
      ['extension', path.join(this.options.extensionPath, 'node_modules', 'esbuild')],
      ['global', path.join(this.installPrefix, 'node_modules', 'esbuild')],
    ];
    for (const [source, dir] of candidates) {
      const found = this.load(source, dir);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * An EsbuildApi for the compiler of `folder` that looks esbuild up when a build starts, so one that
   * appears later (installed, or `npm install` in the workspace) is used by the next reload.
   */
  forFolder(folder: string): EsbuildApi {
    const resolver = this;
    return {
      get version() { return resolver.find(folder)?.version ?? 'unavailable'; },
      build: (async (options: Parameters<EsbuildApi['build']>[0]) => {
        const found = resolver.find(folder);
        if (found) {
          resolver.reportFound();
          return found.api.build(options);
        }
        resolver.reportMissing();
        // Shaped as esbuild's BuildFailure, so the compiler lists every task file with this message.
        throw Object.assign(new Error(ESBUILD_MISSING_MESSAGE), {
          errors: [{ id: '', pluginName: '', text: ESBUILD_MISSING_MESSAGE, location: null, notes: [], detail: { code: ESBUILD_MISSING_CODE } }],
          warnings: [],
        });
      }) as EsbuildApi['build'],
    };
  }

  /** Whether a build has found no esbuild since the last install. */
  get missing(): boolean {
    return this.missingReported;
  }

  /** `npm install esbuild@<version> --prefix <globalStorage>/esbuild`; concurrent callers share one install. */
  install(): Promise<FoundEsbuild> {
    this.installing ??= this.runInstall().finally(() => { this.installing = undefined; });
    return this.installing;
  }

  private async runInstall(): Promise<FoundEsbuild> {
    const prefix = this.installPrefix;
    fs.mkdirSync(prefix, { recursive: true });
    writeInstallManifest(prefix, this.options.version);
    const args = ['install', `esbuild@${this.options.version}`, '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--loglevel=warn'];
    this.options.log.info(`esbuild: npm ${args.join(' ')}`);
    const started = Date.now();
    const warnings = await (this.options.npm ?? runNpm)(args, prefix);
    for (const line of skippedScripts(warnings ?? '')) this.options.log.warn(`esbuild: npm skipped an install script: ${line}`);
    const dir = path.join(prefix, 'node_modules', 'esbuild');
    this.loaded.delete(dir);
    const found = this.load('global', dir);
    if (!found) throw new Error(`npm finished but ${dir} holds no usable esbuild`);
    this.options.log.info(`esbuild: ${found.version} installed in ${prefix} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    this.reportFound();
    return found;
  }

  private reportFound(): void {
    if (!this.missingReported) return;
    this.missingReported = false;
    this.options.onFound?.();
  }

  private reportMissing(): void {
    if (this.missingReported) return;
    this.missingReported = true;
    this.options.log.warn('esbuild: not found in the workspace, the extension or its global storage');
    this.options.onMissing?.();
  }

  private load(source: EsbuildSource, dir: string): FoundEsbuild | undefined {
    const cached = this.loaded.get(dir);
    if (cached) return cached;
    const manifest = readJson(path.join(dir, 'package.json'));
    const version = typeof manifest?.version === 'string' ? manifest.version : undefined;
    if (!version) return undefined;
    if (source === 'workspace' && olderThan(version, MIN_WORKSPACE_VERSION)) {
      this.options.log.info(`esbuild: the workspace's ${version} in ${dir} is older than ${MIN_WORKSPACE_VERSION.join('.')}; not used`);
      return undefined;
    }
    let api: EsbuildApi;
    try {
      // A path known only at run time: the bundle keeps this a real require().
      api = require(dir) as EsbuildApi;
    } catch (e) {
      this.options.log.warn(`esbuild: ${dir} could not be loaded: ${(e as Error).message}`);
      return undefined;
    }
    if (typeof api?.build !== 'function') return undefined;
    const found: FoundEsbuild = { source, dir, version: api.version ?? version, api };
    this.loaded.set(dir, found);
    this.options.log.info(`esbuild: using ${found.version} from ${dir} (${source})`);
    return found;
  }
}

/** `^0.25.12` → `0.25.12`: the version our own builds are made and tested with. */
export function exactVersion(range: string): string {
  const m = /(\d+\.\d+\.\d+(?:-[\w.]+)?)/.exec(range);
  if (!m) throw new Error(`no version in "${range}"`);
  return m[1];
}

function olderThan(version: string, [major, minor]: [number, number]): boolean {
  const [a, b] = version.split('.').map((n) => parseInt(n, 10));
  return a < major || (a === major && b < minor);
}

function readJson(file: string): Record<string, unknown> | undefined {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>; } catch { return undefined; }
}

/**
 * The install folder's package.json. npm 11.19 runs a dependency's install scripts only when the
 * installing package.json's allowScripts approves it; esbuild's postinstall checks its platform binary
 * and links it in place of a JS shim, so it is approved, pinned to the version we install.
 */
export function writeInstallManifest(prefix: string, version: string): void {
  const manifest = { name: 'task-scheduler-esbuild', private: true, allowScripts: { [`esbuild@${version}`]: true } };
  fs.writeFileSync(path.join(prefix, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The `name@version (script)` entries of npm's "install scripts not yet covered by allowScripts" warning. */
export function skippedScripts(npmOutput: string): string[] {
  const at = npmOutput.indexOf('not yet covered by allowScripts');
  if (at < 0) return [];
  return npmOutput.slice(at).split('\n').slice(1)
    .map((l) => /^npm warn install-scripts\s+(\S+@\S+ \(.*\))\s*$/.exec(l)?.[1]).filter((x): x is string => !!x);
}

/** Runs npm; resolves with what it wrote to stderr (its warnings). */
function runNpm(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // npm is a .cmd script on Windows, which execFile runs only through a shell.
    execFile('npm', args, { cwd, timeout: INSTALL_TIMEOUT_MS, shell: process.platform === 'win32', env: { ...process.env, npm_config_yes: 'true' } },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`npm ${args.slice(0, 2).join(' ')} failed: ${(stderr || error.message).trim().split('\n').slice(-5).join('\n')}`));
        else resolve(stderr);
      });
  });
}
