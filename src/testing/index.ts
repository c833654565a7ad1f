/**
 * `openai-admin/testing`: a local, stateful emulator of the OpenAI Administration API for tests,
 * demos and trying provisioning scripts without touching a real organisation. Node only.
 *
 * @module openai-admin/testing
 */
import type { AddressInfo } from 'node:net';
import { operations } from '../../generated/operations.gen.js';
import { checkFaultOptions, FaultInjector, type FaultOptions } from './faults.js';
import {
  decimalCosts,
  DEFAULT_RATE_LIMIT,
  DEFAULT_READ_AFTER_WRITE_MS,
  Realism,
  type RateLimitOptions,
} from './realism.js';
import { readStateFile, restoreState, serializeState, stateFileSeed, writeFileAtomic } from './persist.js';
import { seedState } from './seed.js';
import { createEmulatorServer } from './server.js';
import { EmulatorState } from './store.js';
import { LIVE_USAGE_QUIRKS, type UsageQuirkSettings } from './usage-quirks.js';
import { USAGE_KINDS, usagePage, type UsageOperation } from './usage.js';

export { DEMO_ADMIN_KEY } from './auth.js';
export { ApiError, type ErrorBody } from './errors.js';
export type { FaultOptions } from './faults.js';
export { formatWait, type RateLimitOptions } from './realism.js';
export { manualClock, type ManualClock } from './clock.js';
export { LIVE_USAGE_QUIRKS, revisedFraction, type UsageQuirkSettings } from './usage-quirks.js';
export type { UsageOperation } from './usage.js';
export {
  COLLECTION_LIMITS,
  MAX_ARRAY_ITEMS,
  MAX_AUDIT_EVENTS,
  MAX_STRING_LENGTH,
  MAX_USAGE_RESULTS_PER_PAGE,
  SEED_BOUNDS,
} from './limits.js';
export { seedUsers, SEED_EPOCH } from './seed.js';
export { EmulatorState } from './store.js';
export type {
  CertificateRecord,
  GroupRecord,
  ProjectKeyRecord,
  ProjectRecord,
  RoleAssignmentRecord,
  RoleRecord,
  ServiceAccountRecord,
  UserRecord,
} from './store.js';

const MAX_LOGGED_REQUESTS = 10_000;

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`; the emulator is meant for local use only). */
  host?: string;
  /** Makes ids, seeded data, usage numbers and faults reproducible (default `'emulator'`). */
  seed?: string | number;
  /**
   * Injected 429s, 500s and latency, decided per request from the seed. Rates from 0 to 1, `latencyMs` up to 60,000,
   * `retryAfterSeconds` up to 86,400 (else a RangeError naming the knob).
   */
  faults?: FaultOptions;
  /**
   * Org users to pre-populate (default 12; a whole number from 0 to 100,000, else a RangeError).
   * `users: 5000` takes a few milliseconds.
   */
  users?: number;
  /**
   * Projects to pre-populate, each with members, keys, a service account and rate limits (default 3; a whole
   * number from 0 to 1,000, else a RangeError). Requests are bounded too: see "Bounds" in the emulator's README.
   */
  projects?: number;
  /**
   * `'api'`: behave like the live Administration API rather than its spec (default `'none'`: fast and
   * predictable, for demos). Turns on, each tunable below:
   * - per-route rate limits (`rateLimit`): every key gets `requests` calls per `windowMs` to each route (method +
   *   path template); past that, 429 whose message alone states the wait ("… Please try again in 20s."), with no
   *   `Retry-After` and no `x-ratelimit-*` headers;
   * - creates answering 200 or 201, chosen per create from the seed (the live API has flipped between them);
   * - costs `amount.value` as a decimal string ("0.0123450123456789012") instead of a number;
   * - a read-after-write window (`readAfterWriteMs`): a resource just created answers 404 for a moment.
   *
   * @example
   * ```ts
   * let now = Date.UTC(2025, 0, 1);
   * const emu = await startEmulator({ realism: 'api', rateLimit: { requests: 3, windowMs: 1_000 }, now: () => now });
   * // the 4th GET /v1/organization/projects within a second → 429 "… Please try again in 1s. …"
   * now += 1_000; // the window has passed: the route answers again
   * ```
   */
  realism?: 'none' | 'api';
  /**
   * With `realism: 'api'`: the per-route budget (default `{ requests: 10, windowMs: 60_000 }`, like the live API),
   * or `false` for none.
   *
   * @example
   * ```ts
   * const emu = await startEmulator({ realism: 'api', rateLimit: { requests: 5, windowMs: 200 } }); // a fast-refilling bucket
   * ```
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * With `realism: 'api'`: how long a resource just created answers 404, in ms by the emulator's clock
   * (default 500; 0 for never).
   *
   * @example
   * ```ts
   * const emu = await startEmulator({ realism: 'api', readAfterWriteMs: 0 }); // realistic, but reads see writes at once
   * ```
   */
  readAfterWriteMs?: number;
  /**
   * The emulator's clock, in ms since the epoch (default `Date.now`): timestamps of new objects, "now" for usage,
   * rate-limit windows and the read-after-write window all read it, so a test can move time by hand.
   *
   * @example
   * ```ts
   * let now = Date.UTC(2025, 0, 1);
   * const emu = await startEmulator({ now: () => now });
   * now += 60_000; // a minute later, instantly
   * ```
   */
  now?: () => number;
  /**
   * With `realism: 'api'`: how usage and costs differ from their final numbers, as on the live API (default
   * {@link LIVE_USAGE_QUIRKS}: buckets revised for 900 s after they close, costs 86,400 s late, `group_by=api_key_id`
   * on costs refused with a 400), each overridable, or `false` for none. The final numbers stay queryable with
   * {@link Emulator.truth}.
   *
   * @example
   * ```ts
   * const clock = manualClock(Date.UTC(2026, 10, 30, 12));
   * const emu = await startEmulator({ realism: 'api', rateLimit: false, now: clock.now, usageQuirks: { costsDelaySeconds: 0 } });
   * // a minute bucket read at its close reports half its tokens; clock.advance(900_000) and it reports them all
   * ```
   */
  usageQuirks?: Partial<UsageQuirkSettings> | false;
  /**
   * A file that keeps the organisation across restarts: loaded at start when it exists (its seed wins; `users`
   * and `projects` then do not apply), written when it does not, and replaced atomically after every change
   * before the change is answered, so even a killed emulator (SIGKILL) restarts with every acknowledged change.
   *
   * @example
   * ```ts
   * const emu = await startEmulator({ stateFile: 'org.json' });
   * await new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: emu.url }).projects.create({ name: 'Kept' });
   * await emu.close(); // the next startEmulator({ stateFile: 'org.json' }) lists 'Kept'
   * ```
   */
  stateFile?: string;
}

/** A usage or costs query as {@link Emulator.truth} takes it: the endpoint's parameters, arrays as arrays. */
export type TruthQuery = { start_time: number } & Record<string, unknown>;

/** One bucket of {@link Emulator.truth}: its time range and results as the endpoint would answer them. */
export interface TruthBucket {
  start_time: number;
  end_time: number;
  results: TruthResult[];
}

/** One result of a {@link TruthBucket}: dimensions and counters, and for costs the amount as the endpoint sends it. */
export type TruthResult = Record<string, unknown> & { amount?: { value: number | string; currency: string } };

/** A running emulator. */
export interface Emulator {
  /** Base URL to give a client, e.g. `http://127.0.0.1:53412/v1`. */
  readonly url: string;
  /** The in-memory organisation, for arranging and asserting state directly in tests. */
  readonly state: EmulatorState;
  /**
   * Every request received, in order (method and URL path with query). A test can prove that something was
   * NOT sent, e.g. a CLI `--dry-run`. Keeps the last 10 000.
   */
  readonly requests: ReadonlyArray<{ readonly method: string; readonly url: string }>;
  /**
   * The final numbers of a usage family or of costs, once every revision has settled and every late cost has arrived:
   * what the endpoint answers (decimal amounts included, with `realism: 'api'`) with the usage quirks off, every page
   * walked. `query` is in the parsed form (`group_by` an array; `end_time` defaults to the emulator's now). The
   * truth a ledger, an exporter or a FOCUS file is tested against.
   *
   * @example
   * ```ts
   * const buckets = emu.truth('usageCosts', { start_time, end_time, group_by: ['project_id', 'line_item'] });
   * const total = buckets.flatMap((b) => b.results).reduce((s, r) => s + Number(r.amount.value), 0);
   * ```
   */
  truth(operation: UsageOperation, query: TruthQuery): TruthBucket[];
  /** Changes the fault knobs of the running emulator (e.g. turn 429s on for one test); checked as at start. */
  setFaults(faults: FaultOptions): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts a local emulator of the OpenAI Administration API: all operations of the project's
 * openapi.yaml, with realistic ids, exact pagination, synthetic but seeded usage and costs, OpenAI's
 * error shape, and optional seeded faults. Any bearer key is accepted except project keys
 * (`sk-proj-…`), which get the same 401 as upstream; examples use {@link DEMO_ADMIN_KEY}.
 *
 * @example
 * ```ts
 * import { startEmulator, DEMO_ADMIN_KEY } from 'openai-admin/testing';
 *
 * const emu = await startEmulator({ seed: 42, users: 5000 });
 * const res = await fetch(`${emu.url}/organization/projects?limit=2`, {
 *   headers: { authorization: `Bearer ${DEMO_ADMIN_KEY}` },
 * });
 * console.log((await res.json()).data.map((p: { name: string }) => p.name));
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const {
    port = 0,
    host = '127.0.0.1',
    seed = 'emulator',
    faults = {},
    users,
    projects,
    realism = 'none',
    now = Date.now,
  } = options;
  if (realism !== 'none' && realism !== 'api')
    throw new TypeError(`realism must be 'none' or 'api' (got ${String(realism)})`);
  const saved = options.stateFile === undefined ? undefined : readStateFile(options.stateFile);
  const state = new EmulatorState(saved ? stateFileSeed(saved, options.stateFile!) : String(seed), now);
  if (saved) restoreState(state, saved, options.stateFile!);
  else seedState(state, { users, projects });
  const save =
    options.stateFile === undefined ? undefined : () => writeFileAtomic(options.stateFile!, serializeState(state));
  save?.();
  const injector = new FaultInjector(state.seed, checkFaultOptions(faults));
  const realistic = realism === 'api' ? realismFor(state.seed, options, now) : null;
  const server = createEmulatorServer(state, injector, realistic, save);
  const requests: Array<{ method: string; url: string }> = [];
  server.on('request', (req: { method?: string; url?: string }) => {
    // Bounded, so a long-running `openai-admin emulator` does not grow without limit.
    if (requests.length >= MAX_LOGGED_REQUESTS) requests.shift();
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}/v1`,
    state,
    requests,
    truth(operation, query) {
      if (!Object.hasOwn(USAGE_KINDS, operation)) throw new TypeError(`not a usage operation: ${String(operation)}`);
      // One group as a string, as a query string would carry it, is a list of one (not a list of its letters).
      if (typeof query.group_by === 'string') query = { ...query, group_by: [query.group_by] };
      const buckets: TruthBucket[] = [];
      for (let page: string | undefined; ;) {
        let body: unknown = usagePage(state, operation, page === undefined ? query : { ...query, page });
        if (operation === 'usageCosts' && realistic?.settings.decimalAmounts) body = decimalCosts(state.seed, body);
        const { data, has_more, next_page } = body as { data: TruthBucket[]; has_more: boolean; next_page: string };
        buckets.push(...data.map(({ start_time, end_time, results }) => ({ start_time, end_time, results })));
        if (!has_more) return buckets;
        page = next_page;
      }
    },
    setFaults(next: FaultOptions) {
      injector.options = checkFaultOptions(next);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The Realism of `realism: 'api'`, with the options' overrides checked (a bad value fails at start, naming it). */
function realismFor(seed: string, options: EmulatorOptions, now: () => number): Realism {
  const { rateLimit = {}, readAfterWriteMs = DEFAULT_READ_AFTER_WRITE_MS, usageQuirks = {} } = options;
  const limit = rateLimit === false ? null : { ...DEFAULT_RATE_LIMIT, ...rateLimit };
  if (limit && (!Number.isInteger(limit.requests) || limit.requests < 1))
    throw new TypeError(`rateLimit.requests must be a positive integer (got ${String(limit.requests)})`);
  if (limit && !(limit.windowMs > 0))
    throw new TypeError(`rateLimit.windowMs must be a positive number of ms (got ${String(limit.windowMs)})`);
  if (!(readAfterWriteMs >= 0))
    throw new TypeError(`readAfterWriteMs must be 0 or more (got ${String(readAfterWriteMs)})`);
  const quirks = usageQuirks === false ? undefined : { ...LIVE_USAGE_QUIRKS, ...usageQuirks };
  for (const knob of ['revisionSeconds', 'costsDelaySeconds'] as const)
    if (quirks && !(Number.isFinite(quirks[knob]) && quirks[knob] >= 0))
      throw new TypeError(`usageQuirks.${knob} must be 0 or more seconds (got ${String(quirks[knob])})`);
  const paths = Object.values(operations).map((op) => op.path);
  return new Realism(
    seed,
    { rateLimit: limit, readAfterWriteMs, flipCreateStatus: true, decimalAmounts: true, usageQuirks: quirks },
    now,
    paths,
  );
}
