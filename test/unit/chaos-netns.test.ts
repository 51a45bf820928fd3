// The network-namespace harness of the cluster checks (test/chaos/netns.ts): a process inside a namespace
// reaches a real Postgres at the root-side address, a cut link makes a query hang as a pulled cable does,
// restore lets it finish, and teardown — called, on SIGINT, or by the next harness after a kill -9 — leaves
// no namespace, link or process behind.
import * as assert from 'assert';
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createNetns, inNamespace, netnsUnavailable, sweepStale, type Netns } from '../chaos/netns';
import { parsePrefix, pickSubnet } from '../chaos/subnet';
import { startPostgres, type PgServer } from '../pg/server';

const ROOT = path.join(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Running (a zombie no one reaps — orphans go to this machine's PID 1, which does not — counts as gone). */
const alive = (pid: number) => { try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; } };
const namespaces = () => spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
const links = () => spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter(Boolean);
const leftovers = (names: string[]) => names.filter((n) => namespaces().includes(n) || links().includes(n));
const namesOf = (net: Pick<Netns, 'members' | 'bridge'>) => [net.bridge, ...net.members.flatMap((m) => [m.name, m.rootLink])];

/** Everything a child process writes to stdout, and a way to wait for a pattern in it. */
function collect(child: ChildProcess): { text(): string; waitFor(re: RegExp, ms: number): Promise<boolean> } {
  let out = '';
  child.stdout?.on('data', (d) => { out += String(d); });
  child.stderr?.on('data', (d) => { out += String(d); });
  return {
    text: () => out,
    async waitFor(re, ms) {
      for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (re.test(out)) return true;
      return re.test(out);
    },
  };
}

const exited = (child: ChildProcess) => new Promise<{ code: number | null; signal: string | null }>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
  else child.once('exit', (code, signal) => resolve({ code, signal }));
});

describe('test network: subnets', () => {
  it('picks a private /24 that overlaps no route or address in use', () => {
    const first = pickSubnet([], 0);
    assert.strictEqual(`${first.network}/${first.bits}`, '10.240.0.0/24');
    const inUse = [parsePrefix('10.240.0.0/23')!, parsePrefix('10.240.2.7')!, parsePrefix('192.0.2.0/24')!];
    const picked = pickSubnet(inUse, 0);
    assert.strictEqual(picked.network, '10.240.3.0');
    assert.strictEqual(picked.hostAddress(1), '10.240.3.1');
    assert.throws(() => pickSubnet([parsePrefix('10.0.0.0/8')!], 5), /no free private \/24/);
    assert.strictEqual(parsePrefix('10.1.2.300'), undefined);
  });
});

describe('test network: namespaces, a cut link, teardown', function () {
  this.timeout(90_000);
  let net: Netns | undefined;
  let pg: PgServer | undefined;
  before(async function () {
    const why = netnsUnavailable();
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    net = createNetns({ count: 2 });
    pg = await startPostgres({ listen: ['127.0.0.1', net.hostAddress] });
  });
  after(async () => {
    net?.teardown();
    await pg?.stop();
  });

  const psqlIn = (ns: number, args: string[]) => net!.exec(ns, 'psql', [pg!.urlFor('postgres', net!.hostAddress), '-X', '-A', '-t', ...args],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PGCONNECT_TIMEOUT: '2' } });

  it('runs a process inside a namespace under its own PID, and it reaches Postgres at the root-side address', async () => {
    const q = psqlIn(0, ['-c', 'SELECT 40 + 2']);
    const out = collect(q);
    assert.deepStrictEqual(await exited(q), { code: 0, signal: null }, out.text());
    assert.strictEqual(out.text().trim(), '42');

    const s = net!.exec(1, 'sleep', ['60']);
    await sleep(200);
    assert.strictEqual(fs.readlinkSync(`/proc/${s.pid}/exe`), '/usr/bin/sleep');
    assert.ok(inNamespace(s.pid!, net!.members[1].name), 'not inside its namespace');
    assert.ok(!inNamespace(s.pid!, net!.members[0].name));
    process.kill(s.pid!, 'SIGKILL');
    assert.deepStrictEqual(await exited(s), { code: null, signal: 'SIGKILL' });
  });

  it('a cut link hangs an established connection and times out a new one; restore lets both through', async () => {
    const session = psqlIn(1, []);
    const out = collect(session);
    session.stdin!.write('SELECT 1;\n');
    assert.ok(await out.waitFor(/^1\n/, 10_000), `no answer before the cut: ${out.text()}`);

    net!.cut(1);
    assert.ok(net!.isCut(1));
    session.stdin!.write('SELECT 2;\n');
    assert.ok(!(await out.waitFor(/2\n/, 2_000)), `answered through a cut link: ${out.text()}`);
    assert.strictEqual(session.exitCode, null, 'the session failed instead of hanging');
    const fresh = psqlIn(1, ['-c', 'SELECT 3']);
    const freshOut = collect(fresh);
    const r = await exited(fresh);
    assert.notStrictEqual(r.code, 0);
    assert.match(freshOut.text(), /timeout expired/);
    const other = psqlIn(0, ['-c', 'SELECT 4']);
    const otherOut = collect(other);
    assert.strictEqual((await exited(other)).code, 0, 'the other member lost its link too');
    assert.strictEqual(otherOut.text().trim(), '4');

    net!.restore(1);
    assert.ok(!net!.isCut(1));
    // TCP retransmits with back-off (200 ms doubling): the held query goes through within seconds.
    assert.ok(await out.waitFor(/1\n2\n/, 20_000), `the held query did not finish after restore: ${out.text()}`);
    session.stdin!.end();
    assert.strictEqual((await exited(session)).code, 0, out.text());
    const after = psqlIn(1, ['-c', 'SELECT 5']);
    const afterOut = collect(after);
    assert.strictEqual((await exited(after)).code, 0, afterOut.text());
    assert.strictEqual(afterOut.text().trim(), '5');
  });

  it('teardown kills what runs inside and leaves no namespace or link', async () => {
    const own = createNetns({ count: 1 });
    const names = namesOf(own);
    assert.deepStrictEqual(leftovers(names), names);
    const s = own.exec(0, 'sleep', ['60']);
    await sleep(100);
    own.teardown();
    await exited(s);
    assert.ok(!alive(s.pid!));
    assert.deepStrictEqual(leftovers(names), []);
    own.teardown(); // idempotent
  });

  /** A harness in a child process that prints its names, starts `sleep` inside, and waits. */
  async function harnessChild(): Promise<{ child: ChildProcess; names: string[]; sleeper: number }> {
    const script = `const { createNetns } = require('./test/chaos/netns');
      const n = createNetns({ count: 1 });
      const s = n.exec(0, 'sleep', ['60']);
      s.once('spawn', () => console.log(JSON.stringify({ names: [n.bridge, ...n.members.flatMap((m) => [m.name, m.rootLink])], sleeper: s.pid })));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-r', './test/register.js', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = collect(child);
    assert.ok(await out.waitFor(/\}\n/, 20_000), `harness child printed: ${out.text()}`);
    const { names, sleeper } = JSON.parse(out.text().trim().split('\n').pop()!);
    assert.deepStrictEqual(leftovers(names), names);
    return { child, names, sleeper };
  }

  it('SIGINT to the test process tears its harness down', async () => {
    const { child, names, sleeper } = await harnessChild();
    child.kill('SIGINT');
    assert.deepStrictEqual(await exited(child), { code: null, signal: 'SIGINT' });
    await sleep(100);
    assert.deepStrictEqual(leftovers(names), []);
    assert.ok(!alive(sleeper), 'the process inside outlived the teardown');
  });

  it('what a harness killed with -9 left is swept by the next one, by the dead PID in its names', async () => {
    const { child, names, sleeper } = await harnessChild();
    child.kill('SIGKILL');
    await exited(child);
    assert.deepStrictEqual(leftovers(names), names, 'kill -9 cannot tear down; the names should still be there');
    const removed = sweepStale();
    assert.deepStrictEqual(removed.sort(), [...names].sort());
    assert.deepStrictEqual(leftovers(names), []);
    await sleep(100);
    assert.ok(!alive(sleeper), 'the orphan inside the stale namespace still runs');
  });
});
