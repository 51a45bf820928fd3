// A mocha reporter for `npm test`'s plain-Node stage: mocha's spec output, plus { passed, failed }
// written to $TS_STATS_FILE at the end, so test/run-all.js counts tests without parsing text.
'use strict';
const fs = require('fs');
const Mocha = require('mocha');

class StatsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.TS_STATS_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify({ passed: this.stats.passes, failed: this.stats.failures }));
    });
  }
}

module.exports = StatsReporter;
