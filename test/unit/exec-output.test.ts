// The output pieces on their own: the head/tail buffer, the live line view, secret masking (no processes).
import * as assert from 'assert';
import { HeadTailBuffer } from '../../src/core/exec/outputBuffer';
import { LiveLines } from '../../src/core/exec/liveLines';
import { Redactor } from '../../src/core/exec/redact';

describe('exec: head/tail output buffer', () => {
  it('keeps everything while it fits', () => {
    const b = new HeadTailBuffer({ headBytes: 8, tailBytes: 8 });
    b.push('hello ');
    b.push(Buffer.from('world!'));
    assert.strictEqual(b.text(), 'hello world!');
    assert.strictEqual(b.truncated, false);
    assert.strictEqual(b.totalBytes, 12);
  });

  it('keeps head and tail and says how many bytes it left out', () => {
    const b = new HeadTailBuffer({ headBytes: 4, tailBytes: 6 });
    for (const c of ['abc', 'defgh', 'ijklmnop', 'qr', 'stuvwxyz']) b.push(c);
    assert.strictEqual(b.text(), 'abcd\n… 16 bytes omitted …\nuvwxyz');
    assert.strictEqual(b.truncated, true);
    assert.strictEqual(b.totalBytes, 26);
  });

  it('wraps the tail ring correctly for chunks smaller and larger than it', () => {
    const b = new HeadTailBuffer({ headBytes: 0, tailBytes: 5 });
    let all = '';
    for (let i = 0; i < 200; i++) {
      const chunk = String(i).repeat((i % 7) + 1);
      all += chunk;
      b.push(chunk);
      assert.strictEqual(b.tailBytes().toString(), all.slice(-5), `after chunk ${i}`);
    }
  });

  it('never cuts a UTF-8 character in half at either edge', () => {
    const b = new HeadTailBuffer({ headBytes: 5, tailBytes: 5 });
    b.push('ééé'); // 6 bytes: the head ends inside the third é
    b.push('x'.repeat(20));
    b.push('ü€'); // 2 + 3 bytes: the tail starts at ü
    b.push('€'); // now the tail starts inside the first €
    const text = b.text();
    assert.ok(!text.includes('\uFFFD'), text);
    assert.ok(text.startsWith('éé\n… '), text);
    assert.ok(text.endsWith(' …\n€'), text);
  });

  it('holds memory fixed however much is pushed', () => {
    const b = new HeadTailBuffer({ headBytes: 1024, tailBytes: 1024 });
    const chunk = Buffer.alloc(64 * 1024, 'y');
    for (let i = 0; i < 1600; i++) b.push(chunk); // 100 MB
    assert.strictEqual(b.totalBytes, 1600 * 64 * 1024);
    assert.ok(b.text().length < 2100);
  });
});

describe('exec: live output lines', () => {
  const collect = (now = () => 0, budget?: number) => {
    const lines: string[] = [];
    return { lines, live: new LiveLines((l) => lines.push(l), now, budget) };
  };

  it('splits chunks into lines per stream, joining partial lines and dropping \\r', () => {
    const { lines, live } = collect();
    live.push('stdout', Buffer.from('one\r\ntw'));
    live.push('stderr', Buffer.from('err'));
    live.push('stdout', Buffer.from('o\nthr'));
    live.push('stderr', Buffer.from('or\n'));
    live.flush();
    assert.deepStrictEqual(lines, ['one', 'two', 'error', 'thr']);
  });

  it('joins a character split across chunks', () => {
    const { lines, live } = collect();
    const bytes = Buffer.from('€uro\n');
    live.push('stdout', bytes.subarray(0, 2));
    live.push('stdout', bytes.subarray(2));
    assert.deepStrictEqual(lines, ['€uro']);
  });

  it('passes on a line without newline in pieces instead of growing it', () => {
    const { lines, live } = collect();
    live.push('stdout', Buffer.alloc(20_000, 'z'));
    assert.deepStrictEqual(lines.map((l) => l.length), [8192, 8192]);
    live.flush();
    assert.deepStrictEqual(lines.map((l) => l.length), [8192, 8192, 3616]);
  });

  it('past its budget per second skips chunks unread and says how much it skipped', () => {
    let t = 0;
    const { lines, live } = collect(() => t, 10);
    live.push('stdout', Buffer.from('ab\ncd\n')); // 6 bytes: within budget
    live.push('stdout', Buffer.from('ef\ngh\n')); // 12 > 10: skipped
    live.push('stdout', Buffer.from('ij\n')); // 9: still within budget
    assert.deepStrictEqual(lines, ['ab', 'cd', 'ij']);
    t = 1000;
    live.push('stdout', Buffer.from('kl\n'));
    assert.deepStrictEqual(lines.slice(3), ['… 6 bytes of output not shown live (too fast); they are in the run\'s output …', 'kl']);
  });
});

describe('exec: masking secrets in output', () => {
  const secret = 'hunter2-s3cret';
  const run = (r: Redactor, chunks: string[]): string =>
    Buffer.concat([...chunks.map((c) => r.push('stdout', Buffer.from(c))), r.flush('stdout')]).toString();

  it('masks a secret whole, or split across chunks at any point', () => {
    const text = `a ${secret} b ${secret}\n`;
    for (let cut = 0; cut <= text.length; cut++) {
      const r = new Redactor([secret]);
      assert.strictEqual(run(r, [text.slice(0, cut), text.slice(cut)]), 'a *** b ***\n', `cut at ${cut}`);
    }
  });

  it('holds back only what could start a secret, so live output is not delayed', () => {
    const r = new Redactor([secret]);
    assert.strictEqual(r.push('stdout', Buffer.from('progress 10%\n')).toString(), 'progress 10%\n');
    assert.strictEqual(r.push('stdout', Buffer.from('key: hunt')).toString(), 'key: ');
    assert.strictEqual(r.push('stdout', Buffer.from('ing season\n')).toString(), 'hunting season\n');
  });

  it('keeps streams apart, masks the longer of overlapping secrets whole, and leaves very short values alone', () => {
    const r = new Redactor(['abcd', 'abcdefgh', 'no']);
    assert.strictEqual(r.push('stdout', Buffer.from('abcdefgh abcd no ab')).toString(), '*** *** no ');
    assert.strictEqual(r.push('stderr', Buffer.from('cd')).toString(), 'cd');
    assert.strictEqual(r.flush('stdout').toString(), 'ab');
  });

  it('masks strings and keys of a JSON value', () => {
    const r = new Redactor(['quo"te-secret']);
    assert.deepStrictEqual(r.json({ a: 'x quo"te-secret y', 'quo"te-secret': [1, 'quo"te-secret'] }), { a: 'x *** y', '***': [1, '***'] });
    assert.strictEqual(r.text('Error: quo"te-secret'), 'Error: ***');
  });
});
