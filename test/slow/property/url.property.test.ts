/**
 * Property suite (fast-check): path and query building for every operation in the generated table.
 * - any usable id round-trips through percent-encoding and WHATWG URL parsing, in the right segment;
 * - arrays serialise as repeated keys (`group_by=a&group_by=b`), objects as deepObject, scalars once;
 * - no id or query value, however hostile, yields a URL outside /v1/organization or /v1/projects on the same origin.
 */
import fc from 'fast-check';
import { operations, type OperationSpec } from '../../../generated/operations.gen';
import { RequestValidationError } from '../../../src/index';
import { buildPath, buildURL, serializeQuery } from '../../../src/core/pipeline/request';
import { pathIdProblem } from '../../../src/core/validation/validation';

const BASE = 'https://api.openai.com/v1';
const OPS: OperationSpec[] = Object.values(operations);
const WITH_IDS = OPS.filter((op) => op.pathParams.length > 0);
const RUNS = { numRuns: 300 };
/** False for strings with unpaired UTF-16 surrogates, which no URL can carry. */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

// Characters that matter to URLs, mixed with arbitrary unicode (including lone surrogates' neighbours).
const tricky = fc.constantFrom(
  '/',
  '\\',
  '.',
  '..',
  '%',
  '%2F',
  '%2e',
  '?',
  '#',
  '&',
  '=',
  '+',
  ' ',
  '\t',
  '\u0000',
  '@',
  ':',
  ';',
  '[',
  ']',
  '~',
  'é',
  '😀',
  '\u202e',
);
const idChars = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), tricky);
const anyId = fc.array(idChars, { minLength: 0, maxLength: 5 }).map((parts) => parts.join(''));
const usableId = anyId.filter((id) => pathIdProblem(id) === null && !id.includes('\u0000') && wellFormed(id));
const anyOp = fc.constantFrom(...WITH_IDS);

const idsFor = (op: OperationSpec, arb: fc.Arbitrary<string>) =>
  fc
    .tuple(...op.pathParams.map(() => arb))
    .map((values) => Object.fromEntries(op.pathParams.map((p, i) => [p, values[i]])));

/** Splits a template and a concrete pathname into segments and returns the concrete value of each {param}. */
function segmentsOf(op: OperationSpec, pathname: string): Record<string, string> {
  const template = `/v1${op.path}`.split('/');
  const actual = pathname.split('/');
  expect(actual).toHaveLength(template.length);
  const out: Record<string, string> = {};
  template.forEach((t, i) => {
    const m = /^\{(\w+)\}$/.exec(t);
    if (m) out[m[1]] = decodeURIComponent(actual[i]);
    else expect(actual[i]).toBe(t);
  });
  return out;
}

/** buildPath must reject `badId` in parameter `name` with a RequestValidationError naming that field. */
function expectIdRejected(op: Parameters<typeof buildPath>[0], name: string, badId: string) {
  const ids = { ...Object.fromEntries(op.pathParams.map((p) => [p, 'ok_1'])), [name]: badId };
  let thrown: unknown;
  try {
    buildPath(op, ids);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(RequestValidationError);
  expect((thrown as RequestValidationError).issues.map((i) => i.path)).toContain(`path.${name}`);
}

describe('path ids', () => {
  test('usable ids round-trip through encoding and URL parsing, each in its own segment', () => {
    fc.assert(
      fc.property(
        anyOp.chain((op) => idsFor(op, usableId).map((ids) => [op, ids] as const)),
        ([op, ids]) => {
          const url = new URL(buildURL(BASE, buildPath(op, ids), ''));
          expect(url.origin).toBe('https://api.openai.com');
          expect(segmentsOf(op, url.pathname)).toEqual(ids);
        },
      ),
      RUNS,
    );
  });

  test('empty, ".", "..", slash-containing and CR/LF ids are rejected with the field named', () => {
    const bad = fc.oneof(
      fc.constantFrom('', '.', '..'),
      fc.tuple(anyId, anyId).map(([a, b]) => `${a}/${b}`),
      fc.tuple(anyId, fc.constantFrom('\r', '\n', '\r\n'), anyId).map(([a, c, b]) => a + c + b),
    );
    fc.assert(
      fc.property(anyOp, bad, fc.nat(), (op, badId, pick) => {
        expectIdRejected(op, op.pathParams[pick % op.pathParams.length], badId);
      }),
      RUNS,
    );
  });

  test('no id at all escapes /v1/organization or /v1/projects on the same origin', () => {
    fc.assert(
      fc.property(
        anyOp.chain((op) => idsFor(op, anyId).map((ids) => [op, ids] as const)),
        ([op, ids]) => {
          let path: string;
          try {
            path = buildPath(op, ids);
          } catch (e) {
            expect(e).toBeInstanceOf(RequestValidationError);
            return;
          }
          const url = new URL(buildURL(BASE, path, ''));
          expect(url.origin).toBe('https://api.openai.com');
          expect(url.pathname).toMatch(/^\/v1\/(organization|projects)(\/|$)/);
          expect(url.search).toBe('');
          expect(url.hash).toBe('');
          expect(url.pathname.split('/')).toHaveLength(`/v1${op.path}`.split('/').length);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('ids with unpaired UTF-16 surrogates (not encodable) are rejected as RequestValidationError naming the field', () => {
    // Expected behaviour: every unusable id gives RequestValidationError with the field, never a bare URIError.
    const lone = fc
      .tuple(anyId, fc.integer({ min: 0xd800, max: 0xdfff }), anyId)
      .map(([a, cp, b]) => a + String.fromCharCode(cp) + b);
    fc.assert(
      fc.property(anyOp, lone, (op, badId) => {
        expectIdRejected(op, op.pathParams[0], badId);
      }),
      { numRuns: 50 },
    );
  });

  test('every operation path itself is under /organization or /projects', () => {
    for (const op of OPS) expect(op.path).toMatch(/^\/(organization|projects)(\/|$)/);
  });
});

describe('query strings', () => {
  const scalarValue = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), tricky, fc.integer(), fc.boolean());
  const arrayParams = OPS.flatMap((op) => op.query.filter((q) => q.kind === 'array').map((q) => [op, q.name] as const));
  const objectParams = OPS.flatMap((op) =>
    op.query.filter((q) => q.kind === 'object').map((q) => [op, q.name] as const),
  );
  const scalarParams = OPS.flatMap((op) =>
    op.query.filter((q) => q.kind === 'scalar').map((q) => [op, q.name] as const),
  );

  test('there are array, object and scalar parameters to test', () => {
    expect(arrayParams.length).toBeGreaterThan(10);
    expect(objectParams.length).toBeGreaterThan(0);
    expect(scalarParams.length).toBeGreaterThan(50);
  });

  test('arrays serialise as the same key repeated, in order, values intact', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...arrayParams),
        fc.array(
          scalarValue.filter((v) => typeof v !== 'string' || wellFormed(v)),
          { maxLength: 6 },
        ),
        ([op, name], values) => {
          const qs = serializeQuery(op, { [name]: values });
          const parsed = new URLSearchParams(qs);
          expect([...new Set([...parsed.keys()])]).toEqual(values.length ? [name] : []);
          expect(parsed.getAll(name)).toEqual(values.map(String));
          expect(qs.split('&').filter(Boolean)).toHaveLength(values.length);
        },
      ),
      RUNS,
    );
  });

  test('objects serialise as deepObject name[key]=value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...objectParams),
        fc.dictionary(fc.constantFrom('gt', 'gte', 'lt', 'lte'), fc.nat()),
        ([op, name], obj) => {
          const parsed = new URLSearchParams(serializeQuery(op, { [name]: obj }));
          expect(Object.fromEntries(parsed)).toEqual(
            Object.fromEntries(Object.entries(obj).map(([k, v]) => [`${name}[${k}]`, String(v)])),
          );
        },
      ),
      RUNS,
    );
  });

  test('a scalar value cannot add parameters, a fragment or a path: it parses back as exactly itself', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...scalarParams),
        scalarValue.filter((v) => typeof v !== 'string' || wellFormed(v)),
        ([op, name], value) => {
          const url = new URL(buildURL(BASE, op.path.replace(/\{\w+\}/g, 'x'), serializeQuery(op, { [name]: value })));
          expect([...url.searchParams.keys()]).toEqual([name]);
          expect(url.searchParams.get(name)).toBe(String(value));
          expect(url.hash).toBe('');
          expect(url.pathname).toBe(`/v1${op.path.replace(/\{\w+\}/g, 'x')}`);
        },
      ),
      RUNS,
    );
  });

  test('page tokens are sent exactly as received (base64 with = padding, + and /)', () => {
    const usage = OPS.find((op) => op.pagination?.style === 'page')!;
    fc.assert(
      fc.property(fc.base64String({ minLength: 4, maxLength: 40 }), (token) => {
        const url = new URL(buildURL(BASE, usage.path, serializeQuery(usage, { page: token })));
        expect(url.searchParams.get('page')).toBe(token);
      }),
      RUNS,
    );
  });

  test('undefined and null are left out; order follows the spec, not the caller', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPS.filter((op) => op.query.length >= 2)), fc.nat(), (op, seed) => {
        const names = op.query.map((q) => q.name);
        const shuffled = [...names].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        const query = Object.fromEntries(
          shuffled.map((n, i) => [n, i % 3 === 0 ? undefined : i % 3 === 1 ? null : 'v']),
        );
        const keys = [...new URLSearchParams(serializeQuery(op, query)).keys()].map((k) => k.replace(/\[.*$/, ''));
        const expected = names.filter((n) => query[n] === 'v').map((n) => n.replace(/\[.*$/, ''));
        expect(keys).toEqual(expected);
      }),
      RUNS,
    );
  });
});
