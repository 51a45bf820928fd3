import * as assert from 'assert';
import { taskFilePositions } from '../../src/core/tasks/optionPositions';

const at = (source: string) => taskFilePositions(source);

describe('tasks: option positions in a task file', () => {
  const source = [
    'import { defineTask } from "task-scheduler";', //   1
    '// schedule: "not this one"', //                    2
    'export default defineTask({', //                    3
    '  name: "x, {y}", /* overlap: no */', //            4
    '  "schedule": ["daily at 01:00", `every ${5} minutes`],', // 5
    '  retries: { max: 3, delay: "30s" },', //           6
    '  dependsOn: [{ task: "a", on: "sucess" }],', //    7
    '  when: (ctx) => ctx.params.x > (1, 2),', //        8
    '  async run(ctx) {', //                             9
    '    return { overlap: 1 };', //                     10
    '  },', //                                           11
    '  overlap,', //                                     12
    '});', //                                            13
  ].join('\n');

  it('finds a value by its path, skipping comments and strings', () => {
    assert.deepStrictEqual(at(source)(['name']), { line: 4, column: 9, endLine: 4, endColumn: 17 });
    assert.deepStrictEqual(at(source)(['schedule', 1]), { line: 5, column: 34, endLine: 5, endColumn: 54 });
    assert.deepStrictEqual(at(source)(['retries', 'delay']), { line: 6, column: 29, endLine: 6, endColumn: 34 });
    assert.deepStrictEqual(at(source)(['dependsOn', 0, 'on']), { line: 7, column: 32, endLine: 7, endColumn: 40 });
  });

  it('finds a key when asked for the key', () => {
    assert.deepStrictEqual(at(source)(['schedule'], { key: true }), { line: 5, column: 3, endLine: 5, endColumn: 13 });
    assert.deepStrictEqual(at(source)(['run'], { key: true }), { line: 9, column: 9, endLine: 9, endColumn: 12 });
    assert.deepStrictEqual(at(source)(['overlap'], { key: true }), { line: 12, column: 3, endLine: 12, endColumn: 10 });
  });

  it('points inside a string at an offset', () => {
    assert.deepStrictEqual(at(source)(['schedule', 0], { offset: 6, length: 2 }), { line: 5, column: 23, endLine: 5, endColumn: 25 });
  });

  it('falls back to the nearest enclosing place, then the object, then line 1', () => {
    assert.deepStrictEqual(at(source)(['retries', 'jitter']), { line: 6, column: 12, endLine: 6, endColumn: 36 });
    assert.deepStrictEqual(at(source)(['unknown']), { line: 3, column: 27, endLine: 3, endColumn: 28 });
    assert.deepStrictEqual(at('export default make();')(['schedule']), { line: 1, column: 1 });
  });

  it('follows `export default name` and module.exports to the object', () => {
    const viaConst = 'const options: any = {\n  overlap: "sometimes",\n};\nexport default options;\n';
    assert.deepStrictEqual(at(viaConst)(['overlap']), { line: 2, column: 12, endLine: 2, endColumn: 23 });
    const cjs = 'module.exports = {\n  schedule: 5,\n};\n';
    assert.deepStrictEqual(at(cjs)(['schedule']), { line: 2, column: 13, endLine: 2, endColumn: 14 });
    const plain = 'export default {\n  schedule: "x",\n  run() {},\n};\n';
    assert.deepStrictEqual(at(plain)(['schedule']), { line: 2, column: 13, endLine: 2, endColumn: 16 });
  });
});
