// PostgreSQL's errors as a person reads them: what is wrong, where, and what to do. Each message names the
// database by `describeUrl` (never the password) and is raised before anything was changed.
import { describeUrl, redact } from './redact';

/** A problem with the store that no retry fixes (bad URL, password, privileges, schema): stop and say so. */
export class StoreError extends Error {
  constructor(message: string) {
    super(redact(message));
    this.name = 'StoreError';
  }
}

interface PgLikeError { code?: string; message?: string; errno?: number; syscall?: string }

/** Connection-level failures: the database is down or unreachable for now, so writing again later may work. */
export function isUnavailable(err: unknown): boolean {
  const e = err as PgLikeError;
  const code = e?.code ?? '';
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true;
  if (/^(08|57P)/.test(code)) return true; // connection exceptions; admin shutdown, crash shutdown, cannot connect now
  // The last one: this member closed its pool (it is stopping) while claims were still in line.
  return /Connection terminated|timeout exceeded|Query read timeout|Client has encountered a connection error|not queryable|Connection closed|Cannot use a pool after calling end/i.test(e?.message ?? '');
}

/** Turns an error met while connecting or migrating into a clear StoreError. */
export function explain(err: unknown, url: string): StoreError {
  if (err instanceof StoreError) return err;
  const e = err as PgLikeError;
  const where = describeUrl(url);
  const detail = redact(e?.message ?? String(err));
  switch (e?.code) {
    case 'ECONNREFUSED': return new StoreError(`cannot reach PostgreSQL at ${where}: connection refused (is the server running and listening on that address and port?)`);
    case 'ENOTFOUND': case 'EAI_AGAIN': return new StoreError(`cannot reach PostgreSQL at ${where}: the host name does not resolve`);
    case 'ETIMEDOUT': case 'EHOSTUNREACH': case 'ENETUNREACH': return new StoreError(`cannot reach PostgreSQL at ${where}: ${detail}`);
    case '28P01': case '28000': return new StoreError(`PostgreSQL at ${where} refused the login: ${detail} (check the user and password in the database URL)`);
    case '3D000': return new StoreError(`PostgreSQL at ${where}: ${detail} (create it, or name an existing database in the URL)`);
    case '42501': return new StoreError(`PostgreSQL at ${where}: the role lacks a privilege task-scheduler needs: ${detail}. Grant it CREATE on the database (for the schema task_scheduler), or have an owner create the schema once by starting one member with such a role`);
  }
  if (isUnavailable(err) || /timeout/i.test(detail)) return new StoreError(`cannot reach PostgreSQL at ${where}: ${detail}`);
  return new StoreError(`PostgreSQL at ${where}: ${detail}`);
}
