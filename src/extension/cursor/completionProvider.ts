// Completion inside schedules (phrases and cron forms with their words), timezones (IANA zones), dependsOn
// ids and `overrides:` keys (the folder's task ids), and one-word options (their values, each explained).
import * as vscode from 'vscode';
import { completionsFor, insertText, zoneDetail, type CompletionModel } from '../../core/cursor/completion';
import { atCursor, rangeOf } from './documents';
import type { StaticModel } from './staticModel';

/** Quotes open a value; `:` and a space follow a YAML key; `/` goes on inside a task id or zone. */
export const COMPLETION_TRIGGERS = ['"', "'", '`', ':', ' ', '/', '@', '*'];

const KINDS: Record<CompletionModel['kind'], vscode.CompletionItemKind> = {
  schedule: vscode.CompletionItemKind.Event,
  zone: vscode.CompletionItemKind.Constant,
  task: vscode.CompletionItemKind.Reference,
  value: vscode.CompletionItemKind.EnumMember,
};

/** Items whose words are filled in when the list shows them (resolveCompletionItem). */
class ZoneItem extends vscode.CompletionItem {
  constructor(label: string, readonly zone: string) {
    super(label, KINDS.zone);
  }
}

export class ScheduleCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly model: StaticModel) {}

  resolveCompletionItem(item: vscode.CompletionItem): vscode.CompletionItem {
    if (item instanceof ZoneItem && !item.detail) {
      const { detail, documentation } = zoneDetail(item.zone, Date.now());
      item.detail = detail;
      item.documentation = documentation;
    }
    return item;
  }

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionList | undefined> {
    const found = await atCursor(this.model, doc, position, 'completion');
    if (!found) return undefined;
    const { target } = found;
    // The whole value is replaced, whatever part of it was typed: a schedule is one piece of text.
    const range = rangeOf(doc, target.span.start, Math.max(target.span.end, doc.offsetAt(position)));
    const items = completionsFor(target, { now: Date.now(), context: found.context, workspace: found.workspace }).map((m) => {
      const item = m.kind === 'zone' ? new ZoneItem(m.label, m.value) : new vscode.CompletionItem({ label: m.label, description: m.detail }, KINDS[m.kind]);
      item.insertText = insertText(m.value, target, found.kind);
      item.filterText = target.span.quote ? m.value : String(item.insertText);
      item.range = range;
      item.sortText = m.sortText;
      item.detail = m.detail;
      if (m.documentation) item.documentation = new vscode.MarkdownString(m.documentation);
      return item;
    });
    // Typing narrows the list without asking again; a schedule's spaces must not end the word being completed.
    return new vscode.CompletionList(items, false);
  }
}
