// A small argument parser: positionals, `--flag`, `--key value`, `--key=value`, repeated keys collected.

export interface Args {
  positionals: string[];
  flags: Map<string, string[]>;
}

/** Flags that never take a value, so `--json foo` keeps `foo` positional. */
const BOOLEAN_FLAGS = new Set(['json', 'all', 'dry-run', 'future-only', 'help']);

export function parseArgs(argv: string[]): Args {
  const args: Args = { positionals: [], flags: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { args.positionals.push(a); continue; }
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    let value = eq > 0 ? a.slice(eq + 1) : 'true';
    if (eq < 0 && !BOOLEAN_FLAGS.has(key) && i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    args.flags.set(key, [...(args.flags.get(key) ?? []), value]);
  }
  return args;
}

export function flag(args: Args, key: string): string | undefined {
  return args.flags.get(key)?.at(-1);
}

export function has(args: Args, key: string): boolean {
  return args.flags.has(key);
}
