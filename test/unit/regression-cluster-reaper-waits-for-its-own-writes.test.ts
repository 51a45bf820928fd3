// Regression (found by the cluster chaos check): the reaper stores the retries of a dead member's runs,
// then marks the runs interrupted, in one transaction that holds the reaper lock and the runs' rows. It
// waited for the engine's writer to be idle — which, on a member running 1-second tasks, it seldom is —
// so a recovery took up to ten seconds, during which the dead member's runs stayed `running` (their
// tasks' slots skipped as busy) and no other member could reap. It waits for the writes made so far.
import * as assert from 'assert';
import { HistoryWriter } from '../../src/core/engine/writes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('regression: the reaper waits for its own writes, not for a quiet writer', () => {
  it('written() resolves once the writes made so far are stored, while others keep coming', async () => {
    const writer = new HistoryWriter(() => undefined);
    const stored: number[] = [];
    let n = 0;
    let streaming = true;
    // A steady stream, as a member's runs keep the writer busy.
    const stream = (async () => {
      while (streaming) {
        const k = n++;
        void writer.write(`write ${k}`, async () => { await sleep(20); stored.push(k); });
        await sleep(10);
      }
    })();
    await sleep(100);
    const before = n;
    const t0 = Date.now();
    let idleAt = 0;
    void writer.idle().then(() => { idleAt = Date.now(); });
    await writer.written();
    const waited = Date.now() - t0;
    assert.ok(stored.length >= before, `resolved with ${stored.length} of the ${before} writes made before stored`);
    assert.ok(waited < 1_000, `written() waited ${waited} ms`);
    await sleep(300);
    assert.strictEqual(idleAt, 0, 'idle() resolved while writes kept coming (then this test proves nothing)');
    streaming = false;
    await stream;
    await writer.idle();
  });
});
