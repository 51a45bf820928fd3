// Where a window finds a cluster's database URL and password: `${env:NAME}` from its environment (or, when
// VS Code was started without it, a value kept in VS Code's secret storage for that name), and a password
// kept in secret storage for the database when the URL has none. Nothing here writes anything: the caller
// owns the secret store. `sslmode` and every other parameter of the URL are kept as written.
import { describeUrl } from './redact';

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** What is missing, so the window can say what to do. */
export type CredentialsNeed =
  | { kind: 'env'; name: string }
  | { kind: 'url'; detail: string };

export class CredentialsProblem extends Error {
  constructor(message: string, readonly need: CredentialsNeed) {
    super(message);
    this.name = 'CredentialsProblem';
  }
}

/** Keys in the secret store: one per environment variable name, one per database (user@host:port/db). */
export const secretKeys = {
  env: (name: string) => `taskScheduler.cluster.env.${name}`,
  password: (where: string) => `taskScheduler.cluster.password.${where}`,
};

export interface CredentialSources {
  env: NodeJS.ProcessEnv;
  secret: (key: string) => Promise<string | undefined>;
}

/**
 * The URL to connect with: `${env:…}` expanded (environment first, then the secret store), then the
 * database's stored password when the URL carries none. Throws a CredentialsProblem naming what is missing.
 */
export async function resolveWindowUrl(raw: string, from: CredentialSources): Promise<string> {
  const names = [...raw.matchAll(ENV_REF)].map((m) => m[1]);
  const values = new Map<string, string>();
  for (const name of names) {
    const value = from.env[name] || await from.secret(secretKeys.env(name));
    if (!value) {
      throw new CredentialsProblem(`store.url refers to \${env:${name}}, which is not set in VS Code's environment`, { kind: 'env', name });
    }
    values.set(name, value);
  }
  const url = raw.replace(ENV_REF, (_, name: string) => values.get(name)!);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CredentialsProblem(`store.url (after \${env:…} is expanded) is not a URL like postgres://user@host:5432/database`, { kind: 'url', detail: 'not a URL' });
  }
  if (!/^postgres(ql)?:$/i.test(parsed.protocol)) {
    throw new CredentialsProblem(`store.url must be a PostgreSQL URL (postgres://…), not ${parsed.protocol}//…`, { kind: 'url', detail: parsed.protocol });
  }
  if (parsed.password) return url;
  const password = await from.secret(secretKeys.password(describeUrl(url)));
  if (!password) return url; // PGPASSWORD or ~/.pgpass may still answer; a refused login says what to do
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** The database a store's URL names, for the secret store's key and for messages (no password). */
export function databaseOf(url: string): string {
  return describeUrl(url);
}
