// The quick, bounded form of every reliability check under test/chaos (full counts: npm run test:chaos),
// but those that need code-server: they run in the UI stage (test/vscode/ui/chaos.ui.js).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ChaosCheck } from '../chaos/check';

const dir = path.join(__dirname, '../chaos');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.chaos.ts')).sort();

describe('reliability battery (quick form)', () => {
  for (const f of files) {
    const { check } = require(path.join(dir, f)) as { check: ChaosCheck };
    if (check.needsCodeServer) continue;
    it(`${check.name}`, async function () {
      const why = check.unavailable?.();
      if (why) {
        console.log(`      skipped: ${why}`);
        this.skip();
      }
      this.timeout(check.quickTimeoutMs);
      const result = await check.run({ full: false, log: () => undefined });
      console.log(`      ${result.line}`);
      assert.ok(result.ok, result.line);
    });
  }
});
