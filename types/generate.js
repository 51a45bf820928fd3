#!/usr/bin/env node
// Writes types/task-scheduler/index.d.ts — the declarations the editor uses for `import … from
// "task-scheduler"` in task files — from src/api/index.ts, so the two cannot drift: a unit test
// regenerates it in memory and fails when the committed file is stale. Run: `node types/generate.js`.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const SOURCE = path.join(ROOT, 'src/api/index.ts');
const TARGET = path.join(__dirname, 'task-scheduler/index.d.ts');
const HEADER = '// Generated from src/api/index.ts by types/generate.js — do not edit.\n';

/** The declaration text for src/api/index.ts (TypeScript is a dev dependency: only used here and in tests). */
function generateTypes() {
  const ts = require('typescript');
  let text;
  const program = ts.createProgram([SOURCE], {
    declaration: true, emitDeclarationOnly: true, strict: true, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS, types: [], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], skipDefaultLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) {
    throw new Error(ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n',
    }));
  }
  program.emit(program.getSourceFile(SOURCE), (_name, data) => { text = data; }, undefined, true);
  return HEADER + text;
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(TARGET), { recursive: true });
  fs.writeFileSync(TARGET, generateTypes());
  console.log(`wrote ${path.relative(ROOT, TARGET)}`);
}

module.exports = { generateTypes, TARGET };
