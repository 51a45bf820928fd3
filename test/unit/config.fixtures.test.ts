// Every fixture under test/fixtures/config: good ones load without a word; each bad one holds one
// mistake and says on its first line where it is and what the message says (`# expect: L:C text`).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  checkDependencies, checkDuplicateIds, configDependencyLocator, jobSpecs, loadConfig, type LoadedConfig,
} from '../../src/core/config';
import { formatDiagnostic, type Diagnostic } from '../../src/core/model';

export const FIXTURES = path.join(__dirname, '../fixtures/config');
export const fixtures = (kind: 'good' | 'bad') =>
  fs.readdirSync(path.join(FIXTURES, kind)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(FIXTURES, kind, f));

/** Every `.scheduler.yaml` under examples/ (the workspace the README and `npm start` show). */
export function examples(dir = path.join(__dirname, '../../examples')): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : examples(full);
    return /^\.scheduler\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

/** What `validate` reports for a folder whose only tasks are the config's jobs. */
function check(file: string): { loaded: LoadedConfig; diagnostics: Diagnostic[] } {
  const loaded = loadConfig(file, fs.readFileSync(file, 'utf8'));
  const specs = jobSpecs(loaded.config, file, path.dirname(file));
  const locate = configDependencyLocator(loaded, (_id, _i, spec) => ({ file: spec.file, line: 1, column: 1 }));
  return { loaded, diagnostics: [...loaded.diagnostics, ...checkDuplicateIds(specs, locate), ...checkDependencies(specs, locate)] };
}

describe('config: fixtures', () => {
  it('has fixtures to check', () => {
    assert.ok(fixtures('good').length >= 5, 'good fixtures');
    assert.ok(fixtures('bad').length >= 30, 'bad fixtures');
  });

  for (const file of fixtures('good')) {
    it(`good/${path.basename(file)} loads without diagnostics`, () => {
      const { diagnostics } = check(file);
      assert.deepStrictEqual(diagnostics.map((d) => formatDiagnostic(d, FIXTURES)), []);
    });
  }

  for (const file of examples()) {
    it(`${path.relative(path.join(__dirname, '../..'), file)} loads without diagnostics`, () => {
      const loaded = loadConfig(file, fs.readFileSync(file, 'utf8'));
      assert.deepStrictEqual(loaded.diagnostics.map((d) => formatDiagnostic(d)), []);
    });
  }

  for (const file of fixtures('bad')) {
    it(`bad/${path.basename(file)} gives exactly its one expected diagnostic`, () => {
      const first = fs.readFileSync(file, 'utf8').split('\n')[0];
      const m = /^# expect: (\d+):(\d+) (.+)$/.exec(first);
      assert.ok(m, `first line must be "# expect: LINE:COL message": ${first}`);
      const { diagnostics } = check(file);
      const shown = diagnostics.map((d) => formatDiagnostic(d, FIXTURES));
      assert.strictEqual(diagnostics.length, 1, `one mistake, one diagnostic:\n${shown.join('\n')}`);
      const [d] = diagnostics;
      assert.deepStrictEqual([d.line, d.column], [Number(m[1]), Number(m[2])], shown[0]);
      assert.ok(d.message.includes(m[3]), `message of ${shown[0]}\n should contain: ${m[3]}`);
      assert.strictEqual(d.file, file);
    });
  }

  it('keeps the jobs of the good fixtures', () => {
    const { loaded } = check(path.join(FIXTURES, 'good/full.yaml'));
    assert.deepStrictEqual(Object.keys(loaded.config.jobs), ['fetch-data', 'cleanup-tmp', 'format-all', 'build']);
    const anchors = check(path.join(FIXTURES, 'good/anchors.yaml')).loaded.config.jobs;
    assert.deepStrictEqual(anchors['rotate-logs'].schedule, ['daily at 02:30']);
    assert.deepStrictEqual(anchors.vacuum, {
      kind: 'command', command: "psql -c 'VACUUM ANALYZE'", schedule: ['daily at 02:00'], timezone: 'America/New_York', retries: { max: 2 },
    });
  });
});
