// The contract of a reliability check (issue "5/5 Reliability and security battery"). Each check is
// one file `test/chaos/<name>.chaos.ts` exporting `check`. `npm run test:chaos` runs every check at its
// full counts and prints one figure line each; `npm test` runs the quick form of each through
// test/unit/chaos.test.ts, bounded so the whole quick battery stays well under 5 minutes.

export interface ChaosOptions {
  /** Full counts (test:chaos) or the quick, bounded form (npm test). */
  full: boolean;
  /** Progress for people, never parsed. */
  log: (line: string) => void;
}

export interface ChaosResult {
  /** One line of figures, e.g. `kill-9: 50/50 recovered, 0 finished runs lost, 0 stuck`. */
  line: string;
  /** Whether every figure met its bar. */
  ok: boolean;
}

export interface ChaosCheck {
  name: string;
  /** Drives code-server and Chromium: its quick form runs in the UI stage (test/vscode/ui/chaos.ui.js), after the install. */
  needsCodeServer?: boolean;
  /** Why this check cannot run here (e.g. it needs root), or undefined when it can: then it is skipped, saying so. */
  unavailable?(): string | undefined;
  /** Upper bound for the quick form, for the mocha timeout. */
  quickTimeoutMs: number;
  run(options: ChaosOptions): Promise<ChaosResult>;
}
