// package.json and src/extension/ids.ts must name the same commands, views and settings: an id
// declared on one side only is a command that silently does nothing, or one missing from the palette.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CATEGORY, COMMAND_TITLES, CONTEXT_KEYS, DASHBOARD_VIEW_TYPE, EXTENSION_ID, SETTINGS, STATUS_BAR_ID, ViewId } from '../../src/extension/ids';

const root = path.join(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('manifest', () => {
  it('is the extension the code thinks it is', () => {
    assert.strictEqual(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
  });

  it('declares exactly the commands the code registers, each with its title and category', () => {
    const declared = manifest.contributes.commands as Array<{ command: string; title: string; category: string }>;
    assert.deepStrictEqual(sorted(declared.map((c) => c.command)), sorted(Object.keys(COMMAND_TITLES)));
    for (const c of declared) {
      assert.strictEqual(c.category, CATEGORY, c.command);
      assert.strictEqual(c.title, COMMAND_TITLES[c.command as keyof typeof COMMAND_TITLES], c.command);
    }
  });

  it('declares the view container and the tasks view the code creates', () => {
    const containers = manifest.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id);
    assert.deepStrictEqual(containers, [ViewId.Container]);
    const views = Object.values(manifest.contributes.views).flat().map((v) => (v as { id: string }).id);
    assert.deepStrictEqual(sorted(views), sorted([ViewId.Tasks]));
    for (const w of manifest.contributes.viewsWelcome) assert.ok(views.includes(w.view), w.view);
  });

  it('declares exactly the settings the code reads, with the same defaults', () => {
    const props = manifest.contributes.configuration.properties as Record<string, { default: unknown; description: string }>;
    const inCode = Object.values(SETTINGS);
    assert.deepStrictEqual(sorted(Object.keys(props)), sorted(inCode.map((s) => s.key)));
    for (const s of inCode) {
      assert.deepStrictEqual(props[s.key].default, s.default, s.key);
      assert.ok(props[s.key].description, `${s.key} has a description`);
    }
  });

  it('uses one prefix for every id', () => {
    const ids = [...Object.keys(COMMAND_TITLES), ViewId.Container, ViewId.Tasks, STATUS_BAR_ID, DASHBOARD_VIEW_TYPE, ...Object.values(SETTINGS).map((s) => s.key)];
    for (const id of ids) assert.match(id, /^taskScheduler(\.|$)/, id);
  });

  it('activates on task files, the config, the view and a restored dashboard, and declares limited trust support', () => {
    assert.deepStrictEqual(sorted(manifest.activationEvents), sorted([
      'workspaceContains:**/*.task.ts', 'workspaceContains:.scheduler.yaml', 'workspaceContains:.scheduler.yml', `onView:${ViewId.Tasks}`, `onWebviewPanel:${DASHBOARD_VIEW_TYPE}`,
    ]));
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.strictEqual(manifest.bin['task-scheduler'], './dist/cli.js');
  });

  it('menus and welcome links name only declared commands; when clauses only context keys the code sets', () => {
    const declared = new Set((manifest.contributes.commands as Array<{ command: string }>).map((c) => c.command));
    const menus = Object.values(manifest.contributes.menus ?? {}).flat() as Array<{ command: string; when?: string }>;
    for (const m of menus) assert.ok(declared.has(m.command), `menu entry for undeclared ${m.command}`);
    const links = (manifest.contributes.viewsWelcome as Array<{ contents: string }>).flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)\)/g)].map((x) => x[1]));
    for (const id of links.filter((l) => l.startsWith('taskScheduler.'))) assert.ok(declared.has(id), `welcome link to undeclared ${id}`);
    const whens = [...menus.map((m) => m.when ?? ''), ...(manifest.contributes.viewsWelcome as Array<{ when?: string }>).map((w) => w.when ?? '')];
    const known = new Set<string>(CONTEXT_KEYS);
    for (const when of whens) {
      for (const [key] of when.matchAll(/taskScheduler\.[\w.]+/g)) {
        if (key === ViewId.Tasks) continue; // `view == taskScheduler.tasks`
        assert.ok(known.has(key), `"${when}" uses ${key}, which the code never sets`);
      }
    }
  });

  it('targets a VS Code no newer than code-server 4.100.3 ships (1.100.3)', () => {
    const [major, minor] = manifest.engines.vscode.replace(/^[^\d]*/, '').split('.').map(Number);
    assert.ok(major === 1 && minor <= 100, manifest.engines.vscode);
    assert.ok(!/[\^~]/.test(manifest.devDependencies['@types/vscode']), '@types/vscode pinned to engines.vscode');
  });
});
