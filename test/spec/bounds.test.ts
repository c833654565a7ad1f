/**
 * Every numeric and length bound upstream puts on a parameter or a request-body field stays in openapi.yaml,
 * unless a note on the curated node says why it was loosened. A dropped `maximum` on `limit` once let
 * `limit=5000` go out on nine lists; this suite compares each bound with upstream so that cannot recur.
 */
import { operations, type OperationName } from '../../generated/operations.gen.js';
import { notesAlong } from '../../scripts/lib/curations';
import { OpenAIAdmin } from '../../src/client.js';
import { RequestValidationError } from '../../src/core/base/errors.js';
import { HTTP_METHODS, isAdminPath, joinPointer, resolveRef, type Schema, type Spec } from '../../scripts/lib/spec';
import { curatedSpec, upstreamSpec } from '../support/paths';

/** Upper bounds: a curated value above upstream's, or none where upstream has one, is looser. */
const UPPER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
/** Lower bounds: a curated value below upstream's, or none, is looser. */
const LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
type Bound = (typeof UPPER)[number] | (typeof LOWER)[number];

interface Loosened {
  /** Where the field is, for the failure message: `GET /organization/roles query.limit`. */
  where: string;
  keyword: Bound;
  upstream: number;
  curated: number | undefined;
  /** JSON pointer of the curated node whose notes may explain it (with its ancestors up to `floor`). */
  pointer: string;
  floor: string;
}

/** The bounds of a schema that curated loosened against upstream. Pure. */
function loosenedBounds(
  upstream: Schema,
  curated: Schema,
): { keyword: Bound; upstream: number; curated: number | undefined }[] {
  const out: { keyword: Bound; upstream: number; curated: number | undefined }[] = [];
  for (const keyword of [...UPPER, ...LOWER]) {
    const up = upstream[keyword];
    if (typeof up !== 'number') continue;
    const cur = curated[keyword];
    const upper = (UPPER as readonly string[]).includes(keyword);
    const looser = typeof cur !== 'number' || (upper ? cur > up : cur < up);
    if (looser) out.push({ keyword, upstream: up, curated: typeof cur === 'number' ? cur : undefined });
  }
  return out;
}

/** A note explains a loosened bound when it says so in these words: `loosened maximum: <why>`. */
const explains = (note: string, keyword: Bound) => note.includes(`loosened ${keyword}`);

interface Walk {
  upstream: Spec;
  curated: Spec;
  found: Loosened[];
  floor: string;
}

/**
 * Compares two schemas at the same place, descending through properties, items and same-length unions.
 * `pointer` is the curated node's pointer (refs are followed on both sides; a followed ref moves the
 * pointer to the component, whose notes then count).
 */
function compare(
  w: Walk,
  up: Schema | undefined,
  cur: Schema | undefined,
  where: string,
  pointer: string,
  depth = 0,
): void {
  if (!up || !cur || depth > 12) return;
  const upR = resolveRef(w.upstream, up);
  let curPointer = pointer;
  let floor = w.floor;
  if (typeof cur.$ref === 'string') {
    curPointer = cur.$ref.slice(1);
    floor = curPointer;
  }
  const curR = resolveRef(w.curated, cur);
  if (!upR || !curR) return;
  for (const b of loosenedBounds(upR, curR))
    w.found.push({ where, ...b, pointer: curPointer, floor: floor === w.floor ? w.floor : floor });
  for (const [name, sub] of Object.entries((upR.properties ?? {}) as Record<string, Schema>)) {
    compare(
      { ...w, floor },
      sub,
      curR.properties?.[name],
      `${where}.${name}`,
      joinPointer(curPointer, 'properties', name),
      depth + 1,
    );
  }
  if (upR.items && curR.items)
    compare({ ...w, floor }, upR.items, curR.items, `${where}[]`, joinPointer(curPointer, 'items'), depth + 1);
  for (const union of ['anyOf', 'oneOf', 'allOf'] as const) {
    const a = upR[union] as Schema[] | undefined;
    const b = curR[union] as Schema[] | undefined;
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((sub, i) => compare({ ...w, floor }, sub, b[i], where, joinPointer(curPointer, union, i), depth + 1));
    }
  }
}

/** Every bound of every admin parameter and request body that openapi.yaml loosened against upstream. */
function loosenedAgainst(upstream: Spec, curated: Spec): Loosened[] {
  const found: Loosened[] = [];
  for (const [path, item] of Object.entries(curated.paths)) {
    if (!isAdminPath(path)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      const upOp = upstream.paths[path]?.[method];
      if (!op || !upOp) continue;
      const opPointer = joinPointer('', 'paths', path, method);
      const label = `${method.toUpperCase()} ${path}`;
      const upParams = (upOp.parameters ?? []).map((p) => resolveRef(upstream, p as Schema)!);
      (op.parameters ?? []).forEach((raw, i) => {
        const p = resolveRef(curated, raw)!;
        const upP = upParams.find((u) => u.name === p.name && u.in === p.in);
        if (!upP) return;
        const paramPointer = joinPointer(opPointer, 'parameters', i);
        compare(
          { upstream, curated, found, floor: paramPointer },
          upP.schema,
          p.schema,
          `${label} ${p.in}.${p.name}`,
          joinPointer(paramPointer, 'schema'),
        );
      });
      const body = op.requestBody?.content?.['application/json']?.schema;
      const upBody = upOp.requestBody?.content?.['application/json']?.schema;
      const bodyPointer = joinPointer(opPointer, 'requestBody', 'content', 'application/json', 'schema');
      compare({ upstream, curated, found, floor: opPointer }, upBody, body, `${label} body`, bodyPointer);
    }
  }
  return found;
}

describe('bounds of parameters and request bodies against upstream', () => {
  const found = loosenedAgainst(upstreamSpec(), curatedSpec());

  it('openapi.yaml keeps every upstream bound, or a note on the node says why it was loosened', () => {
    const unexplained = found
      .filter(
        (l) =>
          !notesAlong(curatedSpec(), { pointer: l.pointer, floor: l.floor }).some((c) => explains(c.note, l.keyword)),
      )
      .map((l) => `${l.where}: ${l.keyword} upstream ${l.upstream}, curated ${l.curated ?? '(none)'}`);
    expect(unexplained).toEqual([]);
  });

  it('keeps the list maximums upstream sets: 1000 on role and role-assignment lists, 100 on groups and spend alerts', () => {
    const limit = (path: string) => {
      const op = curatedSpec().paths[path].get;
      const p = (op.parameters ?? [])
        .map((x) => resolveRef(curatedSpec(), x as Schema)!)
        .find((x) => x.name === 'limit');
      return p?.schema?.maximum;
    };
    expect({
      roles: limit('/organization/roles'),
      projectRoles: limit('/projects/{project_id}/roles'),
      userRoles: limit('/organization/users/{user_id}/roles'),
      groupRoles: limit('/organization/groups/{group_id}/roles'),
      projectUserRoles: limit('/projects/{project_id}/users/{user_id}/roles'),
      projectGroupRoles: limit('/projects/{project_id}/groups/{group_id}/roles'),
      projectGroups: limit('/organization/projects/{project_id}/groups'),
      orgSpendAlerts: limit('/organization/spend_alerts'),
      projectSpendAlerts: limit('/organization/projects/{project_id}/spend_alerts'),
    }).toEqual({
      roles: 1000,
      projectRoles: 1000,
      userRoles: 1000,
      groupRoles: 1000,
      projectUserRoles: 1000,
      projectGroupRoles: 1000,
      projectGroups: 100,
      orgSpendAlerts: 100,
      projectSpendAlerts: 100,
    });
  });
});

describe('limit above the upstream maximum', () => {
  const NINE: [OperationName, Record<string, string>, number][] = [
    ['listRoles', {}, 1000],
    ['listProjectRoles', { project_id: 'proj_1' }, 1000],
    ['listUserRoleAssignments', { user_id: 'user_1' }, 1000],
    ['listGroupRoleAssignments', { group_id: 'group_1' }, 1000],
    ['listProjectUserRoleAssignments', { project_id: 'proj_1', user_id: 'user_1' }, 1000],
    ['listProjectGroupRoleAssignments', { project_id: 'proj_1', group_id: 'group_1' }, 1000],
    ['listProjectGroups', { project_id: 'proj_1' }, 100],
    ['listOrganizationSpendAlerts', {}, 100],
    ['listProjectSpendAlerts', { project_id: 'proj_1' }, 100],
  ];

  test.each(NINE)(
    '%s: limit=5000 is refused before anything is sent; the maximum itself is allowed',
    async (name, path, max) => {
      const sent: string[] = [];
      const fetch = (async (url: string) => {
        sent.push(url);
        return new Response(
          JSON.stringify({ object: 'list', data: [], has_more: false, first_id: null, last_id: null, next: null }),
          { headers: { 'content-type': 'application/json' } },
        );
      }) as unknown as typeof globalThis.fetch;
      const admin = new OpenAIAdmin({
        apiKey: 'sk-admin-test',
        baseURL: 'http://127.0.0.1:9/v1',
        fetch,
        maxRetries: 0,
      });
      const refused = await admin._call(operations[name] as never, { path, query: { limit: 5000 } } as never).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(RequestValidationError);
      expect((refused as RequestValidationError).issues.map((i) => i.path)).toEqual(['query.limit']);
      expect(sent).toEqual([]);
      await admin._call(operations[name], { path, query: { limit: max } } as never);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain(`limit=${max}`);
    },
  );
});

describe('loosenedBounds', () => {
  it('reports a maximum dropped or raised, and a minimum dropped or lowered', () => {
    expect(loosenedBounds({ maximum: 100, minimum: 1 }, {})).toEqual([
      { keyword: 'maximum', upstream: 100, curated: undefined },
      { keyword: 'minimum', upstream: 1, curated: undefined },
    ]);
    expect(loosenedBounds({ maximum: 100, minLength: 2 }, { maximum: 5000, minLength: 1 })).toEqual([
      { keyword: 'maximum', upstream: 100, curated: 5000 },
      { keyword: 'minLength', upstream: 2, curated: 1 },
    ]);
  });

  it('accepts equal or tighter bounds', () => {
    expect(
      loosenedBounds({ maximum: 100, minimum: 0, maxLength: 64 }, { maximum: 50, minimum: 1, maxLength: 64 }),
    ).toEqual([]);
  });

  it('counts only a note that names the loosened keyword as an explanation', () => {
    expect(explains('loosened maximum: the API accepts 5000 (seen live)', 'maximum')).toBe(true);
    expect(explains('the description states no maximum, so none is enforced', 'maximum')).toBe(false);
  });
});
