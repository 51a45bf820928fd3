// A window's one connection to a database: a single session that runs every query of every cluster the
// window watches there (one at a time, in order) and LISTENs on each cluster's channel. A member holds a
// pool and a session of its own (db.ts); a window only watches and asks, which one session carries, so
// it costs the server one connection per database however many views and folders look.
// It reconnects with back-off and says when it is down, when it retries and why.
import { Client, types, type QueryResultRow } from 'pg';
import { isUnavailable } from './errors';
import { describeUrl, redact } from './redact';

/** int8 values (epoch ms, tokens) as numbers, as db.ts reads them. */
const parsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : types.getTypeParser(oid, format as 'text'))) as typeof types.getTypeParser,
};
const CONNECT_TIMEOUT_MS = 5_000;
/** A query unanswered this long means a cut link: the session is dropped and opened again. */
const QUERY_TIMEOUT_MS = 10_000;
/** A window is not in a hurry: quick at first (a restart takes a second), then every 30 s at most. */
export const WINDOW_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

export type LinkStatus = 'connecting' | 'up' | 'down';

export interface LinkState {
  status: LinkStatus;
  /** Why it is down (redacted). */
  error?: string;
  /** When the next attempt is (epoch ms), while down. */
  retryAt?: number;
  /** Failed attempts since it was last up. */
  attempts: number;
  /** The driver's error code when it gave up without retrying (28P01: a refused login…). */
  code?: string;
}

export interface SharedConnectionOptions {
  url: string;
  applicationName: string;
  log?: (level: 'debug' | 'info' | 'warn', message: string) => void;
  backoffMs?: number[];
}

export class SharedConnection {
  private client?: Client;
  private opening?: Promise<Client>;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private retryTimer?: NodeJS.Timeout;
  private current: LinkState = { status: 'connecting', attempts: 0 };
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private readonly stateListeners = new Set<(s: LinkState) => void>();
  /** Statements sent since the start (the benchmark's "queries per minute" reads it too). */
  queries = 0;

  constructor(private readonly o: SharedConnectionOptions) {}

  get where(): string { return describeUrl(this.o.url); }
  get up(): boolean { return this.current.status === 'up'; }
  get state(): LinkState { return { ...this.current }; }

  onState(listener: (s: LinkState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Connects now if not connected; rejects with the driver's error when it cannot (and retries on its own). */
  async ready(): Promise<void> {
    await this.session();
  }

  /** LISTENs on `channel` (now and after every reconnect); `onNotice` gets each payload. */
  listen(channel: string, onNotice: (payload: string) => void): () => void {
    let set = this.channels.get(channel);
    if (!set) {
      this.channels.set(channel, set = new Set());
      if (this.client) void this.run((c) => c.query(`LISTEN ${channel}`)).catch(() => undefined);
    }
    set.add(onNotice);
    return () => {
      set!.delete(onNotice);
      if (set!.size || this.channels.get(channel) !== set) return;
      this.channels.delete(channel);
      if (this.client) void this.run((c) => c.query(`UNLISTEN ${channel}`)).catch(() => undefined);
    };
  }

  async query<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return this.run(async (c) => (await c.query<R>(sql, params)).rows);
  }

  /** Runs `fn` with the session alone (a transaction, or one statement): calls never interleave. */
  run<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const next = this.chain.then(async () => {
      const client = await this.session(false);
      try {
        return await fn(counting(client, this));
      } catch (e) {
        if (isUnavailable(e)) this.lost(client, e);
        throw e;
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Tries again now (the password was set, the config changed), whatever the back-off says. */
  retryNow(): void {
    if (this.closed || this.client || this.opening) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.session().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  /** The open session, or a new one; while waiting out a back-off, only `ready()` and the timer try (`connect`). */
  private session(connect = true): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('the connection to PostgreSQL was closed'));
    if (this.client) return Promise.resolve(this.client);
    if (!connect && this.current.status === 'down' && !this.opening) {
      const { retryAt, error } = this.current;
      const when = retryAt === undefined ? '' : `; retrying in ${Math.max(0, Math.round((retryAt - Date.now()) / 1000))} s`;
      // SQLSTATE class 08 (connection exception): callers treat it as "unavailable for now".
      return Promise.reject(Object.assign(new Error(`PostgreSQL at ${this.where} is unreachable (${error ?? 'down'})${when}`), { code: '08006' }));
    }
    this.opening ??= this.open().finally(() => { this.opening = undefined; });
    return this.opening;
  }

  private async open(): Promise<Client> {
    const client = new Client({
      connectionString: this.o.url, application_name: this.o.applicationName, types: parsers,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, keepAlive: true,
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, new Error('the connection closed')));
    client.on('notification', (m) => {
      for (const l of [...this.channels.get(m.channel) ?? []]) {
        try { l(m.payload ?? ''); } catch { /* a listener's bug must not end the session */ }
      }
    });
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      this.failed(e);
      throw e;
    }
    if (this.closed) { await client.end().catch(() => undefined); throw new Error('the connection to PostgreSQL was closed'); }
    this.client = client;
    const wasDown = this.current.status === 'down';
    this.setState({ status: 'up', attempts: 0 });
    if (wasDown) this.o.log?.('info', `PostgreSQL at ${this.where} is reachable again`);
    return client;
  }

  /** The session broke: drop it and reconnect with back-off. */
  private lost(client: Client, err: unknown): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.failed(err);
  }

  private failed(err: unknown): void {
    if (this.closed) return;
    const backoff = this.o.backoffMs ?? WINDOW_BACKOFF_MS;
    const attempts = this.current.status === 'up' ? 1 : this.current.attempts + 1;
    const wait = backoff[Math.min(attempts - 1, backoff.length - 1)];
    const error = redact((err as Error)?.message ?? String(err));
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!isUnavailable(err)) {
      // A refused login, a missing database: trying again changes nothing until someone fixes it (retryNow).
      this.setState({ status: 'down', error, attempts, code: (err as { code?: string })?.code });
      return;
    }
    if (this.current.status !== 'down') this.o.log?.('warn', `PostgreSQL at ${this.where} is unreachable (${error}); retrying with back-off`);
    this.setState({ status: 'down', error, attempts, retryAt: Date.now() + wait });
    this.retryTimer = setTimeout(() => { this.retryTimer = undefined; void this.session().catch(() => undefined); }, wait);
    this.retryTimer.unref?.();
  }

  private setState(s: LinkState): void {
    this.current = s;
    for (const l of [...this.stateListeners]) {
      try { l({ ...s }); } catch { /* a listener's bug must not stop reconnecting */ }
    }
  }
}

/** Counts each statement the client is asked to run. */
function counting(client: Client, owner: { queries: number }): Client {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return (...args: unknown[]) => { owner.queries++; return (target.query as (...a: unknown[]) => unknown).apply(target, args); };
    },
  });
}

/** The window's connections, one per database URL, shared by every folder that watches a cluster there. */
export class Connections {
  private readonly byUrl = new Map<string, { connection: SharedConnection; users: number }>();

  constructor(private readonly defaults: Omit<SharedConnectionOptions, 'url'>) {}

  acquire(url: string): SharedConnection {
    let entry = this.byUrl.get(url);
    if (!entry) this.byUrl.set(url, entry = { connection: new SharedConnection({ ...this.defaults, url }), users: 0 });
    entry.users++;
    return entry.connection;
  }

  /** One user less; the last one closes it. */
  async release(connection: SharedConnection): Promise<void> {
    for (const [url, entry] of this.byUrl) {
      if (entry.connection !== connection) continue;
      if (--entry.users > 0) return;
      this.byUrl.delete(url);
      await connection.close();
      return;
    }
  }

  list(): SharedConnection[] {
    return [...this.byUrl.values()].map((e) => e.connection);
  }

  async closeAll(): Promise<void> {
    const all = this.list();
    this.byUrl.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
