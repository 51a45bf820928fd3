// The `dependsOn` graph over all tasks of a workspace folder: unknown ids, cycles (with their path),
// duplicate ids, and a dependencies-first order. Pure: it runs only once task files are discovered,
// because only then are all ids known; the engine uses the order too.

import type { Diagnostic, TaskSpec } from '../model';
import { didYouMean } from './didYouMean';
import type { Location } from './types';

/**
 * Where to point for task `taskId`: at its `dependsOn[depIndex]` entry, or (depIndex -1) at the
 * task itself. The spec is passed too, for callers that hold two tasks with one id.
 */
export type DependencyLocator = (taskId: string, depIndex: number, spec: TaskSpec) => Location;

export interface DependencyGraph {
  /** Edges to ids no task has: [task id, index in its dependsOn]. */
  unknown: { taskId: string; depIndex: number; missing: string }[];
  /** Each cycle once, as a path that starts and ends with the same id: `['a', 'b', 'a']`. */
  cycles: string[][];
  /** Ids in an order where every task comes after what it depends on; tasks on a cycle are left out. */
  order: string[];
}

/** Unknown ids, cycles and order, all deterministic (ids sorted), so messages do not flicker between reloads. */
export function analyzeDependencies(specs: readonly TaskSpec[]): DependencyGraph {
  const ids = [...new Set(specs.map((s) => s.id))].sort();
  const known = new Set(ids);
  const edges = new Map<string, string[]>(ids.map((id) => [id, []]));
  const unknown: DependencyGraph['unknown'] = [];
  for (const spec of specs) {
    spec.dependsOn.forEach((dep, depIndex) => {
      if (!known.has(dep.task)) unknown.push({ taskId: spec.id, depIndex, missing: dep.task });
      else if (!edges.get(spec.id)!.includes(dep.task)) edges.get(spec.id)!.push(dep.task);
    });
  }
  for (const targets of edges.values()) targets.sort();
  const cycles = findCycles(ids, edges);
  const onCycle = new Set(cycles.flat());
  // Strongly connected parts larger than the cycle reported hold more tasks that cannot be ordered.
  for (const component of stronglyConnected(ids, edges)) if (component.length > 1) component.forEach((id) => onCycle.add(id));
  return { unknown, cycles, order: topologicalOrder(ids, edges, onCycle) };
}

/** The engine's view: dependencies first; tasks on a cycle, and those that wait on them, are absent. */
export function dependencyOrder(specs: readonly TaskSpec[]): string[] {
  return analyzeDependencies(specs).order;
}

/**
 * Diagnostics for the graph: a dependency on an id no task has (with "did you mean"), and each
 * cycle once, as `a → b → c → a`, at the first edge of the cycle. Both are errors of the task
 * they are reported on: it cannot be run as written.
 */
export function checkDependencies(specs: readonly TaskSpec[], positionOf: DependencyLocator): Diagnostic[] {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const ids = [...byId.keys()];
  const graph = analyzeDependencies(specs);
  const out: Diagnostic[] = [];
  for (const { taskId, depIndex, missing } of graph.unknown) {
    const near = didYouMean(missing, ids.filter((id) => id !== taskId));
    const hint = near ? `; did you mean \`${near}\`?` : '';
    out.push({
      ...positionOf(taskId, depIndex, byId.get(taskId)!), severity: 'error', code: 'dependency.unknown', taskId,
      message: `\`dependsOn\` names \`${missing}\`, but no task has that id${hint}`,
    });
  }
  for (const cycle of graph.cycles) {
    const [from, to] = cycle;
    const spec = byId.get(from)!;
    const depIndex = spec.dependsOn.findIndex((d) => d.task === to);
    const message = cycle.length === 2
      ? `\`${from}\` depends on itself`
      : `dependency cycle: ${cycle.join(' → ')}; a task cannot wait for itself`;
    out.push({ ...positionOf(from, depIndex, spec), severity: 'error', code: 'dependency.cycle', taskId: from, message });
  }
  return out;
}

/** A second task with an id already taken (a job named like a task file); reported at the second. */
export function checkDuplicateIds(specs: readonly TaskSpec[], positionOf: DependencyLocator): Diagnostic[] {
  const first = new Map<string, TaskSpec>();
  const out: Diagnostic[] = [];
  for (const spec of specs) {
    const earlier = first.get(spec.id);
    if (!earlier) { first.set(spec.id, spec); continue; }
    out.push({
      ...positionOf(spec.id, -1, spec), severity: 'error', code: 'task.duplicate-id', taskId: spec.id,
      message: `task id \`${spec.id}\` is already used by ${earlier.file}; rename one of them`,
    });
  }
  return out;
}

/** One cycle per strongly connected part (plus self-loops), starting at its smallest id. */
function findCycles(ids: readonly string[], edges: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnected(ids, edges)) {
    const members = new Set(component);
    const startId = [...component].sort()[0];
    if (component.length === 1 && !edges.get(startId)!.includes(startId)) continue;
    const path = shortestCycle(startId, edges, members);
    if (path) cycles.push(path);
  }
  return cycles.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Breadth-first from `start` back to it inside one component: the shortest cycle through `start`. */
function shortestCycle(start: string, edges: Map<string, string[]>, members: Set<string>): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const next of edges.get(node)!) {
      if (!members.has(next)) continue;
      if (next === start) {
        const chain: string[] = []; // node, its predecessor, … back to start's successor
        for (let at: string | undefined = node; at !== start && at !== undefined; at = previous.get(at)) chain.push(at);
        return [start, ...chain.reverse(), start];
      }
      if (!previous.has(next) && next !== start) { previous.set(next, node); queue.push(next); }
    }
  }
  return undefined;
}

/** Tarjan's strongly connected components, iterative so a long chain cannot overflow the stack. */
function stronglyConnected(ids: readonly string[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter); low.set(root, counter); counter++;
    stack.push(root); onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const targets = edges.get(frame.id)!;
      if (frame.next < targets.length) {
        const to = targets[frame.next++];
        if (!index.has(to)) {
          index.set(to, counter); low.set(to, counter); counter++;
          stack.push(to); onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) { const parent = work[work.length - 1].id; low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!)); }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let id: string;
        do { id = stack.pop()!; onStack.delete(id); component.push(id); } while (id !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}

/** Kahn's algorithm, smallest ready id first; a task waiting (directly or not) on a cycle never becomes ready. */
function topologicalOrder(ids: readonly string[], edges: Map<string, string[]>, excluded: Set<string>): string[] {
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    waiting.set(id, excluded.has(id) ? Infinity : edges.get(id)!.length);
    for (const dep of edges.get(id)!) dependents.get(dep)!.push(id);
  }
  const ready = ids.filter((id) => waiting.get(id) === 0);
  const order: string[] = [];
  while (ready.length) {
    ready.sort();
    const id = ready.shift()!;
    order.push(id);
    for (const dependent of dependents.get(id)!) {
      const left = waiting.get(dependent)! - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return order;
}
