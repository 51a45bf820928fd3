import * as assert from 'assert';
import { parseArgs, flag, has } from '../../src/cli/args';
import { CommandTable } from '../../src/cli/table';

describe('cli arguments', () => {
  it('parses positionals, values, booleans and repeats', () => {
    const a = parseArgs(['next', 'daily at 09:30', '--count', '3', '--json', '--tag=a', '--tag', 'b']);
    assert.deepStrictEqual(a.positionals, ['next', 'daily at 09:30']);
    assert.strictEqual(flag(a, 'count'), '3');
    assert.ok(has(a, 'json'));
    assert.deepStrictEqual(a.flags.get('tag'), ['a', 'b']);
  });

  it('rejects an unknown command with usage and exit 2', async () => {
    let err = '';
    const code = await new CommandTable().run(['frobnicate'], { out: () => {}, err: (t) => { err += t; } });
    assert.strictEqual(code, 2);
    assert.match(err, /unknown command "frobnicate"/);
    assert.match(err, /usage: task-scheduler/);
  });
});

describe('cli help', () => {
  it('`<command> --help` prints the usage and runs nothing', async () => {
    let ran = false;
    let out = '';
    const table = new CommandTable().add('run', { usage: 'run [--tag T]…', summary: 'Execute tasks', run: () => { ran = true; return 0; } });
    const code = await table.run(['run', '--help'], { out: (t) => { out += t; }, err: () => {} });
    assert.strictEqual(code, 0);
    assert.strictEqual(ran, false);
    assert.match(out, /^usage: task-scheduler run \[--tag T\]…/);
  });
});
