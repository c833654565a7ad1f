import Ajv2020 from 'ajv/dist/2020';
import { foldUnions } from '../../scripts/lib/validators';

// The folded schema must accept exactly what the original accepts; checked on a spread of sample values.
const SAMPLES = ['owner', 'auditor', '', 0, 1.5, 7, null, true, {}, [], 'tokens'];
const ajv = new Ajv2020({ strict: false });
ajv.addFormat('unixtime', true);
const accepted = (schema: object) => SAMPLES.filter((v) => ajv.validate(schema, v));

describe('foldUnions rewrites unions for the validators without changing what they accept', () => {
  test.each([
    ['a nullable string', { anyOf: [{ type: 'string' }, { type: 'null' }] }, { type: ['string', 'null'] }],
    [
      'a nullable integer with a format',
      { anyOf: [{ type: 'integer', format: 'unixtime' }, { type: 'null' }] },
      { type: ['integer', 'null'], format: 'unixtime' },
    ],
    [
      'an open enum',
      {
        anyOf: [
          { type: 'string', enum: ['owner', 'member'] },
          { type: 'string', 'x-open-enum': true },
        ],
      },
      { type: 'string' },
    ],
    [
      'a nullable open enum',
      {
        anyOf: [
          { type: 'string' },
          { type: 'string', enum: ['tokens'] },
          { type: 'string', 'x-open-enum': true },
          { type: 'null' },
        ],
      },
      { type: ['string', 'null'] },
    ],
  ])('%s', (_name, original, folded) => {
    const result = foldUnions(original);
    const { 'x-open-enum': _x, ...comparable } = result as Record<string, unknown>;
    expect(comparable).toEqual(folded);
    expect(accepted(result)).toEqual(
      accepted({ ...original, anyOf: original.anyOf.map(({ 'x-open-enum': _o, ...b }: any) => b) }),
    );
  });

  test('a nullable enum is left as a union: folding it would lose the enum', () => {
    const original = { anyOf: [{ type: 'string', enum: ['inactive', 'enforcing'] }, { type: 'null' }] };
    expect(foldUnions(original)).toEqual(original);
    expect(accepted(foldUnions(original))).toEqual(
      ['inactive', 'enforcing', null].filter((v) => SAMPLES.includes(v as never)),
    );
  });

  test('a schema that already has a type is not touched', () => {
    const original = { type: 'object', anyOf: [{ required: ['a'] }, { required: ['b'] }] };
    expect(foldUnions(original)).toBe(original);
  });
});
