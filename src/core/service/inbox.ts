// How a viewer (another window, or the CLI while a window runs the workspace) asks the executor to do
// something: a request file in `<dataDir>/inbox/`, answered by a response file beside it. Files, not a
// socket: both sides already share the data folder, and a request survives the executor restarting.
import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import { readJson, writeJsonAtomic } from './atomicFile';

export type InboxAction =
  | { action: 'runNow'; taskId: string; params?: Record<string, unknown> }
  | { action: 'pause'; taskId: string }
  | { action: 'resume'; taskId: string }
  | { action: 'pauseAll' }
  | { action: 'resumeAll' }
  | { action: 'cancel'; id: string }
  | { action: 'resetRetries'; taskId: string }
  | { action: 'enqueue'; taskId: string; params?: Record<string, unknown>; delay?: number }
  | { action: 'cleanup'; olderThanDays: number }
  | { action: 'resetSchedule'; taskId: string; dryRun?: boolean };

export interface InboxRequest { id: string; from: string; at: number; request: InboxAction }
export interface InboxResponse { id: string; ok: boolean; result?: unknown; error?: string }

/** A request older than this was never answered (no executor ran): dropped rather than acted on late. */
export const REQUEST_TTL_MS = 5 * 60_000;

export function inboxDir(dataDir: string): string {
  return path.join(dataDir, 'inbox');
}

/** Viewer side: post a request and wait for its answer. */
export async function sendRequest(dataDir: string, from: string, request: InboxAction, timeoutMs: number): Promise<InboxResponse> {
  const id = `${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
  const dir = inboxDir(dataDir);
  writeJsonAtomic(path.join(dir, `${id}.request.json`), { id, from, at: Date.now(), request } satisfies InboxRequest);
  const answer = path.join(dir, `${id}.response.json`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = readJson<InboxResponse>(answer);
    if (response) {
      fs.rmSync(answer, { force: true });
      return response;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  fs.rmSync(path.join(dir, `${id}.request.json`), { force: true });
  return { id, ok: false, error: `the executor did not answer within ${Math.round(timeoutMs / 1000)} s` };
}

/** Executor side: take every waiting request, act on it, answer it. */
export async function drainInbox(dataDir: string, now: number, handle: (request: InboxAction) => Promise<unknown> | unknown): Promise<number> {
  const dir = inboxDir(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.request.json')).sort();
  } catch {
    return 0;
  }
  let handled = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const req = readJson<InboxRequest>(file);
    fs.rmSync(file, { force: true });
    if (!req || now - req.at > REQUEST_TTL_MS) continue;
    let response: InboxResponse;
    try {
      response = { id: req.id, ok: true, result: await handle(req.request) };
    } catch (e) {
      response = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    writeJsonAtomic(path.join(dir, `${req.id}.response.json`), response);
    handled++;
  }
  return handled;
}
