// Passwords never reach a message: every text the cluster code shows (errors, log lines, status) goes
// through `redact`. A URL keeps its user, host, port and database, which is what a person needs to see.

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; `password=secret` → `password=***`. */
export function redact(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@\s]*)@/gi, '$1:***@')
    .replace(/(\bpassword\s*=\s*)('[^']*'|\S+)/gi, '$1***');
}

/** Where a URL points, for messages: `user@host:port/database`. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${user}${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : '/'}`;
  } catch {
    return redact(url);
  }
}

/** True when the URL itself carries a password (`user:secret@`), as opposed to `${env:…}` or a .pgpass. */
export function hasLiteralPassword(url: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(url);
  return !!m && !/^\$\{env:[^}]+\}$/.test(m[1]);
}
