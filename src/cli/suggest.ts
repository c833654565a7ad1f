/** "did you mean …?" for unknown commands and flags: the closest candidate by edit distance, if close enough. */

/** Levenshtein distance, two rows at a time. Pure. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate closest to `input`, when the distance is small relative to the word (a third of its length,
 * at least 2), or when one is a prefix of the other. Null when nothing is plausibly meant.
 * @example
 * closest('lsit', ['list', 'create']) // 'list'
 */
export function closest(input: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(input) || input.startsWith(c) ? Math.min(1, editDistance(input, c)) : editDistance(input, c);
    if (d < bestDistance) ((best = c), (bestDistance = d));
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : null;
}
