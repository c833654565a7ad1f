/**
 * "Did you mean …?" for an unknown name: the closest known name within a small edit distance. Pure; used for
 * unknown options, query parameters and body fields alike.
 */

/** Levenshtein distance, stopping early once it must exceed `limit` (names are short; this is the error path). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, current[j]!);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name closest to `name` (case ignored), when at most 2 edits away (1 for names of 4 characters or
 * fewer, where 2 edits would match almost anything); null otherwise.
 *
 * @example
 * closestName('limt', ['limit', 'after']) // 'limit'
 */
export function closestName(name: string, known: Iterable<string>): string | null {
  const limit = name.length <= 4 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase(), limit);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** ` (did you mean "x"?)` or '' — to append to an "is not a …" message. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const close = closestName(name, known);
  return close === null ? '' : ` (did you mean "${close}"?)`;
}
