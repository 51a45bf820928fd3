// Which member ran a run, in words: "web-1 (pid 4242)". From the run's executor id (`host:pid:random`,
// core/lease); no `vscode` import.
import { parseOwnerId } from '../core/lease/lease';

export function whoRan(executor: string | undefined): string | undefined {
  if (!executor) return undefined;
  const parts = parseOwnerId(executor);
  return parts ? `${parts.host} (pid ${parts.pid})` : executor;
}

/** The host alone, for short places (a tree row's description). */
export function hostOf(executor: string | undefined): string | undefined {
  if (!executor) return undefined;
  return parseOwnerId(executor)?.host ?? executor;
}
