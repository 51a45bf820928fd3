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

/** Levenshtein distance, small strings only (keywords, day names, time zones). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The closest candidate when it is close enough to be a typo (about one edit in three letters). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return bestDistance > 0 && bestDistance <= Math.max(1, Math.floor(lower.length / 3)) ? best : undefined;
}
