/**
 * "The last N days", defined once for every report and the tour: the N whole UTC days ending with today,
 * today included. `report spend --days 30` and the tour's "last 30 days" therefore cover the same days and
 * print the same totals.
 */
export const DAY_SECONDS = 86_400;

export interface DayRange {
  /** Unix seconds: midnight UTC at the start of the first day (inclusive). */
  readonly start: number;
  /** Unix seconds: midnight UTC after today (exclusive). */
  readonly end: number;
  /** The days as `YYYY-MM-DD`, oldest first; `days` entries. */
  readonly dates: readonly string[];
}

/**
 * The last `days` whole UTC days ending today (today included), at `now` (Unix seconds). Pure.
 * @example
 * lastDays(2, Date.UTC(2026, 10, 30, 15) / 1000)
 * // { start: 2026-11-29T00:00Z, end: 2026-12-01T00:00Z, dates: ['2026-11-29', '2026-11-30'] } (as Unix seconds)
 */
export function lastDays(days: number, now: number): DayRange {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number ≥ 1 (got ${days})`);
  const today = Math.floor(now / DAY_SECONDS) * DAY_SECONDS;
  const start = today - (days - 1) * DAY_SECONDS;
  const dates = Array.from({ length: days }, (_, i) =>
    new Date((start + i * DAY_SECONDS) * 1000).toISOString().slice(0, 10),
  );
  return { start, end: today + DAY_SECONDS, dates };
}
