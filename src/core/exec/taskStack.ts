// A failed run's error as the user reads it (run output, dashboard, notifications): the stack ends at
// the task's own frames. Frames of the runner bundle (dist/runner.js, which loaded and called the task)
// and Node's internals (node:internal/…, node:events) say nothing about the task; the full text goes to
// the log instead.

/** Is this stack line a frame the user did not write? */
function foreign(line: string, runnerPath: string): boolean {
  if (!/^\s+at /.test(line)) return false;
  // "(node:internal/process/task_queues:95:5)", "at node:internal/main/…", "(node:events:519:28)"
  if (/[( ]node:[\w/]+:\d+/.test(line)) return true;
  return line.includes(`${runnerPath}:`);
}

/** The error text without the runner's and Node's frames; unchanged when it has none. */
export function taskStack(error: string, runnerPath: string): string {
  const lines = error.split('\n');
  const kept = lines.filter((line) => !foreign(line, runnerPath));
  return kept.length === lines.length ? error : kept.join('\n');
}
