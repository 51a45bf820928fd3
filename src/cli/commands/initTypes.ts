import * as path from 'path';
import type { Command } from '../table';
import type { Args } from '../args';
import { workspaceOf } from '../workspace';
import { ensureTypes } from '../../core/tasks/ensureTypes';

export const initTypesCommand: Command = {
  usage: 'init-types',
  summary: 'Write the `task-scheduler` type declarations into the workspace for editor IntelliSense',
  run(args: Args, io) {
    const folder = workspaceOf(args);
    // The CLI bundle is dist/cli.js; the declarations ship in types/ beside dist/.
    const result = ensureTypes(folder, path.join(__dirname, '..', 'types'));
    if (result.skipped) { io.err(`init-types: ${result.skipped}\n`); return 1; }
    io.out(result.written.length ? `wrote ${result.written.length} file(s) to ${result.dir}\n` : `${result.dir} is up to date\n`);
    return 0;
  },
};
