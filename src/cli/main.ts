// `task-scheduler` — the headless command line over src/core.
import { CommandTable, stdio } from './commands';

/** The table of commands; each feature adds its rows here. */
export function createCli(): CommandTable {
  return new CommandTable();
}

createCli().run(process.argv.slice(2), stdio).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`task-scheduler: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
