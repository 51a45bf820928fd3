// Separate "machines" for cluster checks: N network namespaces, each joined by a veth pair to one bridge
// in the root namespace. The bridge holds the root-side address a Postgres of test/pg/server.ts listens
// on, so a member started inside namespace i reaches it as over a network, and its link can be cut.
//
//   const net = createNetns({ count: 3 });
//   const pg = await startPostgres({ listen: ['127.0.0.1', net.hostAddress] });
//   const url = pg.urlFor('db', net.hostAddress);                 // as seen from inside a namespace
//   const child = net.exec(0, process.execPath, ['member.js']);   // child.pid is the member itself
//   net.cut(0); … net.restore(0);
//   net.teardown();                                               // also on exit, SIGINT and SIGTERM
//
// Names carry the test's PID (`ts<pid>-<seq>b` bridge, `…r<i>` veth, `…n<i>` namespace), so a harness
// deletes only what it made, and sweepStale() removes what a harness whose process is gone left behind.
// Needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN); netnsUnavailable() says why not.
import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { overlaps, parsePrefix, pickSubnet, type Prefix } from './subnet';

export interface NsMember {
  /** The namespace's name (`ip netns exec <name> …`). */
  name: string;
  /** Its address on the bridge's subnet. */
  address: string;
  /** The root-side end of its veth pair: down = the member's network is cut. */
  rootLink: string;
}

export interface Netns {
  /** The bridge's address in the root namespace; Postgres listens here for the members. */
  hostAddress: string;
  /** The subnet in CIDR form, e.g. 10.243.17.0/24. */
  subnet: string;
  /** The bridge's link name in the root namespace. */
  bridge: string;
  members: NsMember[];
  /** Starts `cmd args` inside member `ns` (index or name). `ip netns exec` execs in place: pid is cmd's own. */
  exec(ns: number | string, cmd: string, args?: string[], opts?: SpawnOptions): ChildProcess;
  /** Cuts the member's link as a pulled cable does: packets vanish, established TCP hangs, no error. */
  cut(ns: number | string): void;
  restore(ns: number | string): void;
  isCut(ns: number | string): boolean;
  /** Kills what runs inside, deletes the links and namespaces. Synchronous (safe in exit handlers), idempotent. */
  teardown(): void;
}

export interface NetnsOptions {
  count: number;
  /** 1–3 lowercase letters before the PID (link names have 15 characters at most). Default `ts`. */
  prefix?: string;
}

/** Why this process cannot make namespaces, or undefined when it can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return `network namespaces need root (ip netns add, ip link add); this runs as uid ${process.getuid?.()}`;
  return undefined;
}

/** `ip` from Debian's iproute2, installed with apt-get when missing (as root), else the command is named. */
export function ensureIproute2(): void {
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).status === 0) return;
  const cmd = 'apt-get update && apt-get install -y --no-install-recommends iproute2';
  if (process.getuid?.() !== 0) throw new Error(`iproute2 (the ip command) is not installed. Run as root:\n  ${cmd}`);
  execFileSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ip(args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
/** For teardown: a failure (already gone) is not an error. */
const ipQuiet = (args: string[]) => spawnSync('ip', args, { stdio: 'ignore' }).status === 0;

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; } };
const killHard = (pid: number) => { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } };

const namesRe = (prefix: string) => new RegExp(`^${prefix}(\\d+)-[0-9a-z][bnr]\\d*$`);
const listNamespaces = () => ip(['netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
const listLinks = () => ip(['-o', 'link', 'show']).split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter((n): n is string => !!n);
const nsPids = (ns: string) => spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout?.split('\n').map(Number).filter((n) => n > 0) ?? [];

/** Removes namespaces and links of `prefix` whose owning process (the PID in their name) is gone. */
export function sweepStale(prefix = 'ts'): string[] {
  const re = namesRe(prefix);
  const stale = (name: string) => { const m = re.exec(name); return !!m && !alive(Number(m[1])); };
  const removed: string[] = [];
  // Links first (deleting a veth's root end deletes its peer inside), bridges last; then the namespaces.
  const links = listLinks().filter(stale);
  for (const link of [...links.filter((l) => !l.endsWith('b')), ...links.filter((l) => l.endsWith('b'))]) {
    if (ipQuiet(['link', 'del', link])) removed.push(link);
  }
  for (const ns of listNamespaces().filter(stale)) {
    nsPids(ns).forEach(killHard);
    if (ipQuiet(['netns', 'del', ns])) removed.push(ns);
  }
  return removed;
}

/** Every IPv4 prefix in use in the root namespace (routes of every table, interfaces' subnets), but `exceptDev`'s. */
function prefixesInUse(exceptDev?: string): Prefix[] {
  const types = new Set(['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat', 'anycast']);
  const out: Prefix[] = [];
  for (const line of ip(['-4', '-o', 'route', 'show', 'table', 'all']).split('\n')) {
    const words = line.trim().split(/\s+/);
    if (exceptDev && words[words.indexOf('dev') + 1] === exceptDev) continue;
    const dest = types.has(words[0]) ? words[1] : words[0];
    if (!dest || dest === 'default') continue; // a default route is the fallback, not a subnet in use
    const p = parsePrefix(dest);
    if (p) out.push(p);
  }
  for (const line of ip(['-4', '-o', 'addr', 'show']).split('\n')) {
    const m = /^\d+: (\S+)\s+inet (\S+)/.exec(line);
    const p = m && m[1] !== exceptDev ? parsePrefix(m[2]) : undefined;
    if (p) out.push(p);
  }
  return out;
}

const live = new Set<Netns>();
let handlersInstalled = false;
/** Exit and signal handlers tear down every live harness, so an interrupted test leaves nothing behind. */
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => { for (const n of [...live]) n.teardown(); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      for (const n of [...live]) n.teardown();
      process.removeListener(sig, onSignal);
      // Others (mocha) may handle the signal themselves; otherwise die of it as we would have.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

let sequence = 0;

/** A random locally administered unicast MAC address. */
const localMac = () => [0x02, ...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0')).join(':');

export function createNetns(options: NetnsOptions): Netns {
  const why = netnsUnavailable();
  if (why) throw new Error(why);
  const prefix = options.prefix ?? 'ts';
  if (!/^[a-z]{1,3}$/.test(prefix)) throw new Error(`netns prefix "${prefix}": 1 to 3 lowercase letters`);
  // A subnet has room for the bridge and 250 members; more is no longer a test of a few machines.
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > 250) throw new Error(`netns count ${options.count}: 1 to 250`);
  ensureIproute2();
  sweepStale(prefix);
  installHandlers();

  const existing = new Set([...listNamespaces(), ...listLinks()]);
  let base = '';
  for (let tries = 0; tries < 36 && (!base || existing.has(`${base}b`)); tries++) base = `${prefix}${process.pid}-${(sequence++ % 36).toString(36)}`;
  if (existing.has(`${base}b`)) throw new Error(`no free harness name for ${prefix}${process.pid}: 36 harnesses already live in this process`);
  const bridge = `${base}b`;

  const made = { namespaces: [] as string[], links: [] as string[], bridge: '' };
  const children = new Set<ChildProcess>();
  const cut = new Set<string>();
  let down = false;

  const teardown = () => {
    if (down) return;
    down = true;
    live.delete(net);
    for (const c of children) if (c.pid && c.exitCode === null && c.signalCode === null) killHard(c.pid);
    // Whatever else runs inside (a member's own children) was started from here too.
    for (const ns of made.namespaces) nsPids(ns).forEach(killHard);
    for (const link of made.links) ipQuiet(['link', 'del', link]);
    if (made.bridge) ipQuiet(['link', 'del', made.bridge]);
    for (const ns of made.namespaces) ipQuiet(['netns', 'del', ns]);
  };

  const net: Netns = {
    hostAddress: '', subnet: '', bridge, members: [],
    exec(ns, cmd, args = [], opts = {}) {
      if (down) throw new Error('netns harness already torn down');
      const m = member(ns);
      const child = spawn('ip', ['netns', 'exec', m.name, cmd, ...args], opts);
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    cut(ns) { const m = member(ns); ip(['link', 'set', m.rootLink, 'down']); cut.add(m.name); },
    restore(ns) { const m = member(ns); ip(['link', 'set', m.rootLink, 'up']); cut.delete(m.name); },
    isCut(ns) { return cut.has(member(ns).name); },
    teardown,
  };
  const member = (ns: number | string): NsMember => {
    const m = typeof ns === 'number' ? net.members[ns] : net.members.find((x) => x.name === ns);
    if (!m) throw new Error(`no namespace ${ns} in this harness (${net.members.map((x) => x.name).join(', ')})`);
    return m;
  };

  live.add(net);
  try {
    ip(['link', 'add', bridge, 'type', 'bridge']);
    made.bridge = bridge;
    // Two harnesses may pick the same free subnet at once: after adding ours, one that sees a rival gives it up
    // and picks again (both may; then both pick again from other seeds).
    const givenUp: Prefix[] = [];
    let subnet: Prefix | undefined;
    for (let attempt = 0; attempt < 8 && !subnet; attempt++) {
      const candidate = pickSubnet([...prefixesInUse(bridge), ...givenUp], process.pid + attempt * 7919);
      const cidr = `${candidate.hostAddress(1)}/${candidate.bits}`;
      ip(['addr', 'add', cidr, 'dev', bridge]);
      if (prefixesInUse(bridge).some((p) => overlaps(p, candidate))) {
        ipQuiet(['addr', 'del', cidr, 'dev', bridge]);
        givenUp.push(candidate);
      } else {
        subnet = candidate;
      }
    }
    if (!subnet) throw new Error('no free private /24 for the test network after 8 tries (another test kept taking the same one)');
    ip(['link', 'set', bridge, 'up']);
    net.hostAddress = subnet.hostAddress(1);
    net.subnet = `${subnet.network}/${subnet.bits}`;
    const bridgeMac = localMac();
    ip(['link', 'set', bridge, 'address', bridgeMac]); // fixed, so the members' neighbour entries stay true
    const macs: string[] = [];
    for (let i = 0; i < options.count; i++) {
      const name = `${base}n${i}`;
      const rootLink = `${base}r${i}`;
      const inner = `${base}i${i}`;
      ip(['netns', 'add', name]);
      made.namespaces.push(name);
      ip(['link', 'add', rootLink, 'type', 'veth', 'peer', 'name', inner, 'netns', name]);
      made.links.push(rootLink);
      ip(['link', 'set', rootLink, 'master', bridge]);
      ip(['link', 'set', rootLink, 'up']);
      macs.push(localMac());
      ip(['-n', name, 'link', 'set', inner, 'name', 'eth0', 'address', macs[i]]);
      const address = subnet.hostAddress(2 + i);
      ip(['-n', name, 'addr', 'add', `${address}/${subnet.bits}`, 'dev', 'eth0']);
      ip(['-n', name, 'link', 'set', 'eth0', 'up']);
      ip(['-n', name, 'link', 'set', 'lo', 'up']);
      net.members.push({ name, address, rootLink });
    }
    // Permanent neighbour entries: without ARP, a cut link drops packets silently (a new connection times
    // out) instead of failing ARP and answering "No route to host", which a cut further away never does.
    for (const [i, m] of net.members.entries()) {
      ip(['neigh', 'replace', m.address, 'lladdr', macs[i], 'dev', bridge, 'nud', 'permanent']);
      ip(['-n', m.name, 'neigh', 'replace', net.hostAddress, 'lladdr', bridgeMac, 'dev', 'eth0', 'nud', 'permanent']);
      for (const [j, o] of net.members.entries()) {
        if (j !== i) ip(['-n', m.name, 'neigh', 'replace', o.address, 'lladdr', macs[j], 'dev', 'eth0', 'nud', 'permanent']);
      }
    }
  } catch (e) {
    teardown();
    throw e;
  }
  return net;
}

/** True when `pid`'s network namespace is member `name`'s (for checks that a process really runs inside). */
export function inNamespace(pid: number, name: string): boolean {
  try {
    const mine = fs.statSync(`/proc/${pid}/ns/net`);
    const theirs = fs.statSync(`/run/netns/${name}`);
    return mine.ino === theirs.ino && mine.dev === theirs.dev;
  } catch {
    return false;
  }
}
