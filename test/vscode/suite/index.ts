// Entry of the in-host suite: VS Code (code-server's workbench, or @vscode/test-electron) loads this
// module inside the real extension host and calls run(); a rejection marks the run failed.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Set by the harness: where to write { passed, failed } so `npm test` can count the tests. */
const STATS_FILE = process.env.TASK_SCHEDULER_TEST_STATS;
/** Which pass this is (test/vscode/host.js): `untrusted` runs only the `*.untrusted.test` files, `trusted` the rest. */
const TRUST = process.env.TASK_SCHEDULER_TEST_TRUST ?? 'trusted';
/** A pass with a harness of its own: `cluster` runs only the `*.cluster.test` files (PostgreSQL and members started by host.js). */
const PASS = process.env.TASK_SCHEDULER_TEST_PASS ?? '';
/** While working on some test files: `TS_HOST_FILES=schedules,trust node test/vscode/host.js` runs only those. */
const ONLY = (process.env.TS_HOST_FILES ?? '').split(',').filter(Boolean);
/** The harness (test/vscode/host.js) echoes the host's console only from this line on. */
export const SUITE_START = '[task-scheduler] in-host suite starts';

export function run(): Promise<void> {
  console.log(SUITE_START);
  // No colours: the output travels through the browser console, where escape codes are noise.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000 });
  const untrusted = (f: string) => f.endsWith('.untrusted.test.js');
  const cluster = (f: string) => f.endsWith('.cluster.test.js');
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && cluster(f) === (PASS === 'cluster')
    && untrusted(f) === (TRUST === 'untrusted'))
    .filter((f) => !ONLY.length || ONLY.some((o) => f.includes(o))).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      if (STATS_FILE) {
        fs.writeFileSync(STATS_FILE, JSON.stringify({ passed: stats?.passes ?? 0, failed: stats?.failures ?? failures }));
      }
      if (failures > 0 || files.length === 0) reject(new Error(files.length ? `${failures} tests failed` : 'no test files'));
      else resolve();
    });
  });
}
