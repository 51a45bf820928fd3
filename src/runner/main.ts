// The child-process entry (dist/runner.js). It never imports `vscode`: it runs under plain Node and
// under VS Code's Electron with ELECTRON_RUN_AS_NODE=1. The first argument picks the mode.

const USAGE = 'usage: runner.js <mode> — modes are filled in as the engine lands';

function main(argv: string[]): void {
  const mode = argv[0];
  switch (mode) {
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2));
