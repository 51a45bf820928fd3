// Loading one compiled task file in the child: `require` it (its top-level code runs here, so an
// import-time throw is caught by the caller and recorded) and find the definition in its exports.
import { createRequire } from 'module';

type Hook = (...args: unknown[]) => unknown;

/** The parts of a task definition the runner calls; the rest is read by the host from the source. */
export interface LoadedTask {
  run: Hook;
  when?: Hook;
  skip?: Hook;
  before?: Hook;
  after?: Hook;
  onSuccess?: Hook;
  onFailure?: Hook;
}

const OPTIONAL_FUNCTIONS = ['when', 'skip', 'before', 'after', 'onSuccess', 'onFailure'] as const;

/** `module.exports.default ?? module.exports`: what `export default defineTask({…})` compiles to, or a plain CJS export. */
export function requireTaskModule(modulePath: string): unknown {
  // A require bound to the task file itself, so esbuild leaves it alone and Node resolves the path as given.
  const exported = createRequire(modulePath)(modulePath) as { default?: unknown } | undefined;
  return exported?.default ?? exported;
}

/** Checks the definition's shape; the message says what is wrong in the author's terms. */
export function asLoadedTask(definition: unknown, modulePath: string): LoadedTask {
  if (typeof definition !== 'object' || definition === null || typeof (definition as LoadedTask).run !== 'function') {
    throw new TypeError(`${modulePath} does not export a task: its default export must be an object with a run(ctx) function`);
  }
  const d = definition as Record<string, unknown>;
  for (const name of OPTIONAL_FUNCTIONS) {
    if (d[name] !== undefined && typeof d[name] !== 'function') {
      throw new TypeError(`${modulePath}: ${name} must be a function, not ${typeof d[name]}`);
    }
  }
  // Bound, so hooks written as methods keep `this` = the definition.
  const bind = (name: string): Hook | undefined => (typeof d[name] === 'function' ? (d[name] as Hook).bind(d) : undefined);
  return {
    run: bind('run') as Hook,
    when: bind('when'), skip: bind('skip'), before: bind('before'),
    after: bind('after'), onSuccess: bind('onSuccess'), onFailure: bind('onFailure'),
  };
}

export function loadTask(modulePath: string): LoadedTask {
  return asLoadedTask(requireTaskModule(modulePath), modulePath);
}
