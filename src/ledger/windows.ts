/**
 * Pure time arithmetic of a sync: which ranges to read, and which buckets are final.
 *
 * A bucket [s, s + w) is final once `grace` seconds have passed since it closed (s + w + grace <= now): the API
 * revises minute buckets for about 15 minutes after they close and reports a day's costs about a day late
 * (elastic/integrations' "finalization grace"; Datadog's "within 24 hours"). Every sync re-reads everything from
 * the first bucket that was not final at the last read, so a revision inside the window replaces the old value.
 */

/** `t` rounded down to a multiple of `width` (Unix seconds; bucket edges are multiples of the width in UTC). */
export const floorTo = (t: number, width: number): number => Math.floor(t / width) * width;

/** `t` rounded up to a multiple of `width`. */
export const ceilTo = (t: number, width: number): number => Math.ceil(t / width) * width;

/**
 * The end of the final part: every bucket ending at or before it is final at `now`.
 * @example finalEdge(10_000, 3_600, 900) // 7_200: the bucket [3_600, 7_200) closed 2_800 s ago, past the grace
 */
export const finalEdge = (now: number, width: number, grace: number): number => floorTo(now - grace, width);

/**
 * The ranges one sync reads, oldest first: from `from` (the first bucket not yet final) to the end of the bucket
 * holding `now` (the current, open one included), cut into chunks of at most `perPage` buckets so each is one
 * request and one transaction: a sync killed between chunks resumes at the first chunk not committed.
 * @example chunks(0, 100, 60, 1) // [[0, 60], [60, 120]]
 */
export function chunks(from: number, now: number, width: number, perPage: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let chunk = chunkAt(from, now, width, perPage); chunk; chunk = chunkAt(chunk[1], now, width, perPage))
    out.push(chunk);
  return out;
}

/**
 * The one request range of {@link chunks} that starts at `from`, or undefined once `from` is past the open bucket:
 * a sync whose page size changes midway (halved after a too-large response) asks for the next range only.
 */
export function chunkAt(from: number, now: number, width: number, perPage: number): [number, number] | undefined {
  const end = floorTo(now, width) + width;
  return from < end ? [from, Math.min(from + width * perPage, end)] : undefined;
}

/** Durations as flags take them: `90s`, `15m`, `2h`, `1d`, or plain seconds. Throws naming the flag. */
export function parseSeconds(text: string, flag: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new Error(`${flag}: expected a duration such as 900, 15m, 2h or 1d; got '${text}'`);
  return Number(m[1]) * { s: 1, m: 60, h: 3_600, d: 86_400 }[(m[2] ?? 's') as 's'];
}

/** `--since 2026-01-01` (a UTC day) or Unix seconds, as Unix seconds. Throws naming the flag. */
export function parseSince(text: string, flag = '--since'): number {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000 : NaN;
  if (!m || !Number.isFinite(t) || new Date(t * 1000).toISOString().slice(0, 10) !== text)
    throw new Error(`${flag}: expected a UTC day YYYY-MM-DD or Unix seconds; got '${text}'`);
  return t;
}
