// Schedules at the cursor, one entry: hover, completion, inlay hints and warnings in task files and
// `.scheduler.yaml`, and Preview Schedules — all from the text, so they work untrusted, running nothing.
import * as vscode from 'vscode';
import { registerPreview } from '../preview';
import type { TaskStore } from '../taskStore';
import type { Workspaces } from '../workspaces';
import { ScheduleCompletionProvider, COMPLETION_TRIGGERS } from './completionProvider';
import { SCHEDULE_DOCUMENTS } from './documents';
import { ScheduleHoverProvider } from './hoverProvider';
import { ScheduleInlayHints } from './inlayHints';
import { StaticModel } from './staticModel';
import { ScheduleWarnings } from './warnings';

export interface CursorDeps {
  extensionUri: vscode.Uri;
  store: TaskStore;
  workspaces: Workspaces;
  log: (message: string) => void;
}

export function registerScheduleFeatures(deps: CursorDeps): vscode.Disposable[] {
  const model = new StaticModel();
  const hints = new ScheduleInlayHints();
  return [
    model, hints,
    vscode.languages.registerHoverProvider(SCHEDULE_DOCUMENTS, new ScheduleHoverProvider(model, deps.store)),
    vscode.languages.registerCompletionItemProvider(SCHEDULE_DOCUMENTS, new ScheduleCompletionProvider(model), ...COMPLETION_TRIGGERS),
    vscode.languages.registerInlayHintsProvider(SCHEDULE_DOCUMENTS, hints),
    new ScheduleWarnings(model, deps.log),
    ...registerPreview({ extensionUri: deps.extensionUri, model, workspaces: deps.workspaces, log: deps.log }),
  ];
}
