// The dashboard's messages and page shell: what each side accepts from the other, the CSP, and the
// throttle that bounds updates.
import * as assert from 'assert';
import * as crypto from 'crypto';
import { duration, ellipsize, percent, relativeTime } from '../../src/extension/dashboard/format';
import { contentSecurityPolicy, dashboardHtml, makeNonce } from '../../src/extension/dashboard/html';
import { buildDashboard } from '../../src/extension/dashboard/model';
import { newerFilters, parseHostMessage, parseWebviewMessage } from '../../src/extension/dashboard/protocol';
import { Throttle, type ThrottleTimers } from '../../src/extension/dashboard/throttle';

describe('dashboard protocol', () => {
  it('the host accepts the webview\'s known messages, exactly as typed', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'action', requestId: 3, action: 'runNow', folder: '/ws', taskId: 'tasks/a', extra: 'dropped' }),
      { type: 'action', requestId: 3, action: 'runNow', folder: '/ws', taskId: 'tasks/a' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'openTask', folder: '/ws', taskId: 't' }), { type: 'openTask', folder: '/ws', taskId: 't' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'takeOver', requestId: 0, folder: '/ws' }), { type: 'takeOver', requestId: 0, folder: '/ws' });
  });

  it('the host ignores unknown types, unknown actions and malformed fields', () => {
    const bad: unknown[] = [
      undefined, null, 'ready', [], { type: 'eval', code: 'x' }, { type: 'action', requestId: 1, action: 'cleanup', folder: '/ws', taskId: 't' },
      { type: 'action', requestId: 1, action: 'toString', folder: '/ws', taskId: 't' },
      { type: 'action', requestId: '1', action: 'runNow', folder: '/ws', taskId: 't' },
      { type: 'action', requestId: -1, action: 'runNow', folder: '/ws', taskId: 't' },
      { type: 'action', requestId: 1.5, action: 'runNow', folder: '/ws', taskId: 't' },
      { type: 'action', requestId: 1, action: 'runNow', folder: '/ws', taskId: '' },
      { type: 'action', requestId: 1, action: 'runNow', folder: '/ws', taskId: 'x'.repeat(5000) },
      { type: 'action', requestId: 1, action: 'runNow', folder: { toString: () => '/ws' }, taskId: 't' },
      { type: 'openTask', folder: '/ws' }, { type: 'takeOver', folder: '/ws' }, { type: '__proto__' },
    ];
    for (const m of bad) assert.strictEqual(parseWebviewMessage(m), undefined, JSON.stringify(m));
  });

  it('carries the filters both ways (the host keeps a copy for a page that lost its state), and drops bad ones', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'filters', filters: { tag: 'demo', state: '' } }), { type: 'filters', filters: { tag: 'demo', state: '' } });
    for (const filters of [undefined, 'demo', { tag: 1, state: '' }, { tag: 'x'.repeat(5000), state: '' }, { tag: 'demo' }]) {
      assert.strictEqual(parseWebviewMessage({ type: 'filters', filters }), undefined, JSON.stringify(filters));
    }
    const data = { now: 1, folders: [], health: {}, tasks: [], tags: [], timeline: { from: 0, to: 1, runs: [], upcoming: [] } };
    assert.deepStrictEqual(parseHostMessage({ type: 'init', data, filters: { tag: 'demo', state: 'failed' } }), { type: 'init', data, filters: { tag: 'demo', state: 'failed' } });
    assert.deepStrictEqual(parseHostMessage({ type: 'init', data, filters: { tag: 7 } }), { type: 'init', data }, 'bad filters are dropped, the data kept');
    // With the time they were chosen; a time that is not a finite number makes them bad.
    assert.deepStrictEqual(parseWebviewMessage({ type: 'filters', filters: { tag: 'demo', state: '', at: 5 } }), { type: 'filters', filters: { tag: 'demo', state: '', at: 5 } });
    for (const at of ['5', NaN, Infinity, null]) {
      assert.strictEqual(parseWebviewMessage({ type: 'filters', filters: { tag: 'demo', state: '', at } }), undefined, String(at));
    }
  });

  it('a reloaded page starts from the newer of its own filters and the host\'s copy', () => {
    const stale = { tag: '', state: '', at: 100 };
    const chosen = { tag: 'demo', state: '', at: 200 };
    // The CI failure: the browser restored a page state saved before the change; the host had the change.
    assert.deepStrictEqual(newerFilters(stale, chosen), chosen);
    assert.deepStrictEqual(newerFilters(chosen, stale), chosen);
    assert.deepStrictEqual(newerFilters({ tag: '', state: '' }, chosen), chosen, 'a page state from before any choice');
    assert.deepStrictEqual(newerFilters(chosen, { tag: 'old', state: '' }), chosen, 'a host copy without a time never beats a choice');
    assert.deepStrictEqual(newerFilters(undefined, chosen), chosen, 'a page with no state takes the host\'s');
    assert.deepStrictEqual(newerFilters(chosen, undefined), chosen);
    assert.strictEqual(newerFilters(undefined, undefined), undefined);
  });

  it('the page accepts data and results from the host, nothing else', () => {
    const data = buildDashboard([], Date.parse('2026-03-02T12:00:00Z'));
    assert.deepStrictEqual(parseHostMessage({ type: 'init', data }), { type: 'init', data });
    assert.deepStrictEqual(parseHostMessage({ type: 'update', data }), { type: 'update', data });
    assert.deepStrictEqual(parseHostMessage({ type: 'result', requestId: 2, ok: false, message: 'no' }), { type: 'result', requestId: 2, ok: false, message: 'no' });
    for (const m of [{ type: 'init' }, { type: 'init', data: { ...data, tasks: 'x' } }, { type: 'init', data: { ...data, tasks: [{ id: 1 }] } },
      { type: 'result', requestId: 2 }, { type: 'result', requestId: 2, ok: true, message: 5 }, { type: 'html', html: '<img>' }, 'init']) {
      assert.strictEqual(parseHostMessage(m), undefined, JSON.stringify(m));
    }
  });
});

describe('dashboard page shell', () => {
  const resources = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123', scriptUri: 'https://r/dist/media/dashboard.js',
    styleUri: 'https://r/media/dashboard.css', codiconsUri: 'https://r/dist/media/codicon.css' };

  it('has a strict CSP: nothing by default, our files only, a nonce for the one script, no inline or eval', () => {
    const csp = contentSecurityPolicy(resources.cspSource, 'abc123');
    assert.strictEqual(csp, "default-src 'none'; img-src https://file+.vscode-resource.vscode-cdn.net data:; "
      + "style-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-abc123'; font-src https://file+.vscode-resource.vscode-cdn.net");
    assert.doesNotMatch(csp, /unsafe|\*|https?:\/\/(?!file\+)/);
  });

  it('puts the CSP first in the head, loads one nonce\'d script and our two stylesheets, and nothing inline', () => {
    const html = dashboardHtml(resources);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'CSP before any resource');
    assert.deepStrictEqual(html.match(/<script[^>]*>/g), ['<script nonce="abc123" src="https://r/dist/media/dashboard.js">']);
    assert.deepStrictEqual(html.match(/<link[^>]*>/g)!.map((l) => /href="([^"]+)"/.exec(l)![1]), [resources.codiconsUri, resources.styleUri]);
    assert.doesNotMatch(html, /style=|<style|\son[a-z]+=/i);
  });

  it('makes a fresh, long nonce of letters and digits each time', () => {
    const a = makeNonce((n) => crypto.randomBytes(n));
    const b = makeNonce((n) => crypto.randomBytes(n));
    assert.match(a, /^[A-Za-z0-9]{32}$/);
    assert.notStrictEqual(a, b);
  });
});

describe('dashboard words', () => {
  const NOW = Date.parse('2026-03-02T12:00:00Z');
  it('says relative times coarsely', () => {
    assert.deepStrictEqual([2000, 30_000, 4 * 60_000, 90 * 60_000, 14 * 3_600_000, 3 * 86_400_000].map((d) => relativeTime(NOW + d, NOW)),
      ['now', 'in 30 s', 'in 4 min', 'in 1.5 h', 'in 14 h', 'in 3 d']);
    assert.strictEqual(relativeTime(NOW - 2 * 60_000, NOW), '2 min ago');
  });
  it('says durations and rates', () => {
    assert.deepStrictEqual([850, 4200, 42_000, 185_000, 7_800_000, -1].map(duration), ['850 ms', '4.2 s', '42 s', '3 min 5 s', '2 h 10 min', '—']);
    assert.deepStrictEqual([1, 0.995, 0.5, 0].map(percent), ['100 %', '99.5 %', '50 %', '0 %']);
    assert.strictEqual(ellipsize('abcdef', 4), 'abc…');
    assert.strictEqual(ellipsize('abc', 4), 'abc');
  });
});

describe('dashboard update throttle', () => {
  /** Timers driven by hand: `advance` fires what is due. */
  function fakeTimers() {
    let now = 0;
    const due: Array<{ at: number; fn: () => void; id: number }> = [];
    let ids = 0;
    const timers: ThrottleTimers = {
      now: () => now,
      set: (fn, ms) => { const id = ++ids; due.push({ at: now + ms, fn, id }); return id; },
      clear: (id) => { const i = due.findIndex((d) => d.id === id); if (i >= 0) due.splice(i, 1); },
    };
    async function advance(ms: number) {
      const end = now + ms;
      for (;;) {
        due.sort((a, b) => a.at - b.at);
        if (!due.length || due[0].at > end) break;
        const d = due.shift()!;
        now = d.at;
        d.fn();
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      now = end;
    }
    return { timers, advance };
  }

  it('runs at once, then at most once per interval, and never drops the last request', async () => {
    const { timers, advance } = fakeTimers();
    const starts: number[] = [];
    const t = new Throttle(async () => { starts.push(timers.now()); }, 250, timers);
    t.request();
    await advance(0);
    for (let i = 0; i < 100; i++) { t.request(); await advance(10); } // 100 events over a second
    await advance(1000);
    assert.strictEqual(starts[0], 0);
    assert.ok(starts.every((s, i) => i === 0 || s - starts[i - 1] >= 250), starts.join());
    assert.ok(starts.length <= 6, starts.join());
    assert.ok(starts[starts.length - 1] >= 990, 'the last request was served');
  });

  it('never runs twice at once, and a failed run does not stop the next', async () => {
    const { timers, advance } = fakeTimers();
    let active = 0;
    let most = 0;
    let n = 0;
    let release: () => void = () => undefined;
    const t = new Throttle(() => new Promise<void>((resolve, reject) => {
      active++; most = Math.max(most, active); n++;
      release = () => { active--; if (n === 1) reject(new Error('boom')); else resolve(); };
    }), 250, timers);
    t.request();
    await advance(0);
    t.request();
    await advance(1000);
    assert.strictEqual(n, 1, 'waits for the running one');
    release();
    for (let i = 0; i < 10; i++) await Promise.resolve(); // the failure settles
    await advance(10);
    assert.deepStrictEqual([n, most], [2, 1]);
    release();
    t.dispose();
    t.request();
    await advance(1000);
    assert.strictEqual(n, 2, 'nothing after dispose');
  });
});
