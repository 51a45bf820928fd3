// `store: { url, name }` — the cluster's database (src/core/cluster). Read and checked here with the rest
// of the config; `${env:NAME}` in the URL is expanded only when the store is used (as VS Code's
// tasks.json does), so the file can be committed without a password in it.
import { STORE_KEYS } from './keys';
import { formatPath, Reporter } from './report';
import { readObject, readString } from './fields';
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE_NAMES } from './find';
import { loadConfig } from './load';
import type { StoreConfig } from './types';

/** The cluster a store names when it names none. */
export const DEFAULT_CLUSTER = 'default';
/** The environment variable that makes `task-scheduler run` a member without any config. */
export const DATABASE_URL_ENV = 'TASK_SCHEDULER_DATABASE_URL';
const CLUSTER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/;
const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A `store` with an error still says a cluster was asked for (`invalid`): such a folder must never fall
 * back to executing with the local lease beside the cluster's members.
 */
export function readStore(r: Reporter, value: unknown): StoreConfig {
  const before = r.errorCount;
  const store = readStoreFields(r, value);
  if (store && r.errorCount === before) return store;
  return { url: '', name: store?.name ?? DEFAULT_CLUSTER, invalid: '`store` in .scheduler.yaml has an error (see `task-scheduler validate`)' };
}

function readStoreFields(r: Reporter, value: unknown): StoreConfig | undefined {
  const obj = readObject(r, ['store'], value, '{ url: "${env:TASK_SCHEDULER_DATABASE_URL}", name: my-cluster }');
  if (!obj) return undefined;
  r.unknownKeys(obj, ['store'], STORE_KEYS);
  const url = obj.url === undefined ? undefined : readString(r, ['store', 'url'], obj.url);
  if (obj.url === undefined) r.error(['store'], 'config.store-url', '`store` needs `url`: a PostgreSQL URL like "${env:TASK_SCHEDULER_DATABASE_URL}" or "postgres://user@host/db"', { key: true });
  if (url !== undefined && !/^\$\{env:|^postgres(ql)?:\/\//i.test(url)) {
    r.error(['store', 'url'], 'config.store-url', `\`${formatPath(['store', 'url'])}\` must be a PostgreSQL URL (postgres://user@host:5432/database) or \${env:NAME}`);
    return undefined;
  }
  if (url !== undefined && literalPassword(url)) {
    r.warning(['store', 'url'], 'config.store-password', '`store.url` holds a password in plain text: anyone who can read this file can read it. Write "${env:TASK_SCHEDULER_DATABASE_URL}" (or ${env:OTHER}) and set the variable, or use ~/.pgpass');
  }
  let name = DEFAULT_CLUSTER;
  if (obj.name !== undefined) {
    const n = readString(r, ['store', 'name'], obj.name);
    if (n !== undefined && !CLUSTER_NAME.test(n)) {
      r.error(['store', 'name'], 'config.store-name', '`store.name` must be letters, digits, "_", "." and "-" (at most 63), like "chores"');
    } else if (n !== undefined) name = n;
  }
  return url === undefined ? undefined : { url, name };
}

function literalPassword(url: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(url);
  return !!m && !/^\$\{env:[^}]+\}$/.test(m[1]);
}

/**
 * The store in use: the config's (its `${env:…}` expanded), else TASK_SCHEDULER_DATABASE_URL with the
 * default cluster name. Throws when the config refers to a variable that is not set.
 */
export function resolveStore(store: StoreConfig | undefined, env: NodeJS.ProcessEnv): StoreConfig | undefined {
  if (store) {
    if (store.invalid) throw new Error(store.invalid);
    const missing: string[] = [];
    const url = store.url.replace(ENV_REF, (_, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') missing.push(name);
      return v ?? '';
    });
    if (missing.length) throw new Error(`store.url in .scheduler.yaml refers to \${env:${missing[0]}}, which is not set in this environment`);
    return { url, name: store.name };
  }
  const url = env[DATABASE_URL_ENV];
  return url ? { url, name: env.TASK_SCHEDULER_CLUSTER || DEFAULT_CLUSTER } : undefined;
}

/** The store a folder's executors use (read synchronously: the CLI decides before it starts anything). */
export function storeOfFolder(folder: string, env: NodeJS.ProcessEnv): StoreConfig | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(folder, name);
    let text: string;
    try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
    return resolveStore(loadConfig(file, text).config.store, env);
  }
  return resolveStore(undefined, env);
}

/** The `store:` a folder's .scheduler.yaml names, as written (nothing expanded): whether a window watches a cluster there. */
export function configuredStore(folder: string): StoreConfig | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    let text: string;
    try { text = fs.readFileSync(path.join(folder, name), 'utf8'); } catch { continue; }
    return loadConfig(path.join(folder, name), text).config.store;
  }
  return undefined;
}
