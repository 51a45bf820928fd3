// Lets plain mocha (and the benchmarks) require TypeScript sources directly: each .ts file is
// transpiled by esbuild on load. Type checking is `tsc --noEmit`, a separate step of `npm test`.
'use strict';
const fs = require('fs');
const { transformSync } = require('esbuild');

require.extensions['.ts'] = function loadTs(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts', format: 'cjs', target: 'node20', sourcefile: filename, sourcemap: 'inline',
  });
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
