import { camelCase, isAdminPath, operations, resolveRef, successSchema, type Operation } from '../../scripts/lib/spec';
import { operationId } from '../../src/core/types/operation';
import { curatedSpec, upstreamSpec } from '../support/paths';

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const curatedOps = () => [...operations(curatedSpec())];
const queryParams = (op: Operation) => (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);

/** The seven upstream operationIds that cannot be used as names. */
const UNUSABLE_UPSTREAM_IDS = [
  'Getorganizationspendlimit',
  'Updateorganizationspendlimit',
  'Deleteorganizationspendlimit',
  'Getprojectspendlimit',
  'Updateprojectspendlimit',
  'Deleteprojectspendlimit',
  'CreateanAPIkeyforaserviceaccount',
];

describe('openapi.yaml covers exactly the upstream admin API', () => {
  it('has the same METHOD + path set as the upstream admin part', () => {
    const upstream = new Set(
      [...operations(upstreamSpec())]
        .filter(({ path }) => isAdminPath(path))
        .map(({ method, path }) => key(method, path)),
    );
    const ours = new Set(curatedOps().map(({ method, path }) => key(method, path)));
    expect(upstream.size).toBeGreaterThan(0);
    expect([...upstream].filter((k) => !ours.has(k))).toEqual([]); // missing from openapi.yaml
    expect([...ours].filter((k) => !upstream.has(k))).toEqual([]); // not upstream
    expect(ours.size).toBe(upstream.size);
  });
});

describe('every operation is an authenticated call to the public API', () => {
  it('targets https://api.openai.com/v1 only', () => {
    expect(curatedSpec().servers).toEqual([{ url: 'https://api.openai.com/v1' }]);
  });

  it('declares AdminApiKeyAuth as an http bearer scheme', () => {
    expect(curatedSpec().components.securitySchemes?.AdminApiKeyAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('requires AdminApiKeyAuth on every operation', () => {
    const without = curatedOps()
      .filter(
        ({ op }) =>
          !(op.security as unknown[] | undefined)?.some(
            (req) => req && typeof req === 'object' && 'AdminApiKeyAuth' in req,
          ),
      )
      .map(({ method, path }) => key(method, path));
    expect(without).toEqual([]);
  });
});

describe('operationIds', () => {
  it('are unique', () => {
    const ids = curatedOps().map(({ op }) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('are kebab-case', () => {
    const bad = curatedOps()
      .map(({ op }) => op.operationId)
      .filter((id) => !/^[a-z]+(-[a-z0-9]+)*$/.test(id));
    expect(bad).toEqual([]);
  });

  it('are spelled back from their camelCase names, as the runtime does (the table carries the name only)', () => {
    const ids = curatedOps().map(({ op }) => op.operationId);
    expect(ids.filter((id) => operationId({ name: camelCase(id) }) !== id)).toEqual([]);
    expect(operationId({ name: 'listProjectServiceAccountApiKeys' })).toBe('list-project-service-account-api-keys');
  });

  it('drop all seven unusable upstream ids', () => {
    const upstreamIds = new Set([...operations(upstreamSpec())].map(({ op }) => op.operationId));
    for (const id of UNUSABLE_UPSTREAM_IDS) expect(upstreamIds).toContain(id); // the list is real
    const ours = new Set(curatedOps().map(({ op }) => op.operationId.toLowerCase()));
    expect(UNUSABLE_UPSTREAM_IDS.filter((id) => ours.has(id.toLowerCase()))).toEqual([]);
  });
});

describe('pagination and retry metadata', () => {
  const listOps = () =>
    curatedOps().filter(
      ({ method, op }) => method === 'get' && queryParams(op).some((n) => n === 'after' || n === 'page'),
    );

  it('finds the list operations (sanity)', () => {
    expect(listOps().length).toBeGreaterThan(30);
  });

  it('gives every list operation an x-pagination with a valid style whose fields exist', () => {
    const problems: string[] = [];
    for (const { method, path, op } of listOps()) {
      const p = op['x-pagination'];
      const where = key(method, path);
      if (!p) {
        problems.push(`${where}: no x-pagination`);
        continue;
      }
      if (!['cursor', 'next', 'page'].includes(p.style)) problems.push(`${where}: style ${p.style}`);
      if (!queryParams(op).includes(p.requestParam))
        problems.push(`${where}: requestParam ${p.requestParam} is not a query parameter`);
      const body = resolveRef(curatedSpec(), successSchema(op));
      for (const field of [p.cursorField, p.itemsField])
        if (!body?.properties?.[field]) problems.push(`${where}: response lacks ${field}`);
      const expectedCursor = { cursor: 'last_id', next: 'next', page: 'next_page' }[p.style];
      if (p.cursorField !== expectedCursor) problems.push(`${where}: style ${p.style} reads ${p.cursorField}`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every POST a boolean x-retry-safe', () => {
    const bad = curatedOps()
      .filter(({ method, op }) => method === 'post' && typeof op['x-retry-safe'] !== 'boolean')
      .map(({ path, op }) => `POST ${path} (${op.operationId})`);
    expect(bad).toEqual([]);
  });

  it('never marks a create or upload as retry-safe (a retry could create a duplicate)', () => {
    const creates = curatedOps().filter(({ op }) => /^(create|upload)-/.test(op.operationId));
    expect(creates.length).toBeGreaterThan(5);
    expect(creates.filter(({ op }) => op['x-retry-safe'] !== false).map(({ op }) => op.operationId)).toEqual([]);
  });
});

describe('creates that the live API answers with 201 Created', () => {
  it.each(['create-project', 'create-invite', 'create-project-user', 'create-project-service-account'])(
    '%s declares 201',
    (id) => {
      const found = curatedOps().find(({ op }) => op.operationId === id);
      expect(found).toBeDefined();
      expect(Object.keys(found!.op.responses)).toContain('201');
      expect(found!.op.responses['201'].content?.['application/json']?.schema).toBeDefined();
    },
  );
});
