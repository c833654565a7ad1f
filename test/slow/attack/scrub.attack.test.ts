/**
 * Attack: a hostile API or proxy on 127.0.0.1 echoes back the Authorization header it received, in every
 * encoding of test/support/key-forms.ts, in every place a response has (status text, headers, JSON message,
 * deep JSON keys and values, HTML, a broken 200, a 200 that fails strict validation, a 5xx on a create, a
 * malformed HTTP response whose raw bytes end up in the error's cause), on both transports: the default Node
 * transport and `fetch: globalThis.fetch`. No error surface may show the key in any encoding.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import { OpenAIAdmin } from '../../../src/client';
import {
  InternalServerError,
  OpenAIAdminError,
  OutcomeUnknownError,
  RateLimitError,
  type APIError,
} from '../../../src/core/base/errors';
import { rejectionOf } from '../../support/client';
import { errorSurfaces, keyEncodings, leaksIn } from '../../support/key-forms';

const KEY = 'sk-admin-ATTACK-0123456789abcdefXYZ';
const ENCODINGS = Object.keys(keyEncodings(KEY));
const PLACEMENTS = [
  'status-text',
  'header',
  'json-message',
  'json-deep',
  'html',
  'broken-200',
  'strict-200',
  'create-500',
] as const;
type Placement = (typeof PLACEMENTS)[number];

/** The key as the server received it, in the encoding the scenario asks for. */
function echoOf(req: IncomingMessage, encoding: string): string {
  const received = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  return keyEncodings(received)[encoding];
}

function reply(res: ServerResponse, placement: Placement, echo: string) {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}, reason?: string) => {
    res.writeHead(status, reason ?? 'Whatever', { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  let deep: unknown = { [echo]: echo, list: [echo, { inner: echo }] };
  for (let i = 0; i < 30; i++) deep = { [`level_${i}`]: deep, echo };
  switch (placement) {
    case 'status-text':
      return json(500, { error: { message: 'failed' } }, {}, `Failed for ${echo}`);
    case 'header':
      return json(
        404,
        { error: { message: 'nope' } },
        { 'x-echo': echo, 'www-authenticate': `Bearer error="invalid_token", token="${echo}"`, 'x-request-id': echo },
      );
    case 'json-message':
      return json(401, {
        error: {
          message: `Incorrect API key provided: ${echo}.`,
          type: 'invalid_request_error',
          param: echo,
          code: echo,
        },
      });
    case 'json-deep':
      return json(400, { error: { message: 'bad', details: deep } });
    case 'html':
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end(`<html><body><h1>Bad gateway</h1><pre>Authorization: ${echo}</pre></body></html>`);
    case 'broken-200':
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(`{"id": "proj_1", "echo": "${echo}`);
    case 'strict-200':
      return json(200, {
        id: 'proj_1',
        object: 'organization.project',
        name: echo,
        created_at: echo,
        status: 'active',
        [echo]: deep,
      });
    case 'create-500':
      return json(500, { error: { message: `internal error for ${echo}`, echo: deep } }, { 'x-echo': echo });
  }
}

let http: ReturnType<typeof createHttpServer>;
let raw: Server;
let requests = 0;

beforeAll(async () => {
  http = createHttpServer((req, res) => {
    requests++;
    // No keep-alive: a reused socket the server has just closed would fail a request before it arrives.
    res.setHeader('connection', 'close');
    req.resume();
    req.on('end', () => {
      // The scenario is named by the id in the path (retrieve) or by a header (create).
      const id = decodeURIComponent(req.url!.split('/').pop()!.split('?')[0]);
      const [placement, encoding] = ((req.headers['x-scenario'] as string | undefined) ?? id).split('~') as [
        Placement,
        string,
      ];
      reply(res, placement, echoOf(req, encoding));
    });
  });
  // A malformed HTTP response that carries the key: parser errors keep the raw bytes on the cause.
  raw = createNetServer((socket) => {
    socket.once('data', (data) => {
      const auth = /authorization: Bearer (\S+)/i.exec(data.toString('latin1'))?.[1] ?? '';
      socket.end(
        `HTTP/1.1 200 OK\r\nX-Echo: ${auth}\r\nBroken header line ${auth} ${keyEncodings(auth).base64}\r\n\r\n`,
      );
    });
  });
  await Promise.all([
    new Promise<void>((r) => http.listen(0, '127.0.0.1', r)),
    new Promise<void>((r) => raw.listen(0, '127.0.0.1', r)),
  ]);
});

afterAll(async () => {
  await Promise.all([new Promise((r) => http.close(r)), new Promise((r) => raw.close(r))]);
});

const TRANSPORTS: Array<[string, typeof fetch | undefined]> = [
  ['the node transport', undefined],
  ['fetch: globalThis.fetch', globalThis.fetch],
];

function client(server: { address(): AddressInfo | string | null }, fetch: typeof globalThis.fetch | undefined) {
  const { port } = server.address() as AddressInfo;
  return new OpenAIAdmin({
    apiKey: KEY,
    baseURL: `http://127.0.0.1:${port}/v1`,
    fetch,
    maxRetries: 0,
    validate: 'strict',
    logger: { debug() {}, warn() {} },
  });
}

/** Every surface of the error and of each error in its cause chain. */
function surfaces(error: unknown): string {
  let text = '';
  for (let e = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++)
    text += errorSurfaces(e);
  return text;
}

describe.each(TRANSPORTS)('on %s', (_name, fetch) => {
  test.each(PLACEMENTS)('the key echoed in the %s, in every encoding, is in no error surface', async (placement) => {
    const admin = client(http, fetch);
    const leaks: string[] = [];
    const before = requests;
    for (const encoding of ENCODINGS) {
      const scenario = `${placement}~${encoding}`;
      let error: unknown;
      try {
        if (placement === 'create-500')
          await admin.projects.create({ name: 'x' }, { headers: { 'x-scenario': scenario } });
        else await admin.projects.retrieve(scenario);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(OpenAIAdminError);
      for (const leak of leaksIn(surfaces(error), KEY)) leaks.push(`${encoding}: ${leak}`);
    }
    expect(leaks).toEqual([]);
    // A create's ambiguous 500 is followed by one reconciling list (reconcile.ts), which this server fails too.
    expect(requests - before).toBe(ENCODINGS.length * (placement === 'create-500' ? 2 : 1));
  });

  test('a malformed response carrying the key: the connection error and its cause chain (raw bytes included)', async () => {
    const error = await client(raw, fetch)
      .projects.retrieve('proj_1')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OpenAIAdminError);
    expect(leaksIn(surfaces(error), KEY)).toEqual([]);
  });
});

/**
 * A hostile error body far under maxResponseBytes that once broke the scrub itself: a 6 MB base64-alphabet run
 * overflowed its regex stack (a bare RangeError: no pacing, no retry, no reconciliation, so a duplicate create),
 * and a 16 MB run of one character cost about a minute of CPU. Whatever the body, the error keeps its class and
 * what follows it happens: a 429 is paced, a 5xx retried, a create's 500 reconciled or an OutcomeUnknownError.
 * The scrub that fails anyway (forced here: an engine limit cannot be reached on demand) withholds the text.
 */
describe('an error body built to break the scrub', () => {
  const MB = 1 << 20;
  /** A base64-alphabet run from a fixed-seed generator (no repeating period for the decoder to fall into). */
  function base64Run(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const chars = new Array<string>(length);
    for (let i = 0, seed = 21; i < length; i++) chars[i] = alphabet[(seed = (seed * 1103515245 + 12345) >>> 0) >>> 26];
    return chars.join('');
  }
  const BODIES = {
    // The key echoed base64-encoded after the run: the scrub must still find and cut it.
    '6 MB base64 run (JSON)': () => ({
      type: 'application/json',
      text: JSON.stringify({
        error: { message: `${base64Run(6 * MB)} ${Buffer.from(`Bearer ${KEY}`).toString('base64')}`, type: 'x' },
      }),
    }),
    '16 MB of one character (text)': () => ({ type: 'text/plain', text: 'a'.repeat(16 * MB) }),
    // Forced failure: every toLowerCase of a text holding this marker throws, as an engine limit would.
    'a body the scrub fails on (JSON)': () => ({
      type: 'application/json',
      text: JSON.stringify({ error: { message: `${FAILS} ${KEY}`, type: 'x' } }),
    }),
  };
  const FAILS = 'SCRUB-FAILS-HERE';
  type Body = keyof typeof BODIES;

  const PROJECT = {
    id: 'proj_hostile',
    object: 'organization.project',
    name: 'hostile',
    created_at: 0,
    archived_at: null,
    status: 'active',
  };
  /** What the server answers, in order: a hostile error, then the given follow-ups (a 200, a list). */
  let script: Array<(res: ServerResponse) => void> = [];
  let hostileRequests = 0;
  let server: ReturnType<typeof createHttpServer>;
  let originalToLowerCase: typeof String.prototype.toLowerCase;
  /** Set by the tests of the forced failure only (the check costs a pass over every lower-cased text). */
  let failing = false;

  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      hostileRequests++;
      res.setHeader('connection', 'close');
      req.resume();
      req.on('end', () => (script.shift() ?? ((r) => r.writeHead(599).end()))(res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    originalToLowerCase = String.prototype.toLowerCase;
    String.prototype.toLowerCase = function (this: string) {
      if (failing && this.includes(FAILS)) throw new RangeError('Maximum call stack size exceeded');
      return originalToLowerCase.call(this);
    };
  });
  afterAll(async () => {
    String.prototype.toLowerCase = originalToLowerCase;
    await new Promise((r) => server.close(r));
  });

  const hostile =
    (body: Body, status: number, headers: Record<string, string> = {}) =>
    (res: ServerResponse) => {
      failing = body === 'a body the scrub fails on (JSON)';
      const { type, text } = BODIES[body]();
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(text);
    };
  const ok = (value: unknown) => (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };

  function hostileClient(sleeps: number[], maxRetries = 0) {
    const { port } = server.address() as AddressInfo;
    return new OpenAIAdmin({
      apiKey: KEY,
      baseURL: `http://127.0.0.1:${port}/v1`,
      maxRetries,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      // Waits are recorded, not slept: the tests count requests and waits, never time.
      sleep: async (ms) => void sleeps.push(ms),
    });
  }

  /** The error, with no surface showing the key or (for the forced failure) the text the scrub could not check. */
  function checked(error: unknown, body: Body) {
    failing = false;
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(OpenAIAdminError);
    const shown = surfaces(error);
    expect(leaksIn(shown, KEY)).toEqual([]);
    if (body === 'a body the scrub fails on (JSON)') expect(shown).not.toContain(FAILS);
    return error as APIError;
  }

  const bodies = Object.keys(BODIES) as Body[];

  test.each(bodies)(
    '%s on a 429: a RateLimitError, paced (a wait, then sent again without using maxRetries)',
    async (body) => {
      script = [hostile(body, 429, { 'retry-after-ms': '5' }), ok(PROJECT)];
      hostileRequests = 0;
      await expect(hostileClient([]).projects.retrieve('proj_hostile')).resolves.toMatchObject({
        id: 'proj_hostile',
      });
      expect(hostileRequests).toBe(2);

      // And the error itself, when the server keeps answering so and the call gives up.
      script = [hostile(body, 429, { 'x-should-retry': 'false' })];
      const error = await rejectionOf(hostileClient([]).projects.retrieve('proj_hostile'));
      expect(checked(error, body)).toBeInstanceOf(RateLimitError);
      expect((error as APIError).status).toBe(429);
    },
  );

  test.each(bodies)('%s on a 500: an InternalServerError, retried', async (body) => {
    script = [hostile(body, 500), ok(PROJECT)];
    hostileRequests = 0;
    const sleeps: number[] = [];
    await expect(hostileClient(sleeps, 1).projects.retrieve('proj_hostile')).resolves.toMatchObject({
      id: 'proj_hostile',
    });
    expect(hostileRequests).toBe(2);
    expect(sleeps).toHaveLength(1); // the retry's backoff

    script = [hostile(body, 500)];
    const error = checked(await rejectionOf(hostileClient([]).projects.retrieve('proj_hostile')), body);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(500);
  });

  test.each(bodies)('%s on a create: reconciled, or an OutcomeUnknownError (never a duplicate)', async (body) => {
    const made = { ...PROJECT, created_at: Math.floor(Date.now() / 1000) };
    // The 500 is followed by the reconciling list, which finds the project the server did make.
    script = [
      hostile(body, 500),
      ok({ object: 'list', data: [made], first_id: made.id, last_id: made.id, has_more: false }),
    ];
    hostileRequests = 0;
    const result = await hostileClient([], 3).projects.create({ name: 'hostile' }).withResponse();
    expect(result.data).toMatchObject({ id: 'proj_hostile' });
    expect(result).toMatchObject({ reconciled: true });
    expect(hostileRequests).toBe(2);

    script = [hostile(body, 500)];
    hostileRequests = 0;
    const error = await rejectionOf(hostileClient([], 3).projects.create({ name: 'hostile' }, { reconcile: false }));
    expect(checked(error, body)).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).status).toBe(500);
    expect(hostileRequests).toBe(1);
  });
});
