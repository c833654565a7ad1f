/**
 * "Did you mean": the closest of some names to what was typed. Pure; shared by the org file's checks. The edit
 * distance is the one the client and the CLI use (src/core/base/suggest.ts); the bound is looser here, because org
 * file names are long (emails, project names) and a typo in one is often more than two edits.
 */
import { editDistance } from '../core/base/suggest.js';

/** The candidate within a third of the word's length (at least 2 edits) of `input`, if any. Pure. */
export function closest(input: string, candidates: readonly string[]): string | null {
  if (input.length > 256) return null;
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates.slice(0, 1_000)) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase(), limit);
    if (d < bestDistance) ((best = c), (bestDistance = d));
  }
  return best;
}
