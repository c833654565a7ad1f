/**
 * The request checker (src/core/validation/schema-check.ts, driven by generated/validators/requests.gen.ts) must report what
 * ajv's compiled validators report for the same schemas — same issues, same order — since the messages users see
 * are built from them. ajv compiles here at test time only; the shipped code never does.
 */
import { defs, requests } from '../../../generated/validators/requests.gen.js';
import { schemaValidator, type CheckSchema } from '../../../src/core/validation/schema-check.js';
import { createAjv, requestAjv, requestCheckData } from '../../../scripts/lib/validators';
import { curatedSpec } from '../../support/paths';

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  NaN,
  Infinity,
  '',
  'x',
  '\uD800',
  '😀😀',
  '..',
  'a/b',
  [],
  {},
  [1, 'a'],
  { a: 1 },
];

/** A value that is often valid for `schema`, and often wrong in one place (type, bound, enum, key, pattern…). */
function sample(schema: CheckSchema, rnd: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  if (rnd() < 0.08 || depth > 6) return pick(ODD_VALUES);
  if (schema.$ref) return sample(defs[schema.$ref], rnd, depth + 1);
  // An object's own anyOf (fields that exclude each other) constrains it; the object is still sampled whole.
  if (schema.anyOf && !schema.properties) return sample(pick(schema.anyOf), rnd, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return rnd() < 0.85 ? pick(schema.enum) : 'not-in-enum';
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
  switch (type) {
    case 'integer':
    case 'number': {
      const lo = schema.minimum ?? -5;
      const hi = schema.maximum ?? lo + 100;
      return pick([lo, hi, lo - 1, hi + 1, Math.floor((lo + hi) / 2), (lo + hi) / 2 + 0.5]);
    }
    case 'string':
      if (schema.pattern && rnd() < 0.5) return pick(['abc_123', 'proj_abc', '', '..', 'a/b', 'a?b', ' ', 'user-1']);
      return pick([
        'abc',
        '',
        'x'.repeat((schema.maxLength ?? 3) + 1),
        '\uD83D\uDE00',
        'USD',
        'month',
        'email',
        'owner',
      ]);
    case 'boolean':
      return rnd() < 0.5;
    case 'null':
      return null;
    case 'array': {
      const n = pick([0, 1, 2, 3, (schema.maxItems ?? 2) + 1]);
      return Array.from({ length: n }, () => (schema.items ? sample(schema.items, rnd, depth + 1) : pick(ODD_VALUES)));
    }
    case 'object':
    default: {
      if (!schema.properties && !schema.required && type !== 'object') return pick(ODD_VALUES);
      const out: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(schema.properties ?? {})) {
        const required = schema.required?.includes(name);
        if (rnd() < (required ? 0.9 : 0.5)) out[name] = sample(child, rnd, depth + 1);
      }
      if (rnd() < 0.15) out[pick(['extra', 'nmae', 'a/b~c'])] = pick(ODD_VALUES);
      if (rnd() < 0.05) out.undefinedField = undefined;
      return out;
    }
  }
}

const ajv = requestAjv(curatedSpec());
const names = Object.keys(requests);
type Reported =
  readonly { instancePath: string; keyword: string; params: Record<string, unknown> }[] | null | undefined;
const strip = (errors: Reported) =>
  (errors ?? []).map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }));

describe('request checks as data', () => {
  it('are exactly what the generator derives from openapi.yaml', () => {
    expect(requestCheckData(curatedSpec())).toEqual({ schemas: requests, defs });
  });

  it.each(names)('%s: reports the same issues, in the same order, as the ajv validator of its schema', (name) => {
    const compiled = ajv.getSchema(`urn:openai-admin:request:${name}`)!;
    const checker = schemaValidator(requests[name], defs);
    const rnd = prng(name.length * 7919 + name.charCodeAt(0));
    let invalid = 0;
    for (let i = 0; i < 300; i++) {
      const data = sample(
        { type: 'object', properties: requests[name].properties, required: requests[name].required },
        rnd,
      );
      const ok = compiled(data);
      expect({ data, ok: checker(data), errors: strip(checker.errors) }).toEqual({
        data,
        ok,
        errors: strip(compiled.errors),
      });
      if (!ok) invalid++;
    }
    // The samples exercise both outcomes.
    expect(invalid).toBeGreaterThan(0);
    expect(invalid).toBeLessThan(300);
  });

  it.each([
    [{ type: 'string', minLength: 1, enum: ['a'] }, [5, '', 'b', null]],
    [{ type: 'string', enum: ['a'] }, [5, 'b']],
    [{ type: ['string', 'null'], minLength: 2, pattern: '^a' }, [null, 1, 'b', 'ab']],
    [{ type: 'integer', minimum: 1, maximum: 3, const: 2 }, [0, 4, 1.5, '2', NaN, 2]],
    [{ type: 'number', maximum: 3 }, [Infinity, NaN, 4, '4']],
    [{ type: 'array', minItems: 1, maxItems: 1, items: { type: 'string', minLength: 1 } }, [[], ['', 1], 'x', {}]],
    [
      {
        type: 'object',
        required: ['a'],
        additionalProperties: { type: 'integer' },
        properties: { a: { type: 'string' } },
      },
      [{}, { a: 1, 'b/~': 'x' }, []],
    ],
    [{ anyOf: [{ type: 'string', minLength: 2 }, { type: 'integer' }], enum: ['a', 1] }, ['a', 1, 'bb', 1.5]],
    [
      { properties: { a: { type: 'boolean' } }, additionalProperties: false, required: ['b'] },
      [{ a: 1, c: 2 }, 'not an object'],
    ],
  ] as [CheckSchema, unknown[]][])('matches ajv on %j (keyword order, type error placement)', (schema, values) => {
    const compiled = createAjv({ allErrors: true }).compile(schema);
    const checker = schemaValidator(schema, {});
    for (const data of values) {
      const ok = compiled(data);
      expect({ data, ok: checker(data), errors: strip(checker.errors) }).toEqual({
        data,
        ok,
        errors: strip(compiled.errors),
      });
    }
  });

  it('counts string length in code points and checks patterns with the unicode flag', () => {
    const validate = schemaValidator({ type: 'string', minLength: 2, maxLength: 2, pattern: '^.{2}$' }, {});
    expect(validate('😀😀')).toBe(true);
    expect(validate('😀')).toBe(false);
    expect(validate.errors).toEqual([
      { instancePath: '', keyword: 'minLength', params: { limit: 2 } },
      { instancePath: '', keyword: 'pattern', params: { pattern: '^.{2}$' } },
    ]);
  });
});
