// `dependsOn` as waves. A run of a task that others depend on (and that is not itself part of a wave)
// starts a wave: the task and everything downstream of it. A dependent fires in that wave once every
// one of its dependencies *that belong to the wave* has finished for good (retries included); it fires
// if each finished with the required outcome, else it is skipped with the reason. Dependencies outside
// the wave (not downstream of the root) are not waited for. Each task is decided at most once per
// wave, so a cycle that slipped past validation cannot loop.
import type { Dependency, DependencyOutcome, RunStatus } from '../model';

/** A dependency's end in a wave; `not-run` = it was paused, disabled or filtered out. */
export type WaveStatus = RunStatus | 'not-run';

export type WaveDecision = { taskId: string; fire: true } | { taskId: string; fire: false; reason: string };

/** Waves whose last member never reports (a run lost at shutdown) are dropped beyond this many. */
export const MAX_WAVES = 1_000;

export class DependencyGraph {
  private readonly dependents = new Map<string, string[]>();

  constructor(private readonly deps: ReadonlyMap<string, readonly Dependency[]>) {
    for (const [taskId, list] of deps) {
      for (const d of list) {
        const arr = this.dependents.get(d.task) ?? [];
        if (!arr.includes(taskId)) arr.push(taskId);
        this.dependents.set(d.task, arr);
      }
    }
  }

  dependentsOf(taskId: string): readonly string[] {
    return this.dependents.get(taskId) ?? [];
  }

  dependenciesOf(taskId: string): readonly Dependency[] {
    return this.deps.get(taskId) ?? [];
  }

  /** The task and everything that depends on it, directly or not. */
  downstream(root: string): Set<string> {
    const seen = new Set<string>([root]);
    const todo = [root];
    while (todo.length) {
      for (const d of this.dependentsOf(todo.pop()!)) if (!seen.has(d)) { seen.add(d); todo.push(d); }
    }
    return seen;
  }
}

interface Wave {
  members: Set<string>;
  results: Map<string, WaveStatus>;
  decided: Set<string>;
}

export class Waves {
  private readonly waves = new Map<number, Wave>();
  private nextId = 1;

  constructor(private readonly graph: () => DependencyGraph) {}

  /** A wave rooted at `taskId`, or undefined when nothing depends on it. */
  start(taskId: string): number | undefined {
    if (this.graph().dependentsOf(taskId).length === 0) return undefined;
    const id = this.nextId++;
    this.waves.set(id, { members: this.graph().downstream(taskId), results: new Map(), decided: new Set([taskId]) });
    if (this.waves.size > MAX_WAVES) this.waves.delete(this.waves.keys().next().value!);
    return id;
  }

  /** `taskId` finished for good in the wave: which of its dependents fire now, and which are skipped. */
  finished(waveId: number, taskId: string, status: WaveStatus): WaveDecision[] {
    const wave = this.waves.get(waveId);
    if (!wave) return [];
    wave.results.set(taskId, status);
    const graph = this.graph();
    const out: WaveDecision[] = [];
    for (const dependent of graph.dependentsOf(taskId)) {
      if (!wave.members.has(dependent) || wave.decided.has(dependent)) continue;
      const inWave = graph.dependenciesOf(dependent).filter((d) => wave.members.has(d.task));
      if (inWave.some((d) => !wave.results.has(d.task))) continue;
      wave.decided.add(dependent);
      const unmet = inWave.find((d) => !satisfies(d.on, wave.results.get(d.task)!));
      out.push(unmet
        ? { taskId: dependent, fire: false, reason: unmetReason(unmet, wave.results.get(unmet.task)!) }
        : { taskId: dependent, fire: true });
    }
    if (wave.results.size >= wave.members.size) this.waves.delete(waveId);
    return out;
  }

  clear(): void {
    this.waves.clear();
  }
}

const FAILED: ReadonlySet<WaveStatus> = new Set(['failed', 'timed-out', 'interrupted']);

export function satisfies(on: DependencyOutcome, status: WaveStatus): boolean {
  if (on === 'success') return status === 'succeeded';
  if (on === 'failure') return FAILED.has(status);
  return status === 'succeeded' || FAILED.has(status);
}

function unmetReason(dep: Dependency, status: WaveStatus): string {
  const what: Record<WaveStatus, string> = {
    succeeded: 'succeeded', failed: 'failed', 'timed-out': 'timed out', interrupted: 'was interrupted',
    cancelled: 'was cancelled', skipped: 'was skipped', missed: 'was missed', queued: 'is still queued',
    running: 'is still running', 'not-run': 'did not run',
  };
  const needs = dep.on === 'success' ? '' : dep.on === 'failure' ? ' (runs only on its failure)' : '';
  return `dependency ${dep.task} ${what[status]}${needs}`;
}
