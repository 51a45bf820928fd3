// What the executor keeps for a workspace beside its history: the global pause (the engine reports
// it and leaves storing it to its caller, since history holds per-task state only).
import * as path from 'path';
import { readJson, writeJsonAtomic } from './atomicFile';

export interface WorkspaceState {
  pausedAll: boolean;
}

const FILE = 'state.json';

export function readWorkspaceState(dataDir: string): WorkspaceState {
  return { pausedAll: false, ...readJson<Partial<WorkspaceState>>(path.join(dataDir, FILE)) };
}

export function writeWorkspaceState(dataDir: string, state: WorkspaceState): void {
  writeJsonAtomic(path.join(dataDir, FILE), state);
}
