// The connections of one process to the cluster's database: a small pool for queries, and one session
// of its own that LISTENs for the cluster's notifications and holds the member's advisory lock (its
// closing is the member's death notice). The session reconnects with back-off; the state (up/down) is
// told once per change, never once per failed attempt.
// A window that only watches passes `shared` instead (connection.ts): every query, transaction and
// LISTEN then goes over that one session, shared with the window's other folders on the same database.
import { Client, Pool, types, type ClientBase, type QueryResult, type QueryResultRow } from 'pg';
import { createHash } from 'crypto';
import type { SharedConnection } from './connection';
import { isUnavailable, explain } from './errors';
import { describeUrl, redact } from './redact';

/** int8 values (tokens, epoch ms) fit a double for the next 285,000 years: read them as numbers. */
const parsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : types.getTypeParser(oid, format as 'text'))) as typeof types.getTypeParser,
};

/** A query that has not answered in this long is treated as a lost connection (a cut link never errors by itself). */
const QUERY_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** Reconnect back-off: quick at first (a restart takes a second), then every 2 s: one connection attempt per member, and the kept runs are written soon after it is back. */
const BACKOFF_MS = [250, 500, 1_000, 2_000];
/** Queries in flight at once: the claim's transaction, the engine's writes, sync and heartbeat side by side. */
const POOL_SIZE = 6;

export interface DbOptions {
  url: string;
  cluster: string;
  /** Shown in pg_stat_activity; the reaper terminates a dead member's sessions by it. */
  applicationName: string;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** A window's shared session: no pool, no session of this Db's own (it cannot hold a member's lock). */
  shared?: SharedConnection;
}

/** `started`: a run was claimed (its row is `running`); the others say what changed in their table. */
export type Notice = 'action' | 'done' | 'started' | 'ended' | 'pending' | 'state' | 'members';

export class Db {
  private readonly pool?: Pool;
  private readonly shared?: SharedConnection;
  private readonly unlisten?: () => void;
  private readonly unwatch?: () => void;
  readonly channel: string;
  /** The cluster's key for advisory locks (two-int form: this, then a member's number). */
  readonly lockClass: number;
  private session?: Client;
  private upNow = true;
  private closed = false;
  private attempt = 0;
  private retryTimer?: NodeJS.Timeout;
  private readonly noticeListeners = new Set<(n: Notice) => void>();
  private readonly upListeners = new Set<() => void>();
  private onSession?: (client: Client) => Promise<void>;

  constructor(private readonly options: DbOptions) {
    const digest = createHash('sha256').update(options.cluster).digest();
    this.channel = `task_scheduler_${digest.toString('hex').slice(0, 16)}`;
    this.lockClass = digest.readInt32BE(0);
    if (options.shared) {
      const shared = this.shared = options.shared;
      this.unlisten = shared.listen(this.channel, (payload) => { for (const l of [...this.noticeListeners]) l(payload as Notice); });
      let wasUp = shared.up;
      this.unwatch = shared.onState((s) => {
        const up = s.status === 'up';
        if (up && !wasUp) for (const l of [...this.upListeners]) l();
        wasUp = up;
      });
      return;
    }
    const config = {
      connectionString: options.url, application_name: options.applicationName, types: parsers,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, keepAlive: true,
    };
    this.pool = new Pool({ ...config, max: POOL_SIZE, idleTimeoutMillis: 30_000 });
    // An idle client whose server went away emits here; unhandled it would end the process.
    this.pool.on('error', (err) => this.down(err));
  }

  get up(): boolean { return this.shared ? this.shared.up : this.upNow; }
  /** Whether this Db hears the cluster's notifications (a held session, or a window's shared one). */
  get listening(): boolean { return !!this.shared || !!this.session; }
  get where(): string { return describeUrl(this.options.url); }

  /** Checks the URL by connecting once; a clear StoreError (nothing changed) when it cannot. */
  async check(): Promise<void> {
    if (this.shared) {
      try { await this.shared.ready(); } catch (e) { throw explain(e, this.options.url); }
      return;
    }
    const client = new Client({ connectionString: this.options.url, types: parsers, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (e) {
      throw explain(e, this.options.url);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async query<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    if (this.shared) return this.shared.query<R>(sql, params);
    try {
      const r = await this.pool!.query<R>(sql, params);
      return r.rows;
    } catch (e) {
      if (isUnavailable(e)) this.down(e);
      throw e;
    }
  }

  /**
   * Statements in one round trip, as one implicit transaction (the simple protocol: no parameters, so
   * values must be escaped literals). The rows of each statement, in order.
   */
  async script<R extends QueryResultRow = QueryResultRow>(sql: string): Promise<R[][]> {
    const each = (r: QueryResult<R> | QueryResult<R>[]) => (Array.isArray(r) ? r : [r]).map((x) => x.rows);
    if (this.shared) return this.shared.run(async (c) => each(await c.query<R>(sql) as QueryResult<R> | QueryResult<R>[]));
    try {
      return each(await this.pool!.query<R>(sql) as QueryResult<R> | QueryResult<R>[]);
    } catch (e) {
      if (isUnavailable(e)) this.down(e);
      throw e;
    }
  }

  /** One transaction; rolled back when `fn` throws. */
  async tx<T>(fn: (c: ClientBase) => Promise<T>): Promise<T> {
    if (this.shared) {
      return this.shared.run(async (c) => {
        await c.query('BEGIN');
        try {
          const out = await fn(c);
          await c.query('COMMIT');
          return out;
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      });
    }
    let client: import('pg').PoolClient;
    try {
      client = await this.pool!.connect();
    } catch (e) {
      if (isUnavailable(e)) this.down(e);
      throw e;
    }
    let broken = false;
    // A checked-out client has no listener of the pool's: its connection dropping between two statements
    // (the reaper terminated it, the server restarted) would be an unhandled 'error' that ends the process.
    const onError = (e: unknown) => { broken = true; if (isUnavailable(e)) this.down(e); };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      // A client whose connection already failed (onError) says so again here: one report is enough.
      if (!broken && isUnavailable(e)) { broken = true; this.down(e); }
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw e;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  notify(notice: Notice): void {
    if (this.shared) { this.shared.query('SELECT pg_notify($1, $2)', [this.channel, notice]).catch(() => undefined); return; }
    this.pool!.query('SELECT pg_notify($1, $2)', [this.channel, notice]).catch((e) => { if (isUnavailable(e)) this.down(e); });
  }

  onNotice(listener: (n: Notice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /** Called each time the database is reachable again after being down. */
  onUp(listener: () => void): () => void {
    this.upListeners.add(listener);
    return () => this.upListeners.delete(listener);
  }

  /**
   * Keeps a session of its own open (reconnecting with back-off): LISTENs on the cluster's channel and
   * runs `setup` on each new session (the member's advisory lock). Resolves once the first session is set up.
   */
  async holdSession(setup: (client: Client) => Promise<void>): Promise<void> {
    if (this.shared) throw new Error('a window\'s shared connection cannot hold a member\'s session');
    this.onSession = setup;
    await this.openSession();
  }

  /** The held session, for statements that must run on it (advisory locks are per session). */
  get sessionClient(): Client | undefined { return this.session; }

  async close(): Promise<void> {
    this.closed = true;
    if (this.shared) { this.unlisten?.(); this.unwatch?.(); return; } // the shared session is its owner's to close
    clearTimeout(this.retryTimer);
    const s = this.session;
    this.session = undefined;
    await s?.end().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }

  /** Reports a lost database once, and starts reconnecting. */
  down(err: unknown): void {
    if (this.closed || !this.upNow || this.shared) return;
    this.upNow = false;
    this.options.log('warn', `PostgreSQL at ${this.where} is unreachable (${redact((err as Error)?.message ?? String(err))}): no new run starts until it is back; runs that finish meanwhile are kept locally and written then. Reconnecting with back-off.`);
    this.scheduleReconnect();
  }

  private markUp(): void {
    this.attempt = 0;
    if (this.upNow) return;
    this.upNow = true;
    // Said at the level the outage was said, so whoever saw one sees the other.
    this.options.log('warn', `PostgreSQL at ${this.where} is reachable again`);
    for (const l of [...this.upListeners]) l();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const wait = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)];
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.openSession().catch(() => this.scheduleReconnect());
    }, wait);
    this.retryTimer.unref?.();
  }

  private async openSession(): Promise<void> {
    if (this.closed) return;
    // The pool lost a connection but the session may be fine: keep it (ending it would free the member's
    // advisory lock, which the others read as its death).
    if (this.session) {
      const alive = await this.session.query('SELECT 1').then(() => true, () => false);
      if (alive) { this.markUp(); return; }
    }
    const old = this.session;
    this.session = undefined;
    await old?.end().catch(() => undefined);
    const client = new Client({
      connectionString: this.options.url, application_name: this.options.applicationName, types: parsers,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, keepAlive: true,
    });
    const lost = (err?: unknown) => {
      if (this.session !== client || this.closed) return;
      this.session = undefined;
      this.down(err ?? new Error('the session closed'));
      if (this.upNow === false) this.scheduleReconnect();
    };
    client.on('error', (e) => lost(e));
    client.on('end', () => lost());
    client.on('notification', (m) => {
      if (m.channel !== this.channel) return;
      for (const l of [...this.noticeListeners]) l(m.payload as Notice);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      await this.onSession?.(client);
    } catch (e) {
      await client.end().catch(() => undefined);
      if (isUnavailable(e)) this.down(e);
      throw e;
    }
    this.session = client;
    this.markUp();
  }
}
