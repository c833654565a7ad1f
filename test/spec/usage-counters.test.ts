/**
 * Usage rows coerce and check their counters, found by name (USAGE_COUNTER, src/core/client/usage.ts) so that no list of
 * names ships in the bundle. The pattern must name exactly the number fields of the usage results in the spec: a
 * counter it missed would be passed through as the server sent it, and a group field it caught would be refused.
 */
import { resolveRef, type Schema } from '../../scripts/lib/spec';
import { USAGE_COUNTER } from '../../src/core/client/usage.js';
import { curatedSpec } from '../support/paths';

function usageResults(): Array<[string, Schema]> {
  const spec = curatedSpec();
  const variants = spec.components.schemas.UsageTimeBucket.properties.results.items.oneOf as Schema[];
  return variants
    .map((ref) => [String(ref.$ref).split('/').pop()!, resolveRef(spec, ref)!] as [string, Schema])
    .filter(([name]) => name !== 'CostsResult');
}

const isNumber = (s: Schema) => s.type === 'integer' || s.type === 'number';

test('the usage results of the spec are the ten known kinds, each with at least one counter', () => {
  const results = usageResults();
  expect(results).toHaveLength(10);
  for (const [, schema] of results)
    expect(Object.values(schema.properties as Record<string, Schema>).some(isNumber)).toBe(true);
});

test('USAGE_COUNTER matches every number field of every usage result, and no other field', () => {
  const counters: string[] = [];
  const others: string[] = [];
  for (const [name, schema] of usageResults())
    for (const [field, property] of Object.entries(schema.properties as Record<string, Schema>))
      (isNumber(resolveRef(curatedSpec(), property)!) ? counters : others).push(`${name}.${field}`);
  const field = (path: string) => path.split('.')[1];
  expect(counters.filter((path) => !USAGE_COUNTER.test(field(path)))).toEqual([]);
  expect(others.filter((path) => USAGE_COUNTER.test(field(path)))).toEqual([]);
  expect(counters.length).toBeGreaterThan(20);
  expect(others).toEqual(expect.arrayContaining(['UsageCompletionsResult.model', 'UsageImagesResult.size']));
});
