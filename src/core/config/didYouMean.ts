// "Did you mean `timezone`?" — the nearest known name to a misspelt one, or nothing when none is near.

/** Case and `_`/`-` do not count as typos: `day-of-week`, `DayOfWeek` and `dayofweek` are one name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Edit distance counting an adjacent swap as one edit (optimal string alignment). */
export function damerauLevenshtein(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

/**
 * The closest candidate, if it is close enough to be a typo: up to 40% of the word's length in edits
 * (at least 1, at most 3), or a shared start of 4+ letters covering most of the word (an
 * abbreviation or another inflection: "Europe/Xyzzyq" is not near "Europe/Kyiv"), so `retry` finds `retries`, `sched` finds `schedule`, and
 * `foo` finds nothing.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = normalizeName(word);
  const allowed = Math.min(3, Math.max(1, Math.round(w.length * 0.4)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = normalizeName(candidate);
    const prefix = commonPrefix(w, c);
    const abbreviation = prefix >= 4 && prefix >= 0.8 * w.length;
    // The distance is at least the difference in length, so a word far longer or shorter than the
    // candidate is no typo of it; measuring anyway costs length × length (a 1 MB value against the
    // ~400 zone names took minutes). A shared start adds nothing to the distance: measure the rest.
    if (!abbreviation && Math.abs(w.length - c.length) > allowed) continue;
    const distance = damerauLevenshtein(w.slice(prefix), c.slice(prefix));
    const near = distance <= allowed || abbreviation;
    if (near && distance < bestDistance) { best = candidate; bestDistance = distance; }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
