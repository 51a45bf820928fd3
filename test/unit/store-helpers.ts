// Shared by the store*.test.ts files: temp data folders, run records, and a look at a folder's files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunRecord } from '../../src/core/ports';
import { createHistory, type CreateHistoryOptions } from '../../src/core/store';
import type { History } from '../../src/core/ports';

const made: string[] = [];

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-store-'));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export function run(id: string, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id, taskId: 'backup', trigger: 'schedule', status: 'succeeded', attempt: 1,
    queuedAt: 1_000, startedAt: 1_010, endedAt: 1_100, exitCode: 0, output: `output of ${id}\n`, ...over,
  };
}

export async function openHistory(dataDir: string, o: Partial<CreateHistoryOptions> = {}): Promise<History> {
  const h = createHistory({ dataDir, ...o });
  await h.open();
  return h;
}

/** name → size and mtime: equal before and after means nothing was written. */
export function folderState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    const st = fs.statSync(path.join(dir, f));
    out[f] = `${st.size}@${st.mtimeMs}`;
  }
  return out;
}

export const ids = (runs: RunRecord[]): string[] => runs.map((r) => r.id);
