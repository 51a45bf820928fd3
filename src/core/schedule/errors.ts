// Schedule errors: where in the schedule string the problem is, and which form was expected there.

export interface ScheduleError {
  /** Says what is wrong, where (1-based column) and what was expected. */
  message: string;
  /** 0-based offset into the schedule string as written. */
  offset: number;
  /** Length of the offending part (0 when the problem is something missing). */
  length: number;
  /** The form expected at that position, for people (e.g. `an hour 0-23, a range like 9-17, …`). */
  expected: string;
}

export type Failure = { ok: false; error: ScheduleError };

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

export function fail(message: string, offset: number, length: number, expected: string): Failure {
  return { ok: false, error: { message, offset, length, expected } };
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment); small strings only. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate when it is close enough to be a typo (about one edit in three letters). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(lower.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skip what cannot be close enough (measuring
    // a 100,000-character schedule against every keyword took seconds).
    if (Math.abs(candidate.length - lower.length) > limit) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return bestDistance > 0 && bestDistance <= limit ? best : undefined;
}
