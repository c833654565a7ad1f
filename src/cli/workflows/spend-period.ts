/**
 * The periods of `report spend`, all in whole UTC days as invoices count them: the one asked for (`--days N`,
 * `--month YYYY-MM` or `--since/--until`), the previous one it is compared with, and the current month for
 * month-to-date and the forecast. Pure: the clock comes in as `now`.
 *
 * A period never reaches past today: the current month or an `--until` in the future stops at today, which is then
 * a partial day (its costs are still coming in) and marked so.
 */
import { lastDays } from './last-days.js';

export const DAY = 86_400;
/** The longest range a report covers (a year and a day: this month against the same month last year fits). */
export const MAX_DAYS = 400;

export interface Period {
  /** Unix seconds, 00:00 UTC of the first day. */
  start: number;
  /** Unix seconds, 00:00 UTC of the day after the last one (exclusive). */
  end: number;
  /** YYYY-MM-DD of each day. */
  dates: string[];
}

export interface ReportPeriods {
  current: Period;
  previous: Period;
  /** How `previous` was chosen, in words (the report prints it). */
  comparison: string;
  /** Today (YYYY-MM-DD) when the current period includes it: a partial day. */
  partialDay?: string;
  /** The current UTC month up to today, when the current period includes today (month-to-date and forecast). */
  month?: Period & { daysInMonth: number };
}

/** What the user asked for; exactly one of the three ways (the command checks the flags). */
export type PeriodRequest = { days: number } | { month: string } | { since: string; until?: string };

export const isoDay = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);

export function period(start: number, end: number): Period {
  const days = Math.round((end - start) / DAY);
  return { start, end, dates: Array.from({ length: days }, (_, i) => isoDay(start + i * DAY)) };
}

/** Unix seconds of 00:00 UTC of a YYYY-MM-DD, or a RangeError naming the flag. Pure. */
export function parseDay(text: string, flag: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000 : NaN;
  if (!m || !Number.isFinite(t) || isoDay(t) !== text)
    throw new RangeError(`--${flag} expects a UTC date as YYYY-MM-DD, got '${text}'`);
  return t;
}

/** 00:00 UTC of the first day of the month `offset` months from the one holding `t`. Pure. */
const monthStart = (t: number, offset = 0): number => {
  const d = new Date(t * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1) / 1000;
};

/**
 * The current and previous periods for a request at `now` (Unix seconds). Errors are RangeErrors naming the flag.
 * - `{ days: N }`: the N whole UTC days ending today, today included; compared with the N days before.
 * - `{ month }`: that calendar month (up to today if it is the current one); compared with the same days of the
 *   month before (the whole month before when this one is complete): like for like.
 * - `{ since, until }`: those days, both included (`until` defaults to today); compared with as many days before.
 */
export function reportPeriods(request: PeriodRequest, now: number): ReportPeriods {
  const today = Math.floor(now / DAY) * DAY;
  const tomorrow = today + DAY;
  let start: number;
  let end: number;
  let previousStart: number;
  let previousEnd: number;
  let comparison: string;
  if ('days' in request) {
    if (!Number.isInteger(request.days) || request.days < 1 || request.days > MAX_DAYS)
      throw new RangeError(`--days must be between 1 and ${MAX_DAYS}, got ${request.days}`);
    // "The last N days" as the tour and every report mean it (last-days.ts).
    ({ start, end } = lastDays(request.days, now));
    [previousStart, previousEnd] = [start - request.days * DAY, start];
    comparison = `the ${request.days} day(s) before`;
  } else if ('month' in request) {
    const m = /^(\d{4})-(\d{2})$/.exec(request.month);
    const first = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) / 1000 : NaN;
    if (!m || !Number.isFinite(first) || isoDay(first).slice(0, 7) !== request.month)
      throw new RangeError(`--month expects a UTC month as YYYY-MM, got '${request.month}'`);
    if (first > today)
      throw new RangeError(`--month ${request.month} has not started yet (today is ${isoDay(today)} UTC)`);
    start = first;
    end = Math.min(monthStart(first, 1), tomorrow);
    previousStart = monthStart(first, -1);
    const complete = end === monthStart(first, 1);
    // Like for like: the whole month before a complete month; the first as many days of it for the current one.
    previousEnd = complete ? first : Math.min(first, previousStart + (end - start));
    comparison = complete ? isoDay(previousStart).slice(0, 7) : `the same days of ${isoDay(previousStart).slice(0, 7)}`;
  } else {
    start = parseDay(request.since, 'since');
    const last = request.until === undefined ? today : parseDay(request.until, 'until');
    if (start > today)
      throw new RangeError(`--since ${request.since} is in the future (today is ${isoDay(today)} UTC)`);
    if (last < start) throw new RangeError(`--until ${request.until} is before --since ${request.since}`);
    end = Math.min(last + DAY, tomorrow);
    const days = Math.round((end - start) / DAY);
    [previousStart, previousEnd] = [start - days * DAY, start];
    comparison = `the ${days} day(s) before`;
  }
  const days = Math.round((end - start) / DAY);
  if (days > MAX_DAYS) throw new RangeError(`the range covers ${days} days; at most ${MAX_DAYS}`);
  const includesToday = end === tomorrow;
  const result: ReportPeriods = {
    current: period(start, end),
    previous: period(previousStart, previousEnd),
    comparison,
  };
  if (includesToday) {
    result.partialDay = isoDay(today);
    const first = monthStart(today);
    result.month = { ...period(first, tomorrow), daysInMonth: Math.round((monthStart(today, 1) - first) / DAY) };
  }
  return result;
}

export interface Forecast {
  /** Spend from the 1st of the month to now (today's partial day included). */
  monthToDate: number;
  /** The expected spend for the whole month (see method). */
  forecast: number;
  /** Complete days the rate was taken from. */
  basisDays: number;
  method: string;
}

/**
 * Month-to-date and a forecast to month end from the month's daily spend so far (the last value is today, partial).
 * Method: run rate. The mean of the month's complete days (before today) times the days in the month; on the 1st,
 * with no complete day yet, the mean of the `fallback` days (the last complete days before the month) instead, and
 * with none of those either, today's partial spend is the forecast's only basis. Pure.
 */
export function forecastMonth(
  monthDaily: readonly number[],
  daysInMonth: number,
  fallback: readonly number[] = [],
): Forecast {
  const monthToDate = monthDaily.reduce((s, v) => s + v, 0);
  const complete = monthDaily.slice(0, -1);
  const basis = complete.length ? complete : fallback;
  const mean = basis.length ? basis.reduce((s, v) => s + v, 0) / basis.length : 0;
  const completeSum = complete.reduce((s, v) => s + v, 0);
  const forecast = Math.max(monthToDate, completeSum + mean * (daysInMonth - complete.length));
  return {
    monthToDate,
    forecast,
    basisDays: basis.length,
    method: complete.length
      ? `run rate: complete days so far plus their daily mean × the ${daysInMonth - complete.length} day(s) left, today included`
      : basis.length
        ? `run rate: the daily mean of the last ${basis.length} complete day(s) before this month × ${daysInMonth} days`
        : 'no complete day yet: month-to-date only',
  };
}
