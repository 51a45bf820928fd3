// Schedules that are not valid at all ("0 0 30 2 *": February has no 30th, so it would never run), with
// the parser's message at the character, read from the text. Where the engine plans the folder it reports
// these itself; the editor shows these where it does not (an untrusted window), so a mistake is never silent.
import type { Diagnostic } from '../model';
import { validateTaskOptions } from '../options';
import { loadConfig } from '../config';
import { literalOptions, type StaticWorkspace } from './staticWorkspace';
import { scanOptions } from '../tasks/optionPositions';

export function scheduleErrors(ws: StaticWorkspace): Diagnostic[] {
  const out: Diagnostic[] = [];
  const isScheduleError = (d: Diagnostic) => d.severity === 'error' && (d.code === 'schedule.invalid' || /^`schedule/.test(d.message));
  for (const task of ws.tasks) {
    if (!task.scheduleInvalid || task.spec.file === ws.configFile) continue;
    const text = ws.texts.get(task.spec.file);
    if (text === undefined) continue;
    // Validated again with real positions: only for the few files that need them.
    const { options } = literalOptions(text, scanOptions(text));
    const { diagnostics } = validateTaskOptions({ schedule: options.schedule, timezone: options.timezone }, ws.resolver(task.spec.file), task.spec.file, task.id);
    out.push(...diagnostics.filter(isScheduleError));
  }
  if (ws.configFile) {
    const text = ws.texts.get(ws.configFile);
    if (text !== undefined) out.push(...loadConfig(ws.configFile, text).diagnostics.filter(isScheduleError));
  }
  return out;
}
