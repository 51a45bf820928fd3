// IPv4 prefixes for the test network: parse what `ip route`/`ip addr` print, and pick a private /24
// that overlaps nothing the host already routes, so the test never shadows a real network.

export interface Prefix {
  /** The network address as an unsigned 32-bit number. */
  start: number;
  bits: number;
  /** Dotted form of the network address. */
  network: string;
  /** The n-th address in the prefix (1 = the first host). */
  hostAddress(n: number): string;
}

/** Test networks are /24s inside 10.240.0.0/12: private (RFC 1918) and rarely used by hosts or VPNs. */
const POOL_START = (10 << 24 | 240 << 16) >>> 0;
const POOL_SIZE = 4096; // /24s in a /12

const toDotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

function prefixOf(start: number, bits: number): Prefix {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const net = (start & mask) >>> 0;
  return { start: net, bits, network: toDotted(net), hostAddress: (n) => toDotted((net + n) >>> 0) };
}

/** `10.1.2.0/24`, `10.1.2.3` (a /32), or undefined for anything else. */
export function parsePrefix(text: string): Prefix | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  return prefixOf(octets.reduce((n, o) => ((n << 8) | o) >>> 0, 0), bits);
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  const bits = Math.min(a.bits, b.bits);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((a.start & mask) >>> 0) === ((b.start & mask) >>> 0);
}

/** The first /24 of the pool, from a position given by `seed` (e.g. the PID), that overlaps none of `inUse`. */
export function pickSubnet(inUse: Prefix[], seed: number): Prefix {
  for (let i = 0; i < POOL_SIZE; i++) {
    const candidate = prefixOf((POOL_START + ((seed + i) % POOL_SIZE) * 256) >>> 0, 24);
    if (!inUse.some((p) => overlaps(p, candidate))) return candidate;
  }
  throw new Error('no free private /24 for the test network (10.240.0.0/12 is fully routed on this host)');
}
