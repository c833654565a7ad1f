import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Stream from 'node:stream';
import type * as Zlib from 'node:zlib';
import type { Transport, TransportFailure, TransportResponse } from './transport.js';
import { VERSION } from '../../version.js';

/**
 * The default transport in Node: node:http(s) with keep-alive agents. Measured against Node's fetch (undici)
 * on the bench server it does the same request in about 0.6 × the time and iterates 200 000 items with under a
 * third of the RSS growth (bench/). Modules come from process.getBuiltinModule (Node ≥ 20.16), which bundlers
 * do not see, so a browser build never tries to resolve node:http; where it is missing, config.ts uses fetch.
 *
 * Like the fetch transport it follows no redirect (a 3xx is returned as a response, which request.ts turns into an
 * error) and takes at most maxResponseBytes of decoded body. Unlike fetch, the Response is built only when asked.
 */

type StreamModule = ReturnType<typeof process.getBuiltinModule<'node:stream'>>;

/** The modules, and keep-alive agents by their maxSockets, that every client in the process shares. */
interface Shared {
  http: typeof Http;
  https: typeof Https;
  zlib: typeof Zlib;
  stream: StreamModule;
  agents: Map<number, Agents>;
}
let shared: Shared | undefined;

/** Keep-alive agents, and agents whose connections serve one request (for `fresh` requests), under one bound. */
interface Agents {
  http: Http.Agent;
  https: Https.Agent;
  freshHttp: Http.Agent;
  freshHttps: Https.Agent;
}

/**
 * Idle sockets are closed after 4 s (or sooner when the server's Keep-Alive hint asks, which Node's agent
 * honours with a 1 s margin), so a reused socket is rarely one the server is closing at that moment; idle
 * sockets are unref'd and never keep the process alive.
 */
const IDLE_SOCKET_MS = 4_000;

const USER_AGENT = `openai-admin/${VERSION} node/${process.version}`;

function load(): Shared {
  // Only called where config.ts found process.getBuiltinModule; bundlers do not follow it. node:https (with tls and
  // all of crypto) and node:zlib are loaded on first use: an http:// base URL (the emulator) with identity bodies
  // never needs them, and loading them costs a CLI command about a tenth of its start-up (issue 17 §8).
  let https: typeof Https | undefined;
  let zlib: typeof Zlib | undefined;
  return {
    http: process.getBuiltinModule('node:http'),
    get https() {
      return (https ??= builtin('node:https'));
    },
    get zlib() {
      return (zlib ??= builtin('node:zlib'));
    },
    stream: process.getBuiltinModule('node:stream'),
    agents: new Map(),
  };
}

/** A built-in module config.ts did not check for (it loads only node:http and node:stream to decide). */
function builtin<Id extends 'node:https' | 'node:zlib'>(id: Id): ReturnType<typeof process.getBuiltinModule<Id>> {
  const module = process.getBuiltinModule(id);
  if (!module) throw new Error(`this runtime has no ${id}`);
  return module;
}

/**
 * The agents for a connection bound: one set per distinct maxSockets in the process (in practice one), made
 * when a client is built (the https pair on its first https request), so a call allocates nothing for them.
 * `maxSockets` is per host (and port), as in Node.
 */
function agentsFor(s: Shared, maxSockets: number) {
  let pair = s.agents.get(maxSockets);
  if (!pair) {
    const once = { keepAlive: false, maxSockets };
    let https: Https.Agent | undefined;
    let freshHttps: Https.Agent | undefined;
    pair = {
      http: keepAliveAgent(s.http.Agent, maxSockets),
      freshHttp: new s.http.Agent(once),
      get https() {
        return (https ??= keepAliveAgent(s.https.Agent, maxSockets));
      },
      get freshHttps() {
        return (freshHttps ??= new s.https.Agent(once));
      },
    };
    s.agents.set(maxSockets, pair);
  }
  return pair;
}

/**
 * A keep-alive agent whose idle sockets get IDLE_SOCKET_MS (or the server's Keep-Alive hint, which Node's agent
 * honours with a 1 s margin), set as a socket goes back to the pool. Not the agent's `timeout` option: with it Node
 * also arms and disarms the socket's timer and adds and removes a listener on every request (about a tenth of this
 * transport's cost per request, bench/). The timer stays set while the socket serves a request, which is harmless:
 * the agent closes only free sockets on it, and a request's own deadline is this transport's timer. Node's own
 * keepSocketAlive reads the option when a socket is freed; it sees it only then.
 */
function keepAliveAgent<A extends Http.Agent>(Agent: new (options: Http.AgentOptions) => A, maxSockets: number): A {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const options = (agent as unknown as { options?: { timeout?: number } }).options;
  // A runtime whose agent lacks Node's internals (Bun, Deno) gets the plain option, at its per-request cost.
  if (typeof agent.keepSocketAlive !== 'function' || typeof options !== 'object' || options === null)
    return new Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS });
  const keep = agent.keepSocketAlive.bind(agent);
  agent.keepSocketAlive = (socket) => {
    options.timeout = IDLE_SOCKET_MS;
    try {
      return keep(socket);
    } finally {
      options.timeout = undefined;
    }
  };
  return agent;
}

export interface NodeTransportOptions {
  /**
   * Most open connections per host; further calls wait for one to free up. Required rather than defaulted here:
   * the default (DEFAULT_MAX_SOCKETS) lives in transport.ts, which this lazily loaded module must not import.
   */
  maxSockets: number;
}

/** A request's deadline: `expire` is called once `at` (performance.now()) has passed, unless stopped before. */
interface Deadline {
  at: number;
  expire: () => void;
}

/**
 * The deadlines of a transport's requests under one timer, armed for the earliest of them, instead of a timer per
 * request: Node's setTimeout and clearTimeout made and dropped a timer (and its timer list) on every request, about a
 * seventh of what this transport added to a bare node:http request (bench/floor-cost.sh). A deadline expires no
 * sooner than its timer would have. The timer is unref'd: a request in flight keeps the process alive by its socket
 * (or its DNS lookup), as it did, and an idle client holds nothing (where timers cannot be unref'd, by clearing it).
 */
function deadlines() {
  const pending = new Set<Deadline>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedFor = Infinity;
  let unrefed = false;
  const disarm = () => {
    clearTimeout(timer);
    armedFor = Infinity;
  };
  const arm = (at: number, now: number) => {
    disarm();
    armedFor = at;
    timer = setTimeout(fire, at - now);
    // Deno's setTimeout returns a number, which cannot be unref'd: there the timer is cleared when nothing is in flight.
    const { unref } = timer as { unref?: () => void };
    unrefed = typeof unref === 'function';
    unref?.call(timer);
  };
  const fire = () => {
    armedFor = Infinity;
    const now = performance.now();
    let next = Infinity;
    const due: Deadline[] = [];
    for (const deadline of pending) {
      if (deadline.at <= now) due.push(deadline);
      else if (deadline.at < next) next = deadline.at;
    }
    // Earliest first, whatever the order they were started in (a stalled process finds several due at once).
    for (const deadline of due.sort((a, b) => a.at - b.at)) {
      pending.delete(deadline);
      deadline.expire();
    }
    // Node's timers may fire a little before performance.now() reaches `at`: then this one is simply armed again.
    if (next < Infinity) arm(next, now);
  };
  return {
    start(ms: number, expire: () => void): Deadline {
      const now = performance.now();
      const deadline = { at: now + ms, expire };
      pending.add(deadline);
      if (deadline.at < armedFor) arm(deadline.at, now);
      return deadline;
    },
    stop(deadline: Deadline) {
      if (pending.delete(deadline) && !pending.size && !unrefed) disarm();
    },
  };
}

/** The node:http(s) transport. Needs process.getBuiltinModule (Node ≥ 20.16); config.ts checks before loading this. */
export function nodeTransport({ maxSockets }: NodeTransportOptions): Transport {
  const s = (shared ??= load());
  const { http } = s;
  const pool = agentsFor(s, maxSockets);
  const timers = deadlines();
  const targets = urlTargets();
  // What fetch would add by itself; a user-agent names the client in server and proxy logs. Calls without a body
  // pass the client's own header object every time: its outgoing copy is made once.
  const withDefaults = (headers: Record<string, string>): Record<string, string> => ({
    'accept-encoding': 'gzip, deflate, br',
    'user-agent': USER_AGENT,
    ...headers,
  });
  let last: { headers: Record<string, string>; outgoing: Record<string, string> } | undefined;
  return ({ url, method, headers, body, timeoutMs, signal, maxResponseBytes, fresh }) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const secure = url.startsWith('https:');
      let outgoing: Record<string, string>;
      if (body !== undefined) {
        outgoing = withDefaults(headers);
        outgoing['content-length'] = String(Buffer.byteLength(body));
      } else {
        if (last?.headers !== headers) last = { headers, outgoing: withDefaults(headers) };
        outgoing = last.outgoing;
      }
      let connected = false;
      let received = false;
      let settled = false;
      /** The decompression stages of the response being read, closed with the request on failure. */
      let decoders: Stream.Duplex[] | undefined;
      const fail = (
        failure: TransportFailure['failure'],
        detail: string,
        cause?: unknown,
        res?: Http.IncomingMessage,
      ) => {
        if (settled) return;
        settled = true;
        cleanup();
        req.destroy();
        if (decoders) for (const d of decoders) d.destroy();
        const failed: TransportFailure = { failure, sent: connected, detail, receivedResponse: received, cause };
        if (res) ((failed.status = res.statusCode ?? 0), (failed.headers = headerRecord(res.headers)));
        reject(failed);
      };
      const onAbort = () => fail('aborted', 'aborted by the caller');
      const deadline = timers.start(timeoutMs, () => fail('timeout', `timed out after ${timeoutMs} ms`));
      const cleanup = () => {
        timers.stop(deadline);
        signal?.removeEventListener('abort', onAbort);
      };
      /**
       * Runs a stream event handler so that nothing it throws escapes into the stream machinery, where it would
       * be an uncaught exception that ends the process: it fails this call instead.
       */
      const guarded =
        <A>(handler: (arg: A) => void) =>
        (arg: A) => {
          try {
            handler(arg);
          } catch (error) {
            fail('connection', detailOf(error as Error), error);
          }
        };
      const agent = fresh ? (secure ? pool.freshHttps : pool.freshHttp) : secure ? pool.https : pool.http;
      // The URL taken apart here when that is exact (urlTargets); otherwise node:http parses it.
      const target = targets(url);
      const onResponse = guarded((res: Http.IncomingMessage) => {
        received = true;
        const encoding = res.headers['content-encoding'];
        const tooLarge = (detail: string, cause?: unknown) => fail('too-large', detail, cause, res);
        res.on('error', (error) => fail('connection', detailOf(error), error));
        res.on('close', () => {
          if (!res.complete) fail('connection', 'ECONNRESET', new Error('the response ended early'));
        });
        let source: Stream.Readable = res;
        if (encoding) {
          decoders = decodersFor(s, encoding);
          for (const decoder of decoders) {
            decoder.on('error', (error) =>
              fail('connection', `undecodable ${encoding} body: ${detailOf(error)}`, error),
            );
            source = source.pipe(decoder);
          }
        }
        // Identity bodies declare their size: one over the limit is refused before a byte is read.
        const declared = res.headers['content-length'];
        if (source === res && declared !== undefined && Number(declared) > maxResponseBytes) {
          return tooLarge(`content-length ${declared}`);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        source.on(
          'data',
          guarded((chunk: Buffer) => {
            size += chunk.length;
            if (size > maxResponseBytes) return tooLarge(`the body passed ${maxResponseBytes} bytes`);
            chunks.push(chunk);
          }),
        );
        source.on(
          'end',
          guarded(() => {
            if (settled) return;
            let text: string;
            try {
              text = utf8(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
            } catch (error) {
              // Longer than a string can be (only reachable with maxResponseBytes raised past ~512 MiB).
              return tooLarge(`${size} bytes are too long for a string`, error);
            }
            settled = true;
            cleanup();
            resolve(new NodeResponse(text, res));
          }),
        );
      });
      const module = secure ? s.https : http;
      // An object literal of the fields node:http reads, `method` only when it is not node:http's default: a spread
      // object, `hostname` (node:http then adds `host` to its copy) and `method: 'GET'` (checked and upper-cased)
      // each cost more, together about 29k instructions a request (bench/floor-cost.sh). The agent is the protocol's.
      const req = target
        ? module.request(
            method === 'GET'
              ? { host: target.hostname, port: target.port, path: target.path, headers: outgoing, agent }
              : { host: target.hostname, port: target.port, path: target.path, headers: outgoing, agent, method },
            onResponse,
          )
        : module.request(url, { method, headers: outgoing, agent }, onResponse);
      // Until the connection (and TLS) is up no byte of the request has left, so a failure then is retryable. A
      // pooled socket (the agent says so before request() returns) is up: no listener needed on the usual path.
      if (req.reusedSocket) connected = true;
      else
        req.on('socket', (socket) => {
          if (!socket.connecting) connected = true;
          else socket.once(secure ? 'secureConnect' : 'connect', () => (connected = true));
        });
      // A refused or unresolvable connection never got to 'connect', so it is reported as not sent.
      req.on('error', (error) => fail('connection', detailOf(error), error));
      if (signal) {
        if (signal.aborted) return fail('aborted', 'aborted by the caller');
        signal.addEventListener('abort', onAbort, { once: true });
      }
      req.end(body);
    });
}

// ------------------------------------------------------------------ a URL taken apart once per origin

/**
 * Where node:http sends a URL, worked out without parsing the whole URL each time. `http.request(url)` parses
 * every URL with `new URL` and copies it into an options object; giving it the options instead took a warm
 * retrieve from 261k to 229k instructions (bench/floor-cost.sh; the bare loop's: 219k). A client's URLs share one
 * origin, so the origin is parsed once; the rest of a URL is taken as the path when `new URL` would leave it
 * exactly as written, and otherwise the URL goes to node:http as it is.
 */

/** The fields `url.urlToHttpOptions(new URL(url))` gives node:http, for the URLs taken here. */
export interface URLTarget {
  protocol: string;
  hostname: string;
  port: number | undefined;
  path: string;
}

/**
 * Characters `new URL` keeps as they are in an http(s) path and query: RFC 3986's unreserved and sub-delimiters
 * but `'` (a special URL's query percent-encodes it), and `:@%/?[]` (the brackets of `effective_at[gte]`), after
 * the path's first `/`. No `#`, no whitespace, nothing outside ASCII. A trailing `?` is dropped by `new URL` (an
 * empty query), so plainPath refuses it too.
 */
const PLAIN = /^\/[\w\-.~!$&()*+,;=:@%/?[\]]*$/;
/** `.`, `..` and their `%2e` spellings are resolved by `new URL`; any segment starting with one is left to it. */
const DOT_SEGMENT = /\/(?:\.|%2e)/i;

/** A URL's path and query as `new URL` would leave them, or undefined when it would change them. */
export function plainPath(rest: string): string | undefined {
  return PLAIN.test(rest) && !DOT_SEGMENT.test(rest) && !rest.endsWith('?') ? rest : undefined;
}

/**
 * The origin a URL starts with, as written (`http://127.0.0.1:4010`), and what node:http needs of it, or undefined
 * when `new URL` would spell it otherwise (capitals, a default port, userinfo, a backslash): such a URL is left to
 * node:http whole.
 */
export function parseOrigin(url: string): { prefix: string; origin: Omit<URLTarget, 'path'> | undefined } | undefined {
  const scheme = url.indexOf('://');
  const slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
  if (slash < 0) return undefined;
  const prefix = url.slice(0, slash);
  let parsed: URL;
  try {
    parsed = new URL(prefix);
  } catch {
    return { prefix, origin: undefined };
  }
  if (parsed.origin !== prefix || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    return { prefix, origin: undefined };
  const { hostname, port } = parsed;
  return {
    prefix,
    origin: {
      protocol: parsed.protocol,
      // As url.urlToHttpOptions gives it: an IPv6 address without its brackets.
      hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
      port: port === '' ? undefined : Number(port),
    },
  };
}

/**
 * A per-transport function from URL to target, remembering the last origin (a client talks to one): undefined means
 * "give node:http the URL itself".
 */
export function urlTargets(): (url: string) => URLTarget | undefined {
  let last: ReturnType<typeof parseOrigin>;
  return (url) => {
    let known = last;
    if (!known || !url.startsWith(known.prefix) || url.charCodeAt(known.prefix.length) !== 47 /* '/' */)
      known = last = parseOrigin(url);
    const origin = known?.origin;
    if (!known || !origin) return undefined;
    const path = plainPath(url.slice(known.prefix.length));
    return path === undefined
      ? undefined
      : { protocol: origin.protocol, hostname: origin.hostname, port: origin.port, path };
  };
}

const detailOf = (error: Error & { code?: unknown }) =>
  typeof error.code === 'string' ? error.code : String(error?.message ?? error);

/**
 * Streaming decoders for the content codings fetch decodes (gzip, deflate, br), last applied first, to be piped
 * one into the next; decoding stops at a coding it does not know, leaving the body as it is from there. Output
 * arrives chunk by chunk, so the caller counts it and stops a decompression bomb after `maxResponseBytes`.
 */
function decodersFor({ zlib, stream }: Shared, encoding: string): Stream.Duplex[] {
  const codings = encoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity')
    .reverse();
  const out: Stream.Duplex[] = [];
  for (const coding of codings) {
    // A truncated gzip body yields what it has, as fetch does, rather than an error.
    if (coding === 'gzip' || coding === 'x-gzip')
      out.push(zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    else if (coding === 'deflate') out.push(deflateDecoder(zlib, stream));
    else if (coding === 'br') out.push(zlib.createBrotliDecompress());
    else break;
  }
  return out;
}

/**
 * "deflate" is meant to be zlib-wrapped, but some servers send it raw: the first byte tells them apart, so the
 * inflater is chosen when it arrives and everything is passed through it.
 */
function deflateDecoder(zlib: typeof Zlib, stream: StreamModule): Stream.Duplex {
  let inner: Zlib.Inflate | Zlib.InflateRaw | undefined;
  const outer: Stream.Transform = new stream.Transform({
    transform(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void) {
      if (!inner) {
        inner = (chunk[0] & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw();
        inner.on('data', (data: Buffer) => outer.push(data));
        inner.on('error', (error) => outer.destroy(error));
      }
      inner.write(chunk, () => done());
    },
    flush(done: (error?: Error | null) => void) {
      if (!inner) return done();
      inner.once('end', () => done());
      inner.end();
    },
    destroy(error: Error | null, done: (error: Error | null) => void) {
      inner?.destroy();
      done(error);
    },
  });
  return outer;
}

function utf8(buf: Buffer): string {
  const text = buf.toString('utf8');
  // fetch's text() drops a byte-order mark; JSON.parse would choke on it.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function headerRecord(raw: Http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Statuses whose Response must have a null body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * What the request loop reads of a response. A class rather than an object of closures: a response is made per
 * request, and its methods are the same for all.
 */
class NodeResponse implements TransportResponse {
  readonly status: number;
  #built: Response | undefined;

  constructor(
    readonly text: string,
    private readonly res: Http.IncomingMessage,
  ) {
    this.status = res.statusCode ?? 0;
  }

  header(name: string): string | null {
    const value = this.res.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of Object.keys(this.res.headers)) out[name] = this.header(name)!;
    return out;
  }

  toResponse(): Response {
    if (this.#built) return this.#built;
    const { status, res } = this;
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : [value ?? '']) headers.append(name, v);
    }
    return (this.#built = new Response(NULL_BODY.has(status) ? null : this.text, {
      status,
      statusText: res.statusMessage ?? '',
      headers,
    }));
  }
}
