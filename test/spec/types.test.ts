/**
 * Type-level specification of generated/client/types.gen.ts. The assertions that matter are compile errors when they
 * fail (`assertType<false>()`, an unused or missing `@ts-expect-error`, a literal not assignable), caught by
 * `npm run typecheck` (tsc over tsconfig.json, which includes test/): ts-jest with isolatedModules does not type-check.
 * The runtime tests check what tsc cannot: narrowing at run time, and that tsc really covers this file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Invite,
  UsageTimeBucket,
  AuditLog,
  CostsResult,
  ProjectUser,
  ProjectUserCreateRequest,
  ProjectUserUpdateRequest,
  User,
  UserRoleUpdateRequest,
} from '../../generated/client/types.gen';

type Result = UsageTimeBucket['results'][number];

/** Narrowing by `object` reaches variant-only fields; without narrowing they are not reachable. */
function describeResult(r: Result): string {
  if (r.object === 'organization.usage.completions.result')
    return `completions: ${r.input_tokens} in, ${r.output_tokens} out`;
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

// Open enums: a known literal and an arbitrary string are both assignable (a closed enum makes these lines errors)…
export const openEnumValues: [
  Invite['role'],
  Invite['role'],
  AuditLog['type'],
  AuditLog['type'],
  CostsResult['quantity_unit'],
  CostsResult['quantity_unit'],
] = ['owner', 'billing-admin', 'project.created', 'some.event.from.next.year', 'tokens', 'petabyte_fortnights'];
// … the known literals are still part of the type (it did not collapse to plain `string`, which kills autocompletion) …
assertType<'owner' extends Invite['role'] ? true : false>();
assertType<Equals<Invite['role'], string> extends false ? true : false>();
assertType<Equals<AuditLog['type'], string> extends false ? true : false>();
assertType<Equals<CostsResult['quantity_unit'], string> extends false ? true : false>();
// … and only strings are accepted.
// @ts-expect-error an open enum still accepts only strings
export const wrongRole: Invite['role'] = 42;

// Roles the API documents only in prose are curated into the spec: closed unions on requests (a typo is a compile
// error, not a server 400), open ones on responses (a role added next year still parses).
assertType<Equals<ProjectUserCreateRequest['role'], 'owner' | 'member'>>();
assertType<Equals<NonNullable<ProjectUserUpdateRequest['role']>, 'owner' | 'member'>>();
assertType<Equals<NonNullable<UserRoleUpdateRequest['role']>, 'owner' | 'reader'>>();
// @ts-expect-error 'admin' is no project role
export const wrongProjectRole: ProjectUserCreateRequest['role'] = 'admin';
export const responseRoles: [ProjectUser['role'], NonNullable<User['role']>] = ['member', 'billing-admin'];
assertType<'member' extends ProjectUser['role'] ? true : false>();
assertType<Equals<ProjectUser['role'], string> extends false ? true : false>();

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

  it('are type-checked by npm run typecheck: tsconfig.json includes test/, so the compile-time assertions above run', () => {
    const tsconfig = JSON.parse(readFileSync(join(__dirname, '..', '..', 'tsconfig.json'), 'utf8'));
    expect(tsconfig.include).toContain('test');
    expect(tsconfig.exclude ?? []).not.toContain('test');
    expect(tsconfig.compilerOptions.strict).toBe(true);
  });
});
