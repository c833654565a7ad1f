/**
 * How long a 429 asks the client to wait, as a pure function of the response: headers first (they are exact),
 * else the error message. The Administration API often sends no header at all and states the wait only in
 * text ("Please try again in 20s", "in 6m0s", "in 350ms", "after 20 seconds"), so the text is parsed too.
 */
import { parseRetryAfter } from './retry.js';

/** Where a wait came from: a header, the error message, or the client's own estimate of the route's rate. */
export type WaitSource = 'header' | 'message' | 'estimate';

export interface RateLimitWait {
  ms: number;
  source: Exclude<WaitSource, 'estimate'>;
}

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000001,
};

/** Go-style durations as OpenAI writes them in `x-ratelimit-reset-*`: "1s", "6m0s", "20ms", "1h2m3.5s", "0.5s". */
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/;
const GO_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;

/** A Go-style duration in ms, or null if the text is not one. A bare number is taken as seconds. */
export function parseDuration(text: string): number | null {
  const raw = text.trim();
  let total = 0;
  if (/^\d+(?:\.\d+)?$/.test(raw)) total = Number(raw) * 1000;
  else if (!GO_DURATION.test(raw)) return null;
  else for (const [, value, unit] of raw.matchAll(GO_PART)) total += Number(value) * UNIT_MS[unit];
  // Hundreds of digits overflow to Infinity: no wait rather than an endless one.
  return Number.isFinite(total) ? total : null;
}

/** The words the message may use for each unit (lower case), in ms. */
const WORD_MS: Record<string, number> = {};
for (const [words, ms] of [
  ['ms msec msecs millisecond milliseconds', 1],
  ['s sec secs second seconds', 1_000],
  ['m min mins minute minutes', 60_000],
  ['h hr hrs hour hours', 3_600_000],
] as const)
  for (const word of words.split(' ')) WORD_MS[word] = ms;
/** A number and one of those words, whole: the lookahead makes the order of the alternatives irrelevant. */
const AMOUNT = String.raw`\d+(?:\.\d+)?\s*(?:${Object.keys(WORD_MS).join('|')})(?![a-z])`;
/** "in" or "after", then one or more amount+unit pairs ("1m30s", "1 minute and 30 seconds", "350ms"). */
const AMOUNTS = String.raw`((?:${AMOUNT}(?:\s*,?\s*(?:and\s+)?)?)+)`;
/** "try again in …" / "retry after …" first, so that a limit stated as "10 requests in 1m" is not read as the wait. */
const RETRY_WAIT = new RegExp(String.raw`\b(?:try again|retry)\s+(?:in|after)\s+${AMOUNTS}`, 'i');
const ANY_WAIT = new RegExp(String.raw`\b(?:in|after)\s+${AMOUNTS}`, 'i');
const AMOUNT_PART = /(\d+(?:\.\d+)?)\s*([a-z]+)/gi;

/** The wait stated in an error message, in ms, or null when it states none. */
export function waitFromMessage(message: string): number | null {
  const match = RETRY_WAIT.exec(message) ?? ANY_WAIT.exec(message);
  if (!match) return null;
  let total = 0;
  // A unit AMOUNT accepts but WORD_MS lacks would make the total NaN: no wait rather than a wrong one.
  for (const [, value, unit] of match[1].matchAll(AMOUNT_PART)) total += Number(value) * WORD_MS[unit.toLowerCase()];
  return Number.isFinite(total) ? total : null;
}

/**
 * The wait from the headers, in ms: `retry-after-ms`, then `Retry-After` (seconds or HTTP date), then the
 * longer of `x-ratelimit-reset-requests` and `x-ratelimit-reset-tokens` (a request needs both buckets).
 */
export function waitFromHeaders(headers: Record<string, string>, nowMs: number): number | null {
  const retryAfter = parseRetryAfter(headers, nowMs);
  if (retryAfter !== null) return retryAfter;
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => (headers[name] === undefined ? null : parseDuration(headers[name])))
    .filter((ms) => ms !== null);
  return resets.length ? Math.max(...resets) : null;
}

/** The wait a 429 asks for and where it was found, or null when neither its headers nor its message say. */
export function rateLimitWait(headers: Record<string, string>, message: string, nowMs: number): RateLimitWait | null {
  const fromHeaders = waitFromHeaders(headers, nowMs);
  if (fromHeaders !== null) return { ms: fromHeaders, source: 'header' };
  const fromMessage = waitFromMessage(message);
  if (fromMessage !== null) return { ms: fromMessage, source: 'message' };
  return null;
}
