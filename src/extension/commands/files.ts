// Commands that open or create files: New Task… (from a template), Open Config (created with a
// commented skeleton when missing), Open Task File (a YAML job opens at its entry).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_SKELETON, checkTaskName, displayName, TASK_TEMPLATES } from '../taskTemplates';
import { resolveFolder, resolveTask, type CommandDeps, type TaskArg } from './deps';

const CONFIG_NAMES = ['.scheduler.yaml', '.scheduler.yml'];

export interface NewTaskOptions {
  /** A TASK_TEMPLATES id. */
  template?: string;
  /** Workspace-relative path without `.task.ts`, e.g. `tasks/nightly-backup`. */
  name?: string;
  /** The workspace folder's path. */
  folder?: string;
}

/** Asks template, name and folder (each skipped when given), writes the file and opens it. Returns its Uri. */
export async function newTask(_deps: CommandDeps, options: NewTaskOptions = {}): Promise<vscode.Uri | undefined> {
  let template = TASK_TEMPLATES.find((t) => t.id === options.template);
  if (options.template && !template) throw new Error(`no task template "${options.template}" (there are ${TASK_TEMPLATES.map((t) => t.id).join(', ')})`);
  if (!template) {
    const picked = await vscode.window.showQuickPick(TASK_TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })),
      { title: 'Task Scheduler: New Task', placeHolder: 'Start from' });
    if (!picked) return undefined;
    template = picked.template;
  }
  let name = options.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'Task Scheduler: New Task',
      prompt: 'The task file\'s path in the folder, without .task.ts (its id)',
      value: `tasks/${template.id}`,
      validateInput: (v) => checkTaskName(v),
    });
    if (name === undefined) return undefined;
  }
  const problem = checkTaskName(name);
  if (problem) throw new Error(`"${name}": ${problem}`);
  const folder = await resolveFolder(options.folder, 'The folder for the new task');
  if (!folder) return undefined;
  const relative = name.trim().replace(/\.task\.ts$/, '');
  const file = path.join(folder.uri.fsPath, `${relative}.task.ts`);
  if (fs.existsSync(file)) throw new Error(`${path.relative(folder.uri.fsPath, file)} exists already`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, template.text(displayName(relative)), { flag: 'wx' });
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri);
  return uri;
}

/** Opens the folder's `.scheduler.yaml`, writing a commented skeleton first when there is none. */
export async function openConfig(_deps: CommandDeps, folderArg?: string): Promise<vscode.Uri | undefined> {
  const folder = await resolveFolder(folderArg, 'Open the config of');
  if (!folder) return undefined;
  const existing = CONFIG_NAMES.map((n) => path.join(folder.uri.fsPath, n)).find((f) => fs.existsSync(f));
  const file = existing ?? path.join(folder.uri.fsPath, CONFIG_NAMES[0]);
  if (!existing) fs.writeFileSync(file, CONFIG_SKELETON, { flag: 'wx' });
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri);
  return uri;
}

/** Opens the file that defines a task; a YAML job at its key under `jobs:`. */
export async function openTaskFile(deps: CommandDeps, arg?: TaskArg): Promise<vscode.Uri | undefined> {
  const entry = await resolveTask(deps, arg, 'Open Task File');
  if (!entry) return undefined;
  const uri = vscode.Uri.file(entry.view.file);
  const doc = await vscode.workspace.openTextDocument(uri);
  let selection: vscode.Range | undefined;
  if (!entry.view.file.endsWith('.task.ts')) {
    const key = new RegExp(`^\\s+["']?${entry.view.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`);
    for (let line = 0; line < doc.lineCount; line++) {
      if (key.test(doc.lineAt(line).text)) { selection = doc.lineAt(line).range; break; }
    }
  }
  await vscode.window.showTextDocument(doc, { selection });
  return uri;
}
