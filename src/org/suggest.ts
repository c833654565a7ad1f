/** "Did you mean": the closest of some names to what was typed. Pure; shared by the org file's checks. */

/** Levenshtein distance, two rows at a time. Pure. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The candidate within a third of the word's length (at least 2 edits) of `input`, if any. Pure. */
export function closest(input: string, candidates: readonly string[]): string | null {
  if (input.length > 256) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates.slice(0, 1_000)) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) ((best = c), (bestDistance = d));
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : null;
}
