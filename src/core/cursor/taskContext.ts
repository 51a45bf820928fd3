// Which task a place in a file belongs to and the zone its schedule runs in, from the text being edited
// (unsaved changes included) and the workspace's other files: an override's `timezone` wins over the
// task's own, which wins over the config's top-level one; none means the machine's zone.
import { loadConfig, ownValue } from '../config';
import type { SchedulerConfig } from '../config/types';
import { isValidTimezone } from '../schedule';
import { machineZone } from '../schedule/zone';
import { scanOptions } from '../tasks/optionPositions';
import { readStringAt } from './literal';
import type { StaticTask, StaticWorkspace } from './staticWorkspace';

export interface TaskContext {
  /** The task's id, when the place belongs to one. */
  taskId?: string;
  /** The IANA zone its schedule runs in. */
  zone: string;
  /** Where the zone comes from, for people: "the task", "overrides in .scheduler.yaml", "timezone in .scheduler.yaml", "this machine". */
  zoneFrom: string;
  /** The task as last read from the workspace (other files may matter: overrides, dependencies). */
  task?: StaticTask;
}

/** Context of a place in a task file, whose current text is `source`. */
export function taskFileContext(source: string, taskId: string | undefined, ws: StaticWorkspace | undefined): TaskContext {
  const place = scanOptions(source).get('timezone');
  const own = place ? readStringAt(source, place.valueStart, place.valueEnd) : undefined;
  return resolve(ws?.config, taskId, own, ws);
}

/** Context of a place in `.scheduler.yaml`, whose current text is `text` (it may differ from what `ws` read). */
export function yamlContext(file: string, text: string, taskId: string | undefined, ws: StaticWorkspace | undefined): TaskContext {
  const config = loadConfig(file, text).config;
  const job = taskId ? ownValue(config.jobs, taskId) : undefined;
  return resolve(config, taskId, job ? job.timezone : taskId ? taskFileZone(ws, taskId) : undefined, ws);
}

/** The `timezone` a task file writes itself, as last read. */
function taskFileZone(ws: StaticWorkspace | undefined, taskId: string): string | undefined {
  const file = ws?.byId.get(taskId)?.spec.file;
  const source = file && file !== ws!.configFile ? ws!.texts.get(file) : undefined;
  const place = source === undefined ? undefined : scanOptions(source).get('timezone');
  return place ? readStringAt(source!, place.valueStart, place.valueEnd) : undefined;
}

function resolve(config: SchedulerConfig | undefined, taskId: string | undefined, own: string | undefined, ws: StaticWorkspace | undefined): TaskContext {
  const task = taskId ? ws?.byId.get(taskId) : undefined;
  const override = taskId && config ? ownValue(config.overrides, taskId)?.timezone : undefined;
  const pick: Array<[string | undefined, string]> = [
    [override, 'overrides in .scheduler.yaml'], [own, 'the task'], [config?.timezone, 'timezone in .scheduler.yaml'],
  ];
  for (const [zone, from] of pick) if (zone && isValidTimezone(zone)) return { taskId, zone, zoneFrom: from, task };
  return { taskId, zone: machineZone(), zoneFrom: 'this machine', task };
}
