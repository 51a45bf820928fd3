// The CLI's commands, one table. Each gets its parsed arguments and an output sink, and returns the exit code.
import { parseArgs, type Args } from './args';
import { VERSION } from './version';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  summary: string;
  usage: string;
  run(args: Args, io: Io): Promise<number> | number;
}


export class CommandTable {
  private readonly table = new Map<string, Command>();

  add(name: string, command: Command): this {
    this.table.set(name, command);
    return this;
  }

  help(): string {
    const rows = [...this.table].map(([name, c]) => `  ${c.usage.padEnd(44)} ${c.summary}`);
    return ['usage: task-scheduler <command> [options]', '', 'Commands:', ...rows, '',
      'Common options:', '  --workspace DIR   the workspace folder (default: the current folder)', ''].join('\n');
  }

  async run(argv: string[], io: Io = stdio): Promise<number> {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') { io.out(this.help()); return name ? 0 : 2; }
    if (name === '--version' || name === '-v') { io.out(`${VERSION}\n`); return 0; }
    const command = this.table.get(name);
    if (!command) { io.err(`task-scheduler: unknown command "${name}"\n\n${this.help()}`); return 2; }
    const args = parseArgs(rest);
    // `run --help` must explain, never start executing the workspace's tasks.
    if (args.flags.has('help') || rest.includes('-h')) { io.out(`usage: task-scheduler ${command.usage}\n  ${command.summary}\n`); return 0; }
    return command.run(args, io);
  }
}

export const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};
