// Multi-root: a .code-workspace with two folders, each its own config and tasks. The tree groups tasks
// by folder; a folder added to the workspace file while the window is open gets its own group (and
// scheduler), and one removed loses it.
'use strict';
const fs = require('fs');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, openContainer, manifest } = require('./workbench');

const container = manifest.contributes.viewsContainers.activitybar[0];

function task(name, schedule) {
  return `import { defineTask } from "task-scheduler";\nexport default defineTask({ name: ${JSON.stringify(name)}, schedule: ${JSON.stringify(schedule)}, run() { return 1; } });\n`;
}

function makeWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(cs.ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  for (const [folder, name] of [['second', 'Second folder task'], ['third', 'Third folder task']]) {
    fs.mkdirSync(path.join(dir, folder, 'tasks'), { recursive: true });
    fs.writeFileSync(path.join(dir, folder, 'tasks', `${folder}.task.ts`), task(name, 'hourly'));
  }
  writeWorkspaceFile(dir, ['examples', 'second']);
}

function writeWorkspaceFile(dir, folders) {
  fs.writeFileSync(path.join(dir, 'multi.code-workspace'), JSON.stringify({ folders: folders.map((p) => ({ path: p })) }, null, 2));
}

describe('UI: multi-root workspace', function () {
  this.timeout(180_000);
  const workspace = path.join(cs.ROOT, 'out/ui/multiroot-workspace');
  before(() => makeWorkspace(workspace));
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  const wb = useWorkbench({ workspace, workspaceFile: 'multi.code-workspace' });

  const pane = () => wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header[aria-label="Tasks Section"]') });
  const group = (name) => pane().locator('.monaco-list-row[aria-level="1"]', { has: wb.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
  const taskRow = (name) => pane().locator('.monaco-list-row[aria-level="2"]', { hasText: name });

  it('groups the tasks by folder', async () => {
    await openContainer(wb.page, container.title);
    await group('examples').waitFor({ timeout: 120_000 });
    await group('second').waitFor({ timeout: 60_000 });
    await taskRow('Hello world').waitFor({ timeout: 60_000 });
    await taskRow('Second folder task').waitFor({ timeout: 60_000 });
    await browser.screenshot(wb.page, 'ui-multiroot');
  });

  it('a folder added while the window is open gets its group; a removed one loses it', async () => {
    writeWorkspaceFile(wb.folder, ['examples', 'second', 'third']);
    await group('third').waitFor({ timeout: 60_000 });
    await taskRow('Third folder task').waitFor({ timeout: 60_000 });
    writeWorkspaceFile(wb.folder, ['examples', 'third']);
    await group('second').waitFor({ state: 'detached', timeout: 60_000 });
    await taskRow('Second folder task').waitFor({ state: 'detached', timeout: 10_000 });
  });
});
