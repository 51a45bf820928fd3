import type { Command } from '../table';
import type { Args } from '../args';
import { cliService, describeEvent } from '../service';
import { watchFolder } from '../watchFolder';

/** Edits come in bursts (save-all, a git checkout): one reload after the burst. */
const RELOAD_DEBOUNCE_MS = 300;
/** Files whose change can change the plan. */
const WATCHED = /(\.task\.ts|\.ts|\.scheduler\.ya?ml|package\.json)$/;

export const runCommand: Command = {
  usage: 'run [--tag T]…',
  summary: 'Execute the workspace\'s tasks in the foreground until Ctrl-C (or stand by while another process does)',
  async run(args: Args, io) {
    const tags = args.flags.get('tag');
    const service = cliService(args, io, { tags });
    service.onEvent((e) => { const line = describeEvent(e, service.folder); if (line) io.out(`${line}\n`); });
    // Before start: a Ctrl-C during start-up (or right after "executing…") must stop as gracefully as later.
    const stopped = new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        io.out(`received ${signal}: stopping (running tasks are cancelled and recorded interrupted; the next executor retries them by their policy)\n`);
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await service.start();

    let timer: NodeJS.Timeout | undefined;
    const watcher = watchFolder(service.folder, (name) => {
      if (!WATCHED.test(name) || /(^|\/)(node_modules|\.git)\//.test(name)) return;
      clearTimeout(timer);
      timer = setTimeout(() => { void service.reload(); }, RELOAD_DEBOUNCE_MS);
    });

    await stopped;
    watcher.close();
    clearTimeout(timer);
    await service.stop();
    return 0;
  },
};
