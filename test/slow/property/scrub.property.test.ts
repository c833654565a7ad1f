/**
 * Property suite (fast-check): for any placement of the API key in a response (a header, the status text, the
 * body as text, at any depth of a JSON body as a value or as a key) in any encoding (see keyEncodings) and any
 * status, no surface of the error the client throws shows the key in any encoding: message, String(err),
 * util.inspect(err, { depth: Infinity }), JSON.stringify(err), headers, error, body, issues, and the cause chain.
 * The response comes from an injected fetch, so a run costs no socket.
 */
import fc from 'fast-check';
import { OpenAIAdmin } from '../../../src/client';
import { OpenAIAdminError } from '../../../src/core/base/errors';
import { SECRET_KEY } from '../../support/client';
import { errorSurfaces, keyEncodings, leaksIn } from '../../support/key-forms';

const ENCODINGS = keyEncodings(SECRET_KEY);
const RUNS = { numRuns: 300 };
const PROJECT = {
  id: 'proj_1',
  object: 'organization.project',
  name: 'P',
  created_at: 1_700_000_000,
  archived_at: null,
  status: 'active',
};

const text = fc.stringMatching(/^[ -~]{0,12}$/);
// A long run before the key puts it across the point where excerpts of non-JSON bodies are cut (80 and 200).
const cutAt = (cut: number) => fc.integer({ min: 1, max: 70 }).map((back) => Math.max(0, cut - back));
const padding = fc.oneof(fc.nat({ max: 220 }), cutAt(80), cutAt(200)).map((n) => 'x'.repeat(n));
const encoded = fc
  .record({ name: fc.constantFrom(...Object.keys(ENCODINGS)), pad: padding, before: text, after: text })
  .map(({ name, pad, before, after }) => ({
    name,
    value: `${pad}${before}${ENCODINGS[name]}${after}`,
  }));
const jsonPath = fc.array(fc.oneof(fc.constant(0), fc.stringMatching(/^[a-z_]{1,8}$/)), { maxLength: 40 });
const placement = fc.oneof(
  fc.record({
    where: fc.constant('header' as const),
    header: fc.constantFrom('x-echo', 'www-authenticate', 'x-request-id', 'retry-after', 'content-type'),
  }),
  fc.record({ where: fc.constant('status-text' as const) }),
  fc.record({ where: fc.constant('text-body' as const) }),
  fc.record({ where: fc.constant('error-message' as const) }),
  fc.record({ where: fc.constant('json-value' as const), path: jsonPath }),
  fc.record({ where: fc.constant('json-key' as const), path: jsonPath }),
);
const status = fc.constantFrom(200, 400, 401, 403, 404, 409, 422, 429, 500, 503);
const call = fc.constantFrom('retrieve', 'create');

/** A JSON value with `leaf` at the end of `path` (numbers are array indexes, strings object keys). */
function nest(path: (string | number)[], leaf: unknown): unknown {
  return path.reduceRight<unknown>((inner, step) => (typeof step === 'number' ? [inner] : { [step]: inner }), leaf);
}

function response(
  where: string,
  value: string,
  code: number,
  path: (string | number)[] = [],
  header = 'x-echo',
): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let body: string;
  const errorBody = (echo: unknown) => ({ error: { message: 'failed', type: 'invalid_request_error', echo } });
  // A 200 must fail somewhere to make an error: strict validation (created_at is not an integer) or bad JSON.
  const wrap = (echo: unknown) => JSON.stringify(code === 200 ? { ...PROJECT, created_at: echo } : errorBody(echo));
  switch (where) {
    case 'header':
      headers[header] = value;
      body = code === 200 ? '{"truncated' : JSON.stringify(errorBody(null));
      break;
    case 'text-body':
      headers['content-type'] = 'text/html';
      body = `<html><body><p>${value}</p></body></html>`;
      break;
    case 'error-message':
      body = code === 200 ? wrap(value) : JSON.stringify({ error: { message: value } });
      break;
    case 'json-value':
      body = wrap(nest(path, value));
      break;
    case 'json-key':
      body = wrap(nest(path, { [value]: 1 }));
      break;
    default:
      body = code === 200 ? '{"truncated' : JSON.stringify(errorBody(null));
  }
  return new Response(body, { status: code, statusText: where === 'status-text' ? value : 'Whatever', headers });
}

test('no error surface ever shows the key, for any placement and encoding', async () => {
  await fc.assert(
    fc.asyncProperty(encoded, placement, status, call, async (key, place, code, method) => {
      const admin = new OpenAIAdmin({
        apiKey: SECRET_KEY,
        baseURL: 'http://127.0.0.1:9/v1',
        maxRetries: 0,
        // A 429 is pacing (scheduler.ts): with no wait allowed it is a RateLimitError at once, whose surfaces are checked.
        maxRateLimitWait: 0,
        validate: 'strict',
        logger: { debug() {}, warn() {} },
        fetch: async () =>
          response(
            place.where,
            key.value,
            code,
            'path' in place ? place.path : [],
            'header' in place ? place.header : undefined,
          ),
      });
      let error: unknown;
      try {
        if (method === 'retrieve') await admin.projects.retrieve('proj_1');
        else await admin.projects.create({ name: 'x' });
      } catch (caught) {
        error = caught;
      }
      // Some placements leave a valid success (a header on a 200 with a valid body is not an error).
      if (error === undefined) return;
      expect(error).toBeInstanceOf(OpenAIAdminError);
      let surfaces = errorSurfaces(error);
      for (let cause = (error as { cause?: unknown }).cause; cause; cause = (cause as { cause?: unknown }).cause)
        surfaces += errorSurfaces(cause);
      expect({ encoding: key.name, place, leaks: leaksIn(surfaces, SECRET_KEY) }).toEqual({
        encoding: key.name,
        place,
        leaks: [],
      });
    }),
    RUNS,
  );
});
