// The lock directory on its own: mkdir as the atomic step, stale directories broken, and a holder that
// was paused long enough to be judged dead neither writes (fresh() is false) nor removes the lock of
// whoever broke in.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tryLock } from '../../src/core/lease/lockDir';

describe('lease lock directory', () => {
  let dir: string;
  let lockPath: string;
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-lockdir-'));
    lockPath = path.join(dir, 'executor.lease.lock');
    now = Date.now(); // lock directories get real mtimes
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in at a time', () => {
    const a = tryLock(fs, lockPath, clock, 5_000);
    assert.ok(a && !a.brokeStale);
    assert.strictEqual(tryLock(fs, lockPath, clock, 5_000), undefined);
    a.release();
    assert.strictEqual(fs.existsSync(lockPath), false);
    assert.ok(tryLock(fs, lockPath, clock, 5_000));
  });

  it('breaks a directory older than the stale age, or dated far in the future', () => {
    fs.mkdirSync(lockPath);
    now += 4_900; // (not 5 000: file times come from a coarser clock than Date.now())
    assert.strictEqual(tryLock(fs, lockPath, clock, 5_000), undefined, 'not yet stale');
    now += 600;
    const a = tryLock(fs, lockPath, clock, 5_000);
    assert.ok(a?.brokeStale);
    a.release();
    fs.mkdirSync(lockPath);
    now -= 60_000; // the clock was set back: the directory looks a minute "young"
    assert.ok(tryLock(fs, lockPath, clock, 5_000)?.brokeStale);
  });

  it('a holder paused past the stale age is no longer fresh and leaves the new holder\'s lock alone', async () => {
    const a = tryLock(fs, lockPath, clock, 1_000)!;
    assert.strictEqual(a.fresh(), true);
    now += 499;
    assert.strictEqual(a.fresh(), true);
    now += 1;
    assert.strictEqual(a.fresh(), false, 'half the stale age is the limit for writing');
    await new Promise((r) => setTimeout(r, 20)); // the new directory gets a later mtime than A's
    now += 1_000;
    const b = tryLock(fs, lockPath, clock, 1_000)!; // A looks dead: B breaks in
    assert.ok(b.brokeStale);
    a.release(); // A wakes up
    assert.strictEqual(fs.existsSync(lockPath), true, 'B is still inside');
    b.release();
    assert.strictEqual(fs.existsSync(lockPath), false);
  });

  it('a slow holder whose lock nobody broke still removes it', () => {
    const a = tryLock(fs, lockPath, clock, 1_000)!;
    now += 2_000;
    a.release();
    assert.strictEqual(fs.existsSync(lockPath), false);
  });
});
