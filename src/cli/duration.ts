/**
 * Durations on the command line (`--expires-in 90d`, `--expiring 14d`): one or more `<whole number><unit>` groups,
 * largest unit first, each unit at most once — `90d`, `12h`, `1d12h`, `2w`, `3600s`. Units: w (7 days), d, h, m,
 * s. Strict on purpose: a bare number (seconds? days?), a fraction, a sign, spaces or an unknown unit is an error
 * naming the flag, never a guess. Pure.
 */
import { UsageError } from './errors.js';

const UNIT_SECONDS = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const ORDER = Object.keys(UNIT_SECONDS) as Unit[];

/** The longest duration accepted: 100 years (a typo guard; the API enforces its own, per-policy maximum). */
export const MAX_DURATION_SECONDS = 100 * 365 * 86_400;

/**
 * @example
 * parseDuration('90d', '--expires-in') // 7776000
 * parseDuration('1d12h', '--expires-in') // 129600
 */
export function parseDuration(text: string, flag: string): number {
  const fail = (why: string): never => {
    throw new UsageError(
      `${flag} expects a duration such as 90d, 12h, 30m, 2w or 1d12h (${why}), got '${text.slice(0, 40)}'`,
    );
  };
  if (/^\d+$/.test(text)) fail('a unit is required: s, m, h, d or w');
  const groups = [...text.matchAll(/(\d+)([a-z])/gy)];
  if (!groups.length || groups.map((g) => g[0]).join('') !== text) fail('whole numbers with units, nothing else');
  let seconds = 0;
  let last = -1;
  for (const [, digits, unit] of groups) {
    const at = ORDER.indexOf(unit as Unit);
    if (at < 0) fail(`unknown unit '${unit}'`);
    if (at <= last) fail('each unit once, largest first');
    last = at;
    seconds += Number(digits) * UNIT_SECONDS[unit as Unit];
  }
  if (seconds < 1) fail('at least 1s');
  if (!(seconds <= MAX_DURATION_SECONDS)) fail('at most 100 years');
  return seconds;
}
