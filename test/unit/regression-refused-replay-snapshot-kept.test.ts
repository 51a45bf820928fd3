// Found by the history-file battery at full counts (test/chaos/history-file.chaos.ts, 1 case in 50): four
// flipped bytes left history.sqlite readable — SQLite's integrity check passed — yet the runs it held
// were not there and it refused every journal entry replayed onto it. The skipped entries were reported
// and the journal kept, but the next snapshot replaced the damaged file, and the runs it held were gone
// without their bytes. Now, when the database refuses readable entries, the snapshot they
// were replayed onto is copied aside (`history.sqlite.corrupt-<time>`) before it is replaced.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { historyFiles } from '../../src/core/store';
import { ids, openHistory, removeTempDirs, run, tempDir } from './store-helpers';

describe('regression: a readable snapshot that refused the journal was replaced without its bytes', () => {
  after(removeTempDirs);

  it('keeps the snapshot\'s bytes and says where, when the database refuses a readable entry', async () => {
    const dir = tempDir();
    const h = await openHistory(dir);
    for (const id of ['a', 'b']) await h.putRun(run(id));
    await h.close(); // a snapshot holds a and b
    const f = historyFiles(dir);
    const snapshot = fs.readFileSync(f.db);
    fs.appendFileSync(f.journal, '{"s":1000,"m":{"op":"putRun","run":{"id":"x","taskId":null}}}\n');

    const again = await openHistory(dir);
    const report = await again.open();
    assert.strictEqual(report.skippedJournalEntries, 1);
    const copies = fs.readdirSync(dir).filter((n) => n.startsWith('history.sqlite.corrupt-'));
    assert.strictEqual(copies.length, 1, `files: ${fs.readdirSync(dir).join(', ')}`);
    assert.ok(fs.readFileSync(path.join(dir, copies[0])).equals(snapshot), 'the copy holds the snapshot as it was');
    assert.match(report.reason ?? '', /the history they were replayed onto was copied to .*history\.sqlite\.corrupt-/);
    assert.deepStrictEqual(ids(await again.runs({})).sort(), ['a', 'b']);
    await again.close();
  });

  it('an unreadable line alone is the journal\'s damage: the snapshot is not copied', async () => {
    const dir = tempDir();
    const h = await openHistory(dir);
    await h.putRun(run('a'));
    await h.close();
    fs.appendFileSync(historyFiles(dir).journal, '{"s":2,"m":{"op":"putR\u0000n", garbage\n');
    const again = await openHistory(dir);
    assert.strictEqual((await again.open()).skippedJournalEntries, 1);
    assert.deepStrictEqual(fs.readdirSync(dir).filter((n) => n.startsWith('history.sqlite.corrupt-')), []);
    await again.close();
  });
});
