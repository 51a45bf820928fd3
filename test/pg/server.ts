// A real PostgreSQL for tests and benchmarks, started by the test itself: Debian's server (installed with
// apt-get when missing and run as root, else the exact command is printed), `initdb` into a temporary
// folder as the unprivileged `postgres` user (initdb refuses root), a free loopback port (or addresses
// inside network namespaces the test made), password authentication over TCP, and stopped by PID.
//
//   const pg = await startPostgres();            // pg.url: postgres://postgres:…@127.0.0.1:PORT/postgres
//   const url = await pg.createDatabase('t1');   // a fresh database on the same server
//   await pg.restartImmediate();                 // `pg_ctl restart -m immediate` (a crash and recovery)
//   await pg.stop();
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** The password of the `postgres` role over TCP; tests that check a wrong one use anything else. */
export const PG_PASSWORD = 'test-secret';
const PACKAGE = 'postgresql-15'; // Debian 12's server; any installed major version is used when present

export interface PgServer {
  /** Superuser URL on the first listen address. */
  url: string;
  port: number;
  host: string;
  dataDir: string;
  logFile: string;
  /** The postmaster's PID (changes after a restart). */
  pid(): number;
  /** A URL for `database` (and optionally another host, e.g. an address inside a namespace). */
  urlFor(database: string, host?: string): string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL through psql as the superuser and returns its unaligned output. */
  psql(sql: string, database?: string): string;
  /** `pg_ctl restart -m immediate`: in-flight transactions are lost, committed ones recovered from WAL. */
  restartImmediate(): Promise<void>;
  /** `pg_ctl stop -m fast`: the server goes away (sessions closed, data kept) until `startAgain`. */
  stopForNow(): Promise<void>;
  startAgain(): Promise<void>;
  /** Stops the server (SIGINT = fast shutdown, SIGKILL after 10 s) and removes its folder. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Addresses to listen on; the first is used in `url`. Default 127.0.0.1. */
  listen?: string[];
  port?: number;
  /** Extra `postgresql.conf` settings, e.g. { max_connections: '200' }. */
  settings?: Record<string, string>;
  /** Where the data folder goes (default: the OS temp folder). */
  parent?: string;
}

/** The server's bin folder, installing Debian's package when missing (as root) or saying how. */
export function ensurePostgres(): string {
  const found = findBin();
  if (found) return found;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${PACKAGE}`;
  if (process.getuid?.() !== 0) throw new Error(`PostgreSQL is not installed. Run as root:\n  ${cmd}`);
  execFileSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const bin = findBin();
  if (!bin) throw new Error(`${PACKAGE} was installed but no postgres binary was found under /usr/lib/postgresql`);
  return bin;
}

function findBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, host, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** As root, the server's tools run as the `postgres` user (initdb and postgres refuse root). */
function asServerUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs the `postgres` user (created by Debian\'s postgresql package)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(options: StartOptions = {}): Promise<PgServer> {
  const bin = ensurePostgres();
  const user = asServerUser();
  const listen = options.listen ?? ['127.0.0.1'];
  const port = options.port ?? await freePort();
  const base = fs.mkdtempSync(path.join(options.parent ?? os.tmpdir(), 'ts-pg-'));
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'sock');
  const logFile = path.join(base, 'postgres.log');
  fs.mkdirSync(socketDir);
  const pwFile = path.join(base, 'pw');
  fs.writeFileSync(pwFile, PG_PASSWORD);
  if (user) fs.chownSync(base, user.uid, user.gid), fs.chownSync(socketDir, user.uid, user.gid), fs.chownSync(pwFile, user.uid, user.gid);
  const run = (tool: string, args: string[]) => {
    const r = spawnSync(path.join(bin, tool), args, { encoding: 'utf8', ...(user ?? {}), cwd: base, env: { ...process.env, LC_ALL: 'C' } });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  // Local socket: trust (the harness's psql); TCP: a password, so a wrong one is refused as in production.
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--pwfile', pwFile, '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '-E', 'UTF8']);
  fs.rmSync(pwFile);
  const hba = path.join(dataDir, 'pg_hba.conf');
  fs.appendFileSync(hba, '\n# test networks (addresses inside namespaces the test made)\nhost all all 0.0.0.0/0 scram-sha-256\n');
  const conf = {
    listen_addresses: `'${listen.join(',')}'`,
    port: String(port),
    unix_socket_directories: `'${socketDir}'`,
    max_connections: '200',
    fsync: 'off', // a test server: a crash of Postgres (not of the OS) still keeps every commit, via WAL
    full_page_writes: 'off',
    log_min_messages: 'warning',
    ...options.settings,
  };
  fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), `\n${Object.entries(conf).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`);
  const pgCtl = (args: string[]) => run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', ...args]);
  pgCtl(['start']);
  const pid = () => Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const host = listen[0];
  const urlFor = (database: string, h = host) => `postgres://postgres:${PG_PASSWORD}@${h.includes(':') ? `[${h}]` : h}:${port}/${database}`;
  const psql = (sql: string, database = 'postgres') => run('psql', ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database,
    '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  let current = pid();
  const server: PgServer = {
    url: urlFor('postgres'), port, host, dataDir, logFile,
    pid: () => current,
    urlFor,
    psql,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name "${name}": lowercase letters, digits and _`);
      psql(`CREATE DATABASE ${name}`);
      return urlFor(name);
    },
    async restartImmediate() {
      pgCtl(['restart', '-m', 'immediate']);
      current = pid();
    },
    async stopForNow() {
      pgCtl(['stop', '-m', 'fast']);
    },
    async startAgain() {
      pgCtl(['start']);
      current = pid();
    },
    async stop() {
      if (alive(current)) {
        process.kill(current, 'SIGINT');
        for (let i = 0; i < 100 && alive(current); i++) await sleep(100);
        if (alive(current)) process.kill(current, 'SIGKILL');
        for (let i = 0; i < 50 && alive(current); i++) await sleep(100);
      }
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
  return server;
}
