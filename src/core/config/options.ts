/**
 * One check per option, shared by the constructor (ClientOptions) and by every call (RequestOptions), so
 * that a value refused in one place is refused in the other: `maxRetries: NaN` or `Infinity` per call would
 * otherwise retry without end, and a timeout of 2^31 ms or more overflows setTimeout, which then fires after
 * 1 ms. Each check returns the problem as text (or null); the callers turn problems into an
 * OpenAIAdminError (construction) or a RequestValidationError naming `options.<name>` (a call: nothing sent).
 *
 * The tables are typed over every key of the option interfaces: an option added to ClientOptions or
 * RequestOptions without a check here does not compile.
 */
import type { ClientOptions } from './client-options.js';
import type { FieldIssue } from '../base/errors.js';
import type { RequestOptions } from '../types/call.js';
import type { RetryPolicy } from '../pacing/retry.js';
import { didYouMean } from '../base/suggest.js';

/** The longest delay setTimeout can wait: longer ones overflow and fire at once (Node clamps them to 1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A problem with a value ("must be …"), or null when it is fine. */
export type Check = (value: unknown) => string | null;

const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value && typeof value === 'object') return 'an object';
  return String(value);
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Retries after the first attempt: a whole number ≥ 0 (NaN, Infinity and fractions have no end or no meaning). */
export const checkMaxRetries: Check = (value) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? null
    : `must be a whole number ≥ 0 (got ${show(value)})`;

/** A per-attempt timeout in ms: positive, finite, and short enough for a timer. */
export const checkTimeout: Check = (value) => {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    return `must be a positive number of ms (got ${show(value)})`;
  if (value > MAX_TIMER_MS)
    return `must be at most ${MAX_TIMER_MS} ms (about 24.8 days; timers overflow beyond) (got ${show(value)})`;
  return null;
};

/** A delay in ms that will be slept: finite, ≥ 0, within a timer's range. */
const checkDelay: Check = (value) =>
  typeof value === 'number' && value >= 0 && value <= MAX_TIMER_MS
    ? null
    : `must be a number of ms from 0 to ${MAX_TIMER_MS} (got ${show(value)})`;

export const checkValidate: Check = (value) =>
  value === 'off' || value === 'warn' || value === 'strict'
    ? null
    : `must be 'off', 'warn' or 'strict' (got ${show(value)})`;

export const checkSignal: Check = (value) => {
  const signal = value as AbortSignal | null;
  return signal &&
    typeof signal === 'object' &&
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function'
    ? null
    : `must be an AbortSignal (got ${show(value)})`;
};

/** Header values are checked by headerIssues (below); here only the shape. */
export const checkHeaders: Check = (value) =>
  isPlainObject(value) ? null : `must be an object of header names to strings (got ${show(value)})`;

/** A count or size: a whole number > 0 (maxResponseBytes, maxSockets). */
export const checkPositiveInteger: Check = (value) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? null
    : `must be a positive whole number (got ${show(value)})`;

/** Requests on the wire at once: a whole number ≥ 1, or Infinity for no cap. */
export const checkConcurrency: Check = (value) =>
  value === Infinity || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1)
    ? null
    : `must be a whole number ≥ 1 or Infinity (got ${show(value)})`;

/** A total time budget in ms: ≥ 0 (0 refuses every wait), or Infinity for no budget; never NaN. */
export const checkBudget: Check = (value) =>
  typeof value === 'number' && value >= 0 ? null : `must be a number of ms ≥ 0, or Infinity (got ${show(value)})`;

export const checkLogLevel: Check = (value) =>
  ['off', 'error', 'warn', 'info', 'debug'].includes(value as string)
    ? null
    : `must be 'off', 'error', 'warn', 'info' or 'debug' (got ${show(value)})`;

export const checkFunction: Check = (value) =>
  typeof value === 'function' ? null : `must be a function (got ${show(value)})`;
export const checkBoolean: Check = (value) =>
  typeof value === 'boolean' ? null : `must be true or false (got ${show(value)})`;
export const checkString: Check = (value) =>
  typeof value === 'string' ? null : `must be a string (got ${show(value)})`;
export const checkStringOrNull: Check = (value) =>
  value === null || typeof value === 'string' ? null : `must be a string or null (got ${show(value)})`;
export const checkObject: Check = (value) => (isPlainObject(value) ? null : `must be an object (got ${show(value)})`);

export const checkLogger: Check = (value) => {
  if (!value || typeof value !== 'object')
    return `must be an object with functions as debug and warn (got ${show(value)})`;
  const logger = value as Record<string, unknown>;
  for (const method of ['debug', 'warn']) {
    if (logger[method] !== undefined && typeof logger[method] !== 'function')
      return `must have functions as debug and warn (got ${method}: ${show(logger[method])})`;
  }
  return null;
};

const RETRY_POLICY_CHECKS: { readonly [K in keyof RetryPolicy]-?: Check } = {
  maxRetries: checkMaxRetries,
  initialDelayMs: checkDelay,
  maxDelayMs: checkDelay,
  maxServerWaitMs: checkDelay,
  retryStatuses: (value) =>
    value instanceof Set && [...value].every((s) => Number.isInteger(s) && s >= 100 && s <= 599)
      ? null
      : `must be a Set of HTTP statuses (whole numbers from 100 to 599) (got ${show(value)})`,
};

/** Issues of a retryPolicy override, each naming its field (`retryPolicy.maxDelayMs`). */
export function retryPolicyIssues(value: unknown, prefix = 'retryPolicy'): FieldIssue[] {
  if (!isPlainObject(value)) return [{ path: prefix, message: `must be an object (got ${show(value)})` }];
  return tableIssues(value, RETRY_POLICY_CHECKS, `${prefix}.`, 'a retry policy field');
}

const CLIENT_CHECKS: { readonly [K in keyof ClientOptions]-?: Check } = {
  // apiKey and baseURL keep their own, more specific checks in config.ts (CR/LF, browser, https).
  apiKey: checkStringOrNull,
  baseURL: checkString,
  organization: checkStringOrNull,
  project: checkStringOrNull,
  maxRetries: checkMaxRetries,
  timeout: checkTimeout,
  fetch: checkFunction,
  validate: checkValidate,
  logger: checkLogger,
  defaultHeaders: checkHeaders,
  dangerouslyAllowBrowser: checkBoolean,
  allowInsecureHttp: checkBoolean,
  sleep: checkFunction,
  now: checkFunction,
  random: checkFunction,
  retryPolicy: () => null, // checked field by field by retryPolicyIssues
  maxResponseBytes: checkPositiveInteger,
  maxSockets: checkPositiveInteger,
  maxConcurrency: checkConcurrency,
  maxRateLimitWait: checkBudget,
  onRateLimit: checkFunction,
  logLevel: checkLogLevel,
  // A module namespace (import * as …) is an object but not a plain one.
  responseValidators: (value) =>
    value && typeof value === 'object'
      ? null
      : `must be the module openai-admin/response-validators (got ${show(value)})`,
};

const REQUEST_CHECKS: { readonly [K in keyof RequestOptions]-?: Check } = {
  maxRetries: checkMaxRetries,
  timeout: checkTimeout,
  signal: checkSignal,
  headers: checkHeaders,
  validate: checkValidate,
  maxResponseBytes: checkPositiveInteger,
  // Their names and values are checked against the operation in body.ts.
  extraBody: checkObject,
  extraQuery: checkObject,
  maxRateLimitWait: checkBudget,
  reconcile: checkBoolean,
};

function tableIssues(
  options: Record<string, unknown>,
  table: Record<string, Check>,
  prefix: string,
  what: string,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const name of Object.keys(options)) {
    const value = options[name];
    const check = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!check)
      issues.push({ path: `${prefix}${name}`, message: `is not ${what}${didYouMean(name, Object.keys(table))}` });
    // An option set to undefined means "not given", as everywhere in JavaScript APIs.
    else if (value !== undefined) {
      const problem = check(value);
      if (problem) issues.push({ path: `${prefix}${name}`, message: problem });
    }
  }
  return issues;
}

/** Issues of client options: unknown names and values of the wrong type or range, each naming its option. */
export function clientOptionIssues(options: unknown): FieldIssue[] {
  if (!isPlainObject(options)) return [{ path: 'options', message: `must be an object (got ${show(options)})` }];
  const issues = tableIssues(options, CLIENT_CHECKS, '', 'a client option');
  if (options.retryPolicy !== undefined) issues.push(...retryPolicyIssues(options.retryPolicy));
  return issues;
}

/**
 * Issues of per-call options, named `options.<name>`. Called only when options are given, so a call without
 * options does no work here.
 */
export function requestOptionIssues(options: unknown): FieldIssue[] {
  if (!isPlainObject(options)) return [{ path: 'options', message: `must be an object (got ${show(options)})` }];
  return tableIssues(options, REQUEST_CHECKS, 'options.', 'a request option');
}

/** What HTTP allows in a field value (tab, visible ASCII, obs-text); both transports refuse anything else. */
const HEADER_VALUE_PROBLEM = /[^\t\x20-\x7e\x80-\xff]/;
/** An HTTP token (RFC 9110 §5.6.2), the only legal header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The issues of a set of headers. CR/LF/NUL would let a value inject headers; other control characters and
 * characters beyond Latin-1 would make fetch or node:http throw mid-call instead of naming the field. Pure.
 */
export function headerIssues(headers: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) issues.push({ path: `headers.${name}`, message: 'is not a valid HTTP header name' });
    else if (typeof value !== 'string' || /[\r\n\0]/.test(value))
      issues.push({ path: `headers.${name}`, message: 'must be a string without CR, LF or NUL' });
    else if (HEADER_VALUE_PROBLEM.test(value))
      issues.push({
        path: `headers.${name}`,
        message: 'must be Latin-1 text without control characters (tab allowed)',
      });
  }
  return issues;
}
