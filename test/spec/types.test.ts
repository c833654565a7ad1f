/**
 * Type-level specification of generated/client/types.gen.ts. The assertions that matter are checked by
 * `npm run typecheck` (tsc): ts-jest with isolatedModules does not type-check, so the runtime part is minimal.
 */
import type { Invite, UsageTimeBucket, AuditLog, CostsResult } from '../../generated/client/types.gen';

type Result = UsageTimeBucket['results'][number];

/** Narrowing by `object` reaches variant-only fields; without narrowing they are not reachable. */
function describeResult(r: Result): string {
  if (r.object === 'organization.usage.completions.result') return `completions: ${r.input_tokens} in, ${r.output_tokens} out`;
  if (r.object === 'organization.costs.result') return `costs: ${r.amount?.value ?? 0}`;
  // @ts-expect-error input_tokens is not on every variant, so the union must be narrowed first
  void r.input_tokens;
  return r.object;
}

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

// The union is a real union, not `never` (the upstream discriminator without mapping collapsed it).
assertType<Equals<Result, never> extends false ? true : false>();
assertType<'organization.usage.completions.result' extends Result['object'] ? true : false>();

// Open enums: a known literal and an arbitrary string are both assignable; the literals stay distinct from string.
const knownRole: Invite['role'] = 'owner';
const newRole: Invite['role'] = 'billing-admin';
const knownEvent: AuditLog['type'] = 'project.created';
const newEvent: AuditLog['type'] = 'some.event.from.next.year';
const unit: CostsResult['quantity_unit'] = 'tokens';
const newUnit: CostsResult['quantity_unit'] = 'petabyte_fortnights';
assertType<'owner' extends Invite['role'] ? true : false>();
// @ts-expect-error an open enum still accepts only strings
const wrongRole: Invite['role'] = 42;

describe('generated types', () => {
  it('narrow usage results by their object field', () => {
    const bucket: UsageTimeBucket = {
      object: 'bucket',
      start_time: 0,
      end_time: 86400,
      results: [
        { object: 'organization.usage.completions.result', input_tokens: 3, output_tokens: 4, num_model_requests: 1 },
        { object: 'organization.costs.result', amount: { value: 0.5, currency: 'usd' } },
      ],
    };
    expect(bucket.results.map(describeResult)).toEqual(['completions: 3 in, 4 out', 'costs: 0.5']);
  });

  it('accept known and unknown open-enum values', () => {
    expect([knownRole, newRole, knownEvent, newEvent, unit, newUnit, wrongRole]).toHaveLength(7);
  });
});
