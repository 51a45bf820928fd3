// Shared by the in-host test files: the extension's API, the workspace folder, and waiting for things
// that happen asynchronously (a reload after a file changed, a run ending) without fixed sleeps.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskSchedulerApi } from '../../../src/extension/api';
import type { RunRecord } from '../../../src/core/ports';
import { EXTENSION_ID } from '../../../src/extension/ids';

export async function getApi(): Promise<TaskSchedulerApi> {
  const ext = vscode.extensions.getExtension<TaskSchedulerApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

export function folder(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the test workspace is not open');
  return f.uri.fsPath;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns something truthy; fails naming `what` (and the last value) after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(100);
  }
}

const FINAL = new Set(['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'interrupted', 'missed']);

/** The run once it has ended (its final record is in the history). */
export function waitForRun(api: TaskSchedulerApi, runId: string, timeoutMs = 30_000): Promise<RunRecord> {
  return waitFor(`run ${runId} to end`, async () => {
    const run = await api.getRun(runId);
    return run && FINAL.has(run.status) ? run : undefined;
  }, timeoutMs);
}

/** How long a write waits for the watcher before it is written again (see writeAndWait). */
const REWRITE_AFTER_MS = 8_000;

/**
 * Writes a file into the workspace and waits until the extension's tasks satisfy `until` (the file
 * watcher reloaded). Right after the window opens the workbench's watcher may not be live yet and miss
 * a create: the file is then written again, as a user saves again (watcher.test.ts holds the watcher to
 * a single write once the window is up).
 */
export async function writeAndWait(api: TaskSchedulerApi, relative: string, text: string, what: string,
  until: (tasks: Awaited<ReturnType<TaskSchedulerApi['listTasks']>>) => boolean): Promise<void> {
  const file = path.join(folder(), relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    fs.writeFileSync(file, text);
    try {
      await waitFor(what, async () => until(await api.listTasks()), attempt < 4 ? REWRITE_AFTER_MS : 30_000);
      return;
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
}

export async function removeAndWait(api: TaskSchedulerApi, relative: string, taskId: string): Promise<void> {
  fs.rmSync(path.join(folder(), relative), { force: true });
  await waitFor(`${taskId} to be gone`, async () => !(await api.listTasks()).some((t) => t.id === taskId), 30_000);
}

/** Our diagnostics for a file. */
export function problems(file: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === 'Task Scheduler');
}
