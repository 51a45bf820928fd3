// Errors the history store throws on purpose. They cross the worker boundary as plain data and are
// rebuilt on the caller's side (see client.ts), so `instanceof` works wherever the caller is.

/** The file on disk was written by a newer version of the extension: never migrated down, moved or overwritten. */
export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
  constructor(readonly file: string, readonly found: number, readonly supported: number) {
    super(`${file} has schema version ${found}, newer than this version understands (${supported}); it is left untouched`);
  }
}

/** A plain, cloneable form of an error, for postMessage. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  file?: string;
  found?: number;
  supported?: number;
}

export function toErrorData(e: unknown): ErrorData {
  if (e instanceof NewerSchemaError) {
    return { name: e.name, message: e.message, stack: e.stack, file: e.file, found: e.found, supported: e.supported };
  }
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

export function fromErrorData(d: ErrorData): Error {
  if (d.name === 'NewerSchemaError') return new NewerSchemaError(d.file ?? '?', d.found ?? 0, d.supported ?? 0);
  const e = new Error(d.message);
  e.name = d.name;
  if (d.stack) e.stack = d.stack;
  return e;
}
