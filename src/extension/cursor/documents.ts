// From an editor position to what the core says is there: the target under the cursor, the task it
// belongs to, the zone its schedule runs in, and the folder's tasks as read from text.
import * as path from 'path';
import * as vscode from 'vscode';
import type { StaticWorkspace } from '../../core/cursor/staticWorkspace';
import { taskFileContext, yamlContext, type TaskContext } from '../../core/cursor/taskContext';
import { taskFileTarget } from '../../core/cursor/taskFileTargets';
import type { CursorMode, CursorTarget } from '../../core/cursor/targets';
import { yamlTarget } from '../../core/cursor/yamlTargets';
import { taskIdOf } from '../../core/tasks/discover';
import { isConfigDocument, type StaticModel } from './staticModel';

/** Task files and the config, on disk (a folder's tasks are read from disk and open editors). */
export const SCHEDULE_DOCUMENTS: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.task.{ts,mts,cts}' },
  { scheme: 'file', pattern: '**/.scheduler.{yaml,yml}' },
];

export interface AtCursor {
  target: CursorTarget;
  context: TaskContext;
  workspace?: StaticWorkspace;
  kind: 'task' | 'yaml';
  folder?: string;
}

export function documentKind(doc: vscode.TextDocument): 'task' | 'yaml' {
  return isConfigDocument(doc.uri) ? 'yaml' : 'task';
}

export async function atCursor(model: StaticModel, doc: vscode.TextDocument, position: vscode.Position, mode: CursorMode): Promise<AtCursor | undefined> {
  const kind = documentKind(doc);
  const text = doc.getText();
  const offset = doc.offsetAt(position);
  const folder = model.folderOf(doc.uri);
  const ownId = kind === 'task' ? (folder ? taskIdOf(folder, doc.uri.fsPath) : path.basename(doc.uri.fsPath).replace(/\.task\.[cm]?ts$/, '')) : undefined;
  const target = kind === 'task' ? taskFileTarget(text, offset, mode, ownId) : yamlTarget(text, offset, mode);
  if (!target) return undefined;
  // The last read is good enough for what other files say; read now only when there is none yet.
  const workspace = folder ? model.peek(folder) ?? await model.get(folder) : undefined;
  const taskId = target.taskId ?? ownId;
  const context = kind === 'task' ? taskFileContext(text, taskId, workspace) : yamlContext(doc.uri.fsPath, text, taskId, workspace);
  return { target, context, workspace, kind, folder };
}

export function rangeOf(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}
