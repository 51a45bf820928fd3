// Hover on a schedule, a timezone, a task id or an option value in task files and `.scheduler.yaml`: the
// core's words (core/cursor/hover.ts) plus links — Run now (only where tasks may run) and Preview.
import * as vscode from 'vscode';
import { hoverFor } from '../../core/cursor/hover';
import { machineZone } from '../../core/schedule/zone';
import { lastResultText } from '../format';
import { CommandId } from '../ids';
import type { TaskStore } from '../taskStore';
import { atCursor, rangeOf } from './documents';
import type { StaticModel } from './staticModel';

export class ScheduleHoverProvider implements vscode.HoverProvider {
  constructor(private readonly model: StaticModel, private readonly store: TaskStore) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const found = await atCursor(this.model, doc, position, 'hover');
    if (!found) return undefined;
    const now = Date.now();
    const hover = hoverFor(found.target, {
      now, localZone: machineZone(), context: found.context, workspace: found.workspace,
      lastResult: (id) => lastResultText(this.store.find(id, found.folder)?.view.lastRun, now),
    });
    if (!hover) return undefined;
    const md = new vscode.MarkdownString(hover.sections.join('\n\n'), true);
    const links: string[] = [];
    const arg = (value: unknown) => encodeURIComponent(JSON.stringify([value]));
    const task = hover.taskId ? found.workspace?.byId.get(hover.taskId) : undefined;
    // Run now only where something may run: never in an untrusted window (the command would refuse).
    if (task && vscode.workspace.isTrusted && this.store.find(task.id, found.folder)) {
      links.push(`[$(play) Run now](command:${CommandId.RunNow}?${arg({ taskId: task.id, folder: found.folder })} "Run ${task.id} now")`);
    }
    if (hover.previewable) {
      links.push(`[$(calendar) Preview](command:${CommandId.PreviewSchedules}?${arg({ taskId: hover.taskId, folder: found.folder, zone: found.context.zone })} "Preview Schedules")`);
    }
    if (links.length) md.appendMarkdown(`\n\n${links.join(' · ')}`);
    md.isTrusted = { enabledCommands: [CommandId.RunNow, CommandId.PreviewSchedules] };
    return new vscode.Hover(md, rangeOf(doc, found.target.span.outerStart, found.target.span.outerEnd));
  }
}
