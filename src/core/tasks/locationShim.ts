// Bundling moves a file's code into the cache folder, so `__dirname`, `__filename` and
// `import.meta.url` would name the cache, not the task's folder. A file that uses them gets their
// real values declared at the very start of its first line (no line moves; columns on line 1 are
// corrected when reporting errors). A file that declares its own `__dirname` (the ESM idiom
// `const __dirname = path.dirname(fileURLToPath(import.meta.url))`) keeps it.
import * as path from 'path';
import { pathToFileURL } from 'url';

/** esbuild `define`: `import.meta.*` read these per-file variables (a CommonJS bundle has no import.meta). */
export const IMPORT_META_DEFINES: Record<string, string> = {
  'import.meta.url': '__taskImportMetaUrl',
  'import.meta.dirname': '__dirname',
  'import.meta.filename': '__filename',
};

/** The declarations to put before `source` (of the file at absolute path `file`); '' when none is needed. */
export function locationShim(source: string, file: string): string {
  const usesMeta = /\bimport\.meta\b/.test(source);
  const decls: string[] = [];
  const want = (name: string): boolean =>
    (usesMeta || new RegExp(`\\b${name}\\b`).test(source)) &&
    !new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b`).test(source);
  if (want('__dirname')) decls.push(`__dirname = ${JSON.stringify(path.dirname(file))}`);
  if (want('__filename')) decls.push(`__filename = ${JSON.stringify(file)}`);
  if (usesMeta) decls.push(`__taskImportMetaUrl = ${JSON.stringify(pathToFileURL(file).href)}`);
  return decls.length ? `var ${decls.join(', ')};` : '';
}
