// The trusted side of the untrusted pass's check: the same sentinel task, in a trusted workspace, does
// leave both its files — so their absence there means something.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/extension/ids';
import { folder, getApi, removeAndWait, waitFor } from './helpers';

describe('trusted workspace', function () {
  this.timeout(60_000);

  it('is trusted in this pass, and the sentinel task is imported and run as soon as it appears', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, true);
    const api = await getApi();
    await api.ready();
    const source = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test/vscode/fixtures/sentinel.task.fixture.ts');
    const ws = folder();
    const files = ['SENTINEL-IMPORTED', 'SENTINEL-RAN'].map((f) => path.join(ws, f));
    try {
      fs.copyFileSync(source, path.join(ws, 'tasks/sentinel.task.ts'));
      await waitFor('the sentinel to be imported and run', () => files.every((f) => fs.existsSync(f)), 30_000);
    } finally {
      await removeAndWait(api, 'tasks/sentinel.task.ts', 'tasks/sentinel');
      for (const f of files) fs.rmSync(f, { force: true });
    }
  });
});
