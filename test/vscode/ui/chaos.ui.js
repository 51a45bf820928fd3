// The quick form of the reliability checks that drive code-server and Chromium themselves (two real
// extension hosts on one folder); the others run in the unit stage (test/unit/chaos.test.ts).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

require('../../register');
const dir = path.join(__dirname, '../../chaos');

describe('reliability battery (quick form, in code-server)', () => {
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.chaos.ts')).sort()) {
    const { check } = require(path.join(dir, f));
    if (!check.needsCodeServer) continue;
    it(check.name, async function () {
      this.timeout(check.quickTimeoutMs);
      const result = await check.run({ full: false, log: (l) => console.log(`      ${l}`) });
      console.log(`      ${result.line}`);
      assert.ok(result.ok, result.line);
    });
  }
});
