// Found by the history-file battery (test/chaos/history-file.chaos.ts): damaged lines in the history
// journal were skipped on open, but nobody was told (the CLI and the extension reported only a snapshot
// moved aside) and the damaged journal was rewritten by the next snapshot: the runs on those lines were
// gone without a trace. Now its bytes are copied to `history.journal.corrupt-<time>`, the report says
// so, the journal is folded (so the next open does not meet the same lines again), and `run` prints it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { describeEvent } from '../../src/cli/service';
import { historyFiles } from '../../src/core/store';
import { ids, openHistory, removeTempDirs, run, tempDir } from './store-helpers';

async function withDamagedLine(damage: string): Promise<{ dir: string; damaged: Buffer }> {
  const dir = tempDir();
  const h = await openHistory(dir);
  for (const id of ['a', 'b', 'c']) await h.putRun(run(id));
  await h.close();
  const f = historyFiles(dir);
  const lines = fs.readFileSync(f.journal, 'utf8').split('\n');
  lines.splice(1, 0, damage);
  fs.writeFileSync(f.journal, lines.join('\n'));
  return { dir, damaged: fs.readFileSync(f.journal) };
}

describe('regression: damaged history journal lines were skipped silently and then overwritten', () => {
  after(removeTempDirs);

  for (const [what, damage] of [
    ['an unreadable line', '{"s":2,"m":{"op":"putR\u0000n", garbage'],
    ['a line the database refuses', '{"s":1000,"m":{"op":"putRun","run":{"id":"x","taskId":null}}}'],
    ['a line numbered like another', '{"s":3,"m":{"op":"deletePending","id":"nothing"}}'],
  ] as const) {
    it(`${what}: its bytes are kept, the report says so, and the next open does not meet it again`, async () => {
      const { dir, damaged } = await withDamagedLine(damage);
      const h = await openHistory(dir);
      const report = await h.open();
      assert.strictEqual(report.skippedJournalEntries, 1);
      const copies = fs.readdirSync(dir).filter((n) => n.startsWith('history.journal.corrupt-'));
      assert.strictEqual(copies.length, 1, `files: ${fs.readdirSync(dir).join(', ')}`);
      assert.ok(fs.readFileSync(path.join(dir, copies[0])).equals(damaged), 'the copy holds the damaged bytes');
      assert.match(report.reason ?? '', /1 damaged history journal entries were skipped; the damaged journal was copied to .*history\.journal\.corrupt-/);
      assert.deepStrictEqual(ids(await h.runs({})).sort(), ['a', 'b', 'c'], 'the other lines were replayed');
      await h.close();

      const again = await openHistory(dir);
      const next = await again.open();
      assert.deepStrictEqual([next.skippedJournalEntries, next.reason], [undefined, undefined], 'the damaged lines were folded away after being kept');
      assert.deepStrictEqual(ids(await again.runs({})).sort(), ['a', 'b', 'c']);
      assert.strictEqual(fs.readdirSync(dir).filter((n) => n.startsWith('history.journal.corrupt-')).length, 1);
      await again.close();
    });
  }

  it('`task-scheduler run` prints the reason, not only for a snapshot set aside', () => {
    const line = describeEvent({ type: 'history-opened', report: { skippedJournalEntries: 1, reason: '1 damaged history journal entries were skipped; the damaged journal was copied to /x/history.journal.corrupt-1' } }, '/ws');
    assert.match(line ?? '', /history: 1 damaged history journal entries were skipped; the damaged journal was copied to/);
  });
});
