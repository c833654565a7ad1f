/**
 * The emulator's bounds: it is a service too, so no option, request or sequence of requests may make it use
 * memory without limit. The Administration API publishes few such limits (the spec gives `maxLength: 255` for a
 * group's name and `maxItems: 10` for certificate ids, which the request validators already apply); where it is
 * silent, the numbers below are the emulator's own, chosen to be far above what a test or a demo needs and low
 * enough that the worst case stays in tens of megabytes. Every refusal is a 4xx in OpenAI's error shape.
 */
import { ApiError, badRequest } from './errors.js';

/** `users` and `projects` of startEmulator / `openai-admin emulator`: inclusive ranges. */
export const SEED_BOUNDS = {
  // 100,000 users seed in about a second and hold about 25 MB.
  users: { min: 0, max: 100_000 },
  // Each seeded project brings members, keys, a service account, rate limits and their audit events.
  projects: { min: 0, max: 1_000 },
} as const;

/** Checks a seeding option: a whole number in its range, or a RangeError naming the option and the range. */
export function checkSeedOption(name: keyof typeof SEED_BOUNDS, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const { min, max } = SEED_BOUNDS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const shown = typeof value === 'number' || typeof value === 'string' ? String(value) : typeof value;
    throw new RangeError(`${name} must be a whole number from ${min} to ${max} (got ${shown})`);
  }
  return value;
}

/**
 * The most records each collection of the emulator holds. A create past the bound answers 400 (code
 * `limit_reached`) and changes nothing. Project keys leave room for every service account plus the seeded users'
 * keys, so a service-account create is refused on the account, before anything is stored.
 */
export const COLLECTION_LIMITS = {
  users: SEED_BOUNDS.users.max,
  projects: 10_000,
  serviceAccounts: 10_000,
  projectKeys: 20_000,
  adminKeys: 1_000,
  invites: 10_000,
  groups: 1_000,
  roles: 1_000,
  roleAssignments: 100_000,
  certificates: 1_000,
  spendAlerts: 100,
} as const;

/** Audit events kept: the oldest are dropped past this, as a retention period would. */
export const MAX_AUDIT_EVENTS = 100_000;

/** A Map that refuses to grow past `max` entries (replacing an existing key is always allowed). */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(
    readonly max: number,
    /** Plural noun for the message, e.g. "projects". */
    readonly what: string,
  ) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.max && !this.has(key)) throw limitReached(this.what, this.max);
    return super.set(key, value);
  }
}

export function limitReached(what: string, max: number): ApiError {
  return new ApiError(
    400,
    `The emulator holds at most ${max} ${what} (a bound on its memory); delete some, or restart it, to add more.`,
    'invalid_request_error',
    null,
    'limit_reached',
  );
}

/**
 * The longest string each request-body field may be, by property name. The API states 255 for a group's name
 * (in the spec); for the rest the emulator takes 256 characters, like the API's other names (an assistant's name
 * is at most 256), 512 for a description (as an assistant's), and 64 KiB for a PEM certificate (a chain of a few
 * certificates). Keyed by the last property name, wherever it is nested.
 */
export const MAX_STRING_LENGTH = 256;
const LONGER_STRINGS: Readonly<Record<string, number>> = { description: 512, certificate: 65_536 };
/** The most items any request-body array may hold (certificate ids: 10, from the spec, checked before this). */
export const MAX_ARRAY_ITEMS = 1_000;

/**
 * The first string or array in a request body over its bound, as the API's 400 (`string_above_max_length`,
 * `array_above_max_length`) naming the param as OpenAI does (`projects[0].id`); null when all fit. Iterative, so a
 * deeply nested body (bounded by the 1 MiB body limit) cannot overflow the stack.
 */
export function oversizedField(body: unknown): ApiError | null {
  const stack: [value: unknown, param: string, key: string][] = [[body, '', '']];
  while (stack.length) {
    const [value, param, key] = stack.pop()!;
    if (typeof value === 'string') {
      const max = LONGER_STRINGS[key] ?? MAX_STRING_LENGTH;
      if (value.length > max)
        return badRequest(
          `Invalid '${param || 'body'}': string too long. Expected a string with maximum length ${max}, but got a string with length ${value.length} instead.`,
          param || null,
          'string_above_max_length',
        );
    } else if (Array.isArray(value)) {
      if (value.length > MAX_ARRAY_ITEMS)
        return badRequest(
          `Invalid '${param || 'body'}': array too long. Expected an array with maximum length ${MAX_ARRAY_ITEMS}, but got an array with length ${value.length} instead.`,
          param || null,
          'array_above_max_length',
        );
      value.forEach((item, i) => stack.push([item, `${param}[${i}]`, key]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) stack.push([v, param ? `${param}.${k}` : k, k]);
    }
  }
  return null;
}

/**
 * The most result rows one usage or costs page carries. The API's `limit` bounds the buckets of a page (1440 one-
 * minute buckets), but grouped by every dimension each bucket holds up to a few hundred rows: 29 MB in one page.
 * A page stops at the last whole bucket that fits (always at least one) and says `has_more`, with a `next_page`
 * that resumes at the next bucket, so a client that pages gets every row. 5,000 rows are about 1.8 MB of JSON; a
 * month of daily buckets grouped by every dimension (about 60 rows a bucket) still fits in one page.
 */
export const MAX_USAGE_RESULTS_PER_PAGE = 5_000;

/** Rate-limit windows kept by `realism: 'api'` (one per key and route): expired ones go first past this. */
export const MAX_RATE_LIMIT_WINDOWS = 10_000;
