// Runs inside the real extension host: the extension activates and offers what its manifest promises.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'task-scheduler.task-scheduler'; // <publisher>.<name> from package.json

interface Manifest { contributes?: { commands?: { command: string }[] } }

describe('activation', () => {
  let ext: vscode.Extension<{ storageUri?: string }>;

  before(async () => {
    const found = vscode.extensions.getExtension<{ storageUri?: string }>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
    ext = found;
    await ext.activate();
  });

  it('activates', () => {
    assert.strictEqual(ext.isActive, true);
  });

  it('registers every command its package.json declares', async () => {
    const declared = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(declared.filter((c) => !registered.has(c)), [], 'declared but not registered');
  });

  it('has a workspace storage folder for its history', () => {
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the test workspace is not open');
    assert.ok(ext.exports?.storageUri, `storageUri is ${String(ext.exports?.storageUri)}`);
  });
});
