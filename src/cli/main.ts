// `task-scheduler` — the headless command line over src/core.
import { CommandTable, stdio } from './table';
import { listCommand } from './commands/list';
import { nextCommand } from './commands/next';
import { validateCommand } from './commands/validate';
import { runCommand } from './commands/run';
import { cancelCommand, pauseCommand, resetRetriesCommand, resumeCommand, runNowCommand } from './commands/actions';
import { statusCommand } from './commands/status';
import { historyCommand } from './commands/history';
import { cleanupCommand } from './commands/cleanup';
import { initTypesCommand } from './commands/initTypes';
import { resetCommand } from './commands/reset';
import { exportCommand } from './commands/export';

/** The table of commands; each feature adds its row here. */
export function createCli(): CommandTable {
  return new CommandTable()
    .add('list', listCommand)
    .add('validate', validateCommand)
    .add('next', nextCommand)
    .add('run', runCommand)
    .add('run-now', runNowCommand)
    .add('status', statusCommand)
    .add('history', historyCommand)
    .add('pause', pauseCommand)
    .add('resume', resumeCommand)
    .add('cancel', cancelCommand)
    .add('reset-retries', resetRetriesCommand)
    .add('cleanup', cleanupCommand)
    .add('reset', resetCommand)
    .add('export', exportCommand)
    .add('init-types', initTypesCommand);
}

// The core's timers do not keep a process alive (systemClock unrefs them: an editor's host or a finished
// command must not wait for them). While a command is still working, one of its awaits may be such a
// timer (the lease retrying a busy lock): the process must not exit under it, silently and with status 0.
const working = setInterval(() => undefined, 1 << 30);
createCli().run(process.argv.slice(2), stdio).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`task-scheduler: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}).finally(() => clearInterval(working));
