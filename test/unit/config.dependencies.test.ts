import * as assert from 'assert';
import {
  analyzeDependencies, checkDependencies, checkDuplicateIds, checkOverrideTargets, configDependencyLocator, dependencyOrder,
  jobSpecs, loadConfig, type DependencyLocator,
} from '../../src/core/config';
import type { DependencyOutcome, TaskSpec } from '../../src/core/model';
import { resolveTaskSpec } from '../../src/core/options';

/** A spec with only what the graph reads; `deps` as `id` or `id:on`. */
function task(id: string, ...deps: string[]): TaskSpec {
  const dependsOn = deps.map((d) => { const [t, on] = d.split(':'); return { task: t, on: (on ?? 'success') as DependencyOutcome }; });
  return resolveTaskSpec(id, 'module', `/ws/${id}.task.ts`, '/ws', { dependsOn });
}
/** Points at line = index of the task in the list, column = dependency index + 1. */
const locator = (specs: TaskSpec[]): DependencyLocator => (id, depIndex, spec) =>
  ({ file: spec.file, line: specs.indexOf(spec) + 1, column: depIndex + 1 });

describe('config: the dependsOn graph', () => {
  it('orders a chain dependencies-first, ties by id', () => {
    const specs = [task('report', 'process'), task('process', 'fetch'), task('fetch'), task('audit'), task('zeta', 'fetch')];
    assert.deepStrictEqual(dependencyOrder(specs), ['audit', 'fetch', 'process', 'report', 'zeta']);
    assert.deepStrictEqual(checkDependencies(specs, locator(specs)), []);
  });

  it('orders a diamond with each task after all it waits for', () => {
    const specs = [task('d', 'b', 'c'), task('b', 'a'), task('c', 'a'), task('a')];
    const order = dependencyOrder(specs);
    assert.deepStrictEqual(order, ['a', 'b', 'c', 'd']);
  });

  it('reports an unknown id at its entry, with the nearest id', () => {
    const specs = [task('fetch-data'), task('process', 'fetch-dta', 'nothing-like-it')];
    const ds = checkDependencies(specs, locator(specs));
    assert.deepStrictEqual(ds.map((d) => [d.line, d.column, d.severity, d.code, d.taskId, d.message]), [
      [2, 1, 'error', 'dependency.unknown', 'process', '`dependsOn` names `fetch-dta`, but no task has that id; did you mean `fetch-data`?'],
      [2, 2, 'error', 'dependency.unknown', 'process', '`dependsOn` names `nothing-like-it`, but no task has that id'],
    ]);
  });

  it('reports a cycle once, with its path, at the edge that starts it', () => {
    const specs = [task('c', 'a'), task('a', 'x', 'b'), task('b', 'c'), task('x'), task('after', 'c')];
    const ds = checkDependencies(specs, locator(specs));
    assert.deepStrictEqual(ds.map((d) => [d.line, d.column, d.code, d.taskId, d.message]), [
      [2, 2, 'dependency.cycle', 'a', 'dependency cycle: a → b → c → a; a task cannot wait for itself'],
    ]);
    assert.deepStrictEqual(analyzeDependencies(specs).order, ['x'], 'tasks on the cycle, and those waiting on it, cannot be ordered');
  });

  it('reports a task that depends on itself', () => {
    const specs = [task('loop', 'loop')];
    assert.deepStrictEqual(checkDependencies(specs, locator(specs)).map((d) => d.message), ['`loop` depends on itself']);
  });

  it('reports each separate cycle, and one path per tangle', () => {
    const specs = [task('a', 'b'), task('b', 'a', 'c'), task('c', 'a'), task('p', 'q'), task('q', 'p')];
    const { cycles } = analyzeDependencies(specs);
    assert.deepStrictEqual(cycles, [['a', 'b', 'a'], ['p', 'q', 'p']]);
  });

  it('handles a chain of 10,000 tasks without deep recursion', () => {
    const specs = Array.from({ length: 10_000 }, (_, i) => task(`t${String(i).padStart(5, '0')}`, ...(i ? [`t${String(i - 1).padStart(5, '0')}`] : [])));
    specs.push(task('t00000-loop', 't09999'));
    specs[0].dependsOn.push({ task: 't00000-loop', on: 'success' });
    const { cycles, order } = analyzeDependencies(specs);
    assert.strictEqual(cycles.length, 1);
    assert.strictEqual(cycles[0].length, 10_002);
    assert.deepStrictEqual(order, []);
  });

  it('reports a second task with an id already taken', () => {
    const a = task('cleanup');
    const b = resolveTaskSpec('cleanup', 'command', '/ws/.scheduler.yaml', '/ws', { command: 'x' });
    const ds = checkDuplicateIds([a, b], locator([a, b]));
    assert.deepStrictEqual(ds.map((d) => [d.line, d.column, d.file, d.message]), [
      [2, 0, '/ws/.scheduler.yaml', 'task id `cleanup` is already used by /ws/cleanup.task.ts; rename one of them'],
    ]);
  });
});

describe('config: checks after discovery, pointing into .scheduler.yaml', () => {
  const FILE = '/ws/.scheduler.yaml';
  const loaded = loadConfig(FILE, [
    'overrides:',
    '  scripts/report: { dependsOn: [fetch, missing, scripts/prepare] }',
    '  scripts/reprot: { enabled: false }',
    'jobs:',
    '  fetch: { command: "curl -o data.json https://example.invalid" }',
    '  process:',
    '    command: "node process.js"',
    '    dependsOn: [fetch, scripts/report]',
    '  scripts/prepare: { command: x, dependsOn: process }',
  ].join('\n'));

  it('points dependency errors at the YAML entry, and elsewhere asks the task file', () => {
    const report = resolveTaskSpec('scripts/report', 'module', '/ws/scripts/report.task.ts', '/ws',
      { dependsOn: [{ task: 'scripts/prepare', on: 'success' }] }, loaded.config.defaults, loaded.config.overrides['scripts/report']);
    const specs = [...jobSpecs(loaded.config, FILE, '/ws'), report];
    const fromTaskFile: DependencyLocator = (_id, depIndex, spec) => ({ file: spec.file, line: 99, column: depIndex + 1 });
    const ds = checkDependencies(specs, configDependencyLocator(loaded, fromTaskFile));
    assert.deepStrictEqual(ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`), [
      `${FILE}:2:40 \`dependsOn\` names \`missing\`, but no task has that id`,
      `${FILE}:8:24 dependency cycle: process → scripts/report → scripts/prepare → process; a task cannot wait for itself`,
    ]);
    const plain = resolveTaskSpec('solo', 'module', '/ws/solo.task.ts', '/ws', { dependsOn: [{ task: 'nope', on: 'success' }] });
    const [d] = checkDependencies([plain], configDependencyLocator(loaded, fromTaskFile));
    assert.deepStrictEqual([d.file, d.line, d.column], ['/ws/solo.task.ts', 99, 1], 'a dependsOn the YAML does not set is the task file\'s');
  });

  it('warns about an override for an id no task has, with the nearest id', () => {
    const ds = checkOverrideTargets(loaded, ['scripts/report', 'fetch', 'process', 'scripts/prepare']);
    assert.deepStrictEqual(ds.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`), [
      '3:3 warning override for `scripts/reprot`, but no task has that id: did you mean `scripts/report`?',
    ]);
  });
});
