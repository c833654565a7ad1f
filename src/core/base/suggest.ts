/**
 * "Did you mean …?" for an unknown name: the closest known name within a small edit distance. Pure; the one rule
 * for unknown options, query parameters and body fields (here) and for the CLI's unknown commands, flags, fields
 * and org-file sections (src/cli imports closestName).
 */

/**
 * Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one edit
 * (optimal string alignment: "nmae" is 1 from "name"); stops early once it must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      current[j] = value;
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known name closest to `name` (case ignored), when at most 2 edits away (1 for names of 4 characters or
 * fewer, where 2 edits would match almost anything); a name that begins the other (`serviceaccount` and
 * `serviceaccounts`, `proj` and `projects`) counts as one edit. Null otherwise; the first of equals wins.
 *
 * @example
 * closestName('limt', ['limit', 'after']) // 'limit'
 */
export function closestName(name: string, known: Iterable<string>): string | null {
  const limit = name.length <= 4 ? 1 : 2;
  const typed = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    const distance = other.startsWith(typed) || typed.startsWith(other) ? 1 : editDistance(typed, other, limit);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** ` (did you mean "x"?)` or '' — to append to an "is not a …" message. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const close = closestName(name, known);
  return close === null ? '' : ` (did you mean "${close}"?)`;
}
