// The child-process entry (dist/runner.js). It never imports `vscode`: it runs under plain Node and
// under VS Code's Electron with ELECTRON_RUN_AS_NODE=1. The first argument picks the mode.
import { runDescribeChild } from './describe';
import { RunnerMode } from './protocol';
import { serve } from './serve';

const USAGE = `usage: runner.js ${RunnerMode.serve} | ${RunnerMode.describe} [compiled-task.js…]   (started by the scheduler)`;

function main(argv: string[]): void {
  const mode = argv[0];
  switch (mode) {
    case RunnerMode.serve:
      serve(process);
      break;
    case RunnerMode.describe:
      runDescribeChild(process);
      break;
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2));
