// esbuild messages as the project's Diagnostics: absolute file, 1-based line and column in UTF-16
// units (what editors count; esbuild counts bytes), with the location shim taken back out.
import type { Message } from 'esbuild';
import * as path from 'path';
import type { Diagnostic, Severity } from '../model';
import type { BuildTrace } from './compilePlugin';

export function toDiagnostic(
  m: Message, severity: Severity, workspaceFolder: string, trace: BuildTrace, fallbackFile: string,
): Diagnostic {
  const code = (m.detail as { code?: string } | undefined)?.code
    ?? (severity !== 'error' ? 'compile.warning' : /^Could not resolve/.test(m.text) ? 'compile.unresolved' : 'compile.error');
  const loc = m.location;
  if (!loc) return { file: fallbackFile, line: 1, column: 1, severity, message: m.text, code };
  const file = path.resolve(workspaceFolder, loc.file);
  let lineText = loc.lineText;
  let byteColumn = loc.column;
  const shim = trace.shims.get(file);
  if (shim && shim.line === loc.line && lineText.length >= shim.length) {
    lineText = lineText.slice(shim.length);
    byteColumn = Math.max(0, byteColumn - Buffer.byteLength(loc.lineText.slice(0, shim.length)));
  }
  const column = utf16Column(lineText, byteColumn);
  const endColumn = utf16Column(lineText, byteColumn + loc.length);
  return {
    file, line: loc.line, column: column + 1, endLine: loc.line, endColumn: endColumn + 1, severity, message: m.text, code,
  };
}

/** Characters (UTF-16 units) before byte offset `bytes` of `text`. */
function utf16Column(text: string, bytes: number): number {
  return Buffer.from(text, 'utf8').subarray(0, bytes).toString('utf8').length;
}
