// Builds the bundles the extension ships. `--production` minifies and drops source maps;
// `--watch` rebuilds on change. Type checking is a separate step (`npm run typecheck`).
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * One row per bundle: entry → output. Everything is bundled in but `vscode` and esbuild, whose JS API
 * starts its own native binary found relative to its package, so it cannot live inside a bundle.
 */
const ALWAYS_EXTERNAL = ["esbuild"];
const bundles = [
  { entry: 'src/extension/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  // The child-process entry: must never pull in `vscode`.
  { entry: 'src/runner/main.ts', out: 'dist/runner.js' },
  { entry: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { entry: 'src/core/store/worker.ts', out: 'dist/store-worker.js' },
  // The cluster (PostgreSQL) and its driver: required only when a store is configured (clusterChunk.ts).
  // pg's optional native binding is never used.
  { entry: 'src/core/cluster/index.ts', out: 'dist/cluster.js', external: ['pg-native'] },
  // The `task-scheduler` module task files import: bundled into each compiled task at build time.
  { entry: 'src/api/index.ts', out: 'dist/api.js' },
  // The dashboard webview's page script: runs in the browser, not in Node.
  { entry: 'src/extension/dashboard/webview/main.ts', out: 'dist/media/dashboard.js', platform: 'browser' },
  // The Preview Schedules page's script.
  { entry: 'src/extension/preview/webview/main.ts', out: 'dist/media/preview.js', platform: 'browser' },
];

/** Files copied as they are (sql.js loads its WebAssembly from beside the bundle). */
const assets = [
  ['node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm'],
  // The dashboard's icons: the stylesheet and the font it loads from beside it, nothing else of the package.
  ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/media/codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/media/codicon.ttf'],
];

/**
 * `require('./cluster')` in src/core/clusterChunk.ts stays a require of dist/cluster.js beside the bundle:
 * the CLI and the extension do not carry the cluster code (or pg) until a store asks for it.
 */
const lazyCluster = {
  name: 'lazy-cluster',
  setup(build) {
    build.onResolve({ filter: /^\.\/cluster$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'core', 'clusterChunk.ts')) ? { path: './cluster.js', external: true } : undefined);
  },
};

function options(b) {
  return {
    plugins: b.entry === 'src/core/cluster/index.ts' ? [] : [lazyCluster],
    entryPoints: [b.entry],
    outfile: b.out,
    bundle: true,
    platform: b.platform ?? 'node',
    format: b.platform === 'browser' ? 'iife' : 'cjs',
    // code-server 4.100 / VS Code 1.100 webviews run a current Chromium.
    target: b.platform === 'browser' ? 'chrome120' : 'node20',
    external: [...ALWAYS_EXTERNAL, ...(b.external ?? [])],
    banner: b.banner ? { js: b.banner } : undefined,
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  };
}

function copyAssets() {
  for (const [from, to] of assets) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

async function main() {
  const present = bundles.filter((b) => fs.existsSync(b.entry));
  if (watch) {
    for (const b of present) await (await esbuild.context(options(b))).watch();
    copyAssets();
    console.log(`[watch] ${present.length} bundles`);
    return;
  }
  await Promise.all(present.map((b) => esbuild.build(options(b))));
  copyAssets();
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => { console.error(e); process.exit(1); });

module.exports = { bundles };
