/** The standing curations as rules (scripts/lib/sync/rules), the x-sync-todo gate, and sync against a changed upstream. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  applyParameterRules,
  cursorNotNullable,
  limitBounds,
  nonNegativeTimestamps,
  pathIdPattern,
  PATH_ID_PATTERN,
} from '../../scripts/lib/sync/rules/parameters';
import { openEnum, openEnumsDeep } from '../../scripts/lib/sync/rules/open-enum';
import { verbFirstOperationId } from '../../scripts/lib/sync/rules/operation-id';
import {
  createdStatus,
  curateOperation,
  derivePagination,
  isCreate,
  retrySafety,
} from '../../scripts/lib/sync/rules/operation';
import { NOTES } from '../../scripts/lib/sync/rules/notes';
import { assertNoSyncTodos, listSyncTodos, SyncTodoError } from '../../scripts/lib/sync/todos';
import { syncSpec } from '../../scripts/lib/sync/sync';
import { sameNode } from '../../scripts/lib/sync/merge';
import { nodeAt, type Spec } from '../../scripts/lib/spec';
import { CURATED_FILE, upstreamSpec } from '../support/paths';

const identity = (n: any) => n;

describe('parameter rules', () => {
  it('drops nullable from a cursor and says why; leaves other parameters alone', () => {
    const after = { name: 'after', in: 'query', schema: { type: 'string', nullable: true } };
    expect(cursorNotNullable(after)).toEqual({
      name: 'after',
      in: 'query',
      schema: { type: 'string' },
      'x-curation': [NOTES.cursor],
    });
    const other = { name: 'email', in: 'query', schema: { type: 'string', nullable: true } };
    expect(cursorNotNullable(other)).toBe(other);
  });

  it('constrains path ids to one non-dot segment', () => {
    const id = { name: 'project_id', in: 'path', required: true, schema: { type: 'string' } };
    expect(pathIdPattern(id)).toEqual({
      ...id,
      schema: { type: 'string', minLength: 1, pattern: PATH_ID_PATTERN },
      'x-curation': [NOTES.pathId],
    });
    expect(new RegExp(PATH_ID_PATTERN).test('..')).toBe(false);
    expect(new RegExp(PATH_ID_PATTERN).test('proj_1')).toBe(true);
  });

  it('reads limit bounds from the description, else sets minimum 1 and keeps upstream’s maximum', () => {
    const ranged = {
      name: 'limit',
      in: 'query',
      description: 'Limit can range between 1 and 100, and the default is 20.',
      schema: { type: 'integer', default: 20 },
    };
    expect(limitBounds(ranged).schema).toEqual({ type: 'integer', default: 20, minimum: 1, maximum: 100 });
    expect(limitBounds(ranged)['x-curation']).toEqual([NOTES.bounds(1, 100)]);
    const capped = {
      name: 'limit',
      in: 'query',
      description: 'A limit on the number of roles.',
      schema: { type: 'integer', minimum: 0, maximum: 1000 },
    };
    expect(limitBounds(capped)).toEqual({
      ...capped,
      schema: { type: 'integer', minimum: 1, maximum: 1000 },
      'x-curation': [NOTES.minimumKeepMaximum(1000)],
    });
    const open = {
      name: 'limit',
      in: 'query',
      description: 'A limit on the number of keys.',
      schema: { type: 'integer', default: 20 },
    };
    expect(limitBounds(open)).toEqual({
      ...open,
      schema: { type: 'integer', default: 20, minimum: 1 },
      'x-curation': [NOTES.minimumOnly],
    });
    const buckets = {
      name: 'limit',
      in: 'query',
      description: 'Specifies the number of buckets: - `bucket_width=1d`: max 31',
      schema: { type: 'integer' },
    };
    expect(limitBounds(buckets)).toBe(buckets);
  });

  it('makes start_time/end_time non-negative', () => {
    const start = { name: 'start_time', in: 'query', required: true, schema: { type: 'integer' } };
    expect(nonNegativeTimestamps(start)).toEqual({
      ...start,
      schema: { type: 'integer', minimum: 0 },
      'x-curation': [NOTES.timestamp],
    });
  });
});

describe('the parameter rules agree with the curations', () => {
  it('turn every upstream parameter whose curations are all mechanical into the curated parameter', () => {
    const curated = parse(readFileSync(CURATED_FILE, 'utf8')) as Spec;
    const upstream = upstreamSpec();
    const mechanical = (note: string) =>
      ([NOTES.cursor, NOTES.pathId, NOTES.timestamp, NOTES.minimumOnly] as string[]).includes(note) ||
      /^bounds \d+\.\.\d+ made machine-readable from the description$/.test(note) ||
      /^minimum 1 added \(a list of no items is never meant\); maximum \d+ kept from upstream$/.test(note);
    let compared = 0;
    const differ: string[] = [];
    for (const [path, item] of Object.entries(curated.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const param of (op.parameters ?? []) as any[]) {
          const notes: string[] = param['x-curation'] ?? [];
          if (!notes.length || !notes.every(mechanical)) continue;
          const up = ((upstream.paths[path]?.[method]?.parameters ?? []) as any[]).find(
            (p) => p.name === param.name && p.in === param.in,
          );
          compared++;
          if (!sameNode(applyParameterRules(up), param)) differ.push(`${method} ${path} ${param.name}`);
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(differ).toEqual([]);
  });
});

describe('open enums', () => {
  it('opens a string enum of several values, keeping the values and moving the description up', () => {
    expect(openEnum({ type: 'string', enum: ['owner', 'reader'], description: 'the role' })).toEqual({
      anyOf: [
        { type: 'string', enum: ['owner', 'reader'] },
        { type: 'string', 'x-open-enum': true },
      ],
      description: 'the role',
      'x-curation': [NOTES.openEnum],
    });
  });

  it('leaves single-value tags and already open enums closed, and walks properties and items', () => {
    const tag = { type: 'string', enum: ['organization.invite'], 'x-stainless-const': true };
    expect(openEnumsDeep(tag)).toBe(tag);
    const list = openEnumsDeep({
      type: 'object',
      properties: { object: tag, data: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } },
    });
    expect(list.properties.object).toBe(tag);
    expect(list.properties.data.items.anyOf).toHaveLength(2);
    const twice = openEnumsDeep(list);
    expect(twice.properties.data.items).toEqual(list.properties.data.items);
  });
});

describe('the operationId naming rule', () => {
  it.each([
    ['admin-api-keys-list', 'get', '/organization/admin_api_keys', 'list-admin-api-keys'],
    ['admin-api-keys-get', 'get', '/organization/admin_api_keys/{key_id}', 'retrieve-admin-api-key'],
    ['modify-project', 'post', '/organization/projects/{project_id}', 'update-project'],
    [
      'update-project-rate-limits',
      'post',
      '/organization/projects/{project_id}/rate_limits/{rate_limit_id}',
      'update-project-rate-limit',
    ],
    [
      'activateProjectCertificates',
      'post',
      '/organization/projects/{project_id}/certificates/activate',
      'activate-project-certificates',
    ],
    ['Getprojectspendlimit', 'get', '/organization/projects/{project_id}/spend_limit', 'retrieve-project-spend-limit'],
    ['Deleteorganizationspendlimit', 'delete', '/organization/spend_limit', 'delete-organization-spend-limit'],
    [
      'CreateanAPIkeyforaserviceaccount',
      'post',
      '/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys',
      'create-project-service-account-api-key',
    ],
    ['list-projects', 'get', '/organization/projects', 'list-projects'],
  ])('%s (%s %s) → %s', (id, method, path, expected) => {
    expect(verbFirstOperationId(id, method, path)).toBe(expected);
  });

  it('keeps every curated operationId as it is (the rule agrees with the curations)', () => {
    const curated = parse(readFileSync(CURATED_FILE, 'utf8')) as Spec;
    const disagree: string[] = [];
    for (const [path, item] of Object.entries(curated.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (/^(usage|costs)-/.test(op.operationId)) continue; // usage-* is the family name the hand-written layer keys on
        if (verbFirstOperationId(op.operationId, method, path) !== op.operationId) disagree.push(op.operationId);
      }
    }
    expect(disagree).toEqual([]);
  });
});

describe('pagination and retry safety', () => {
  const op = (props: Record<string, unknown>, params: string[]) => ({
    parameters: params.map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
    responses: { '200': { content: { 'application/json': { schema: { type: 'object', properties: props } } } } },
  });
  const data = { type: 'array', items: { type: 'object' } };

  it('derives x-pagination from the list response shape', () => {
    expect(derivePagination(op({ data, has_more: {}, last_id: {} }, ['after']), identity)).toEqual({
      style: 'cursor',
      requestParam: 'after',
      cursorField: 'last_id',
      itemsField: 'data',
    });
    expect(derivePagination(op({ data, next: {} }, ['after']), identity)).toMatchObject({
      style: 'next',
      cursorField: 'next',
    });
    expect(derivePagination(op({ data, next_page: {} }, ['page']), identity)).toMatchObject({
      style: 'page',
      requestParam: 'page',
    });
    expect(derivePagination(op({ data, has_more: {}, last_id: {} }, []), identity)).toBeUndefined();
    expect(derivePagination(op({ id: {} }, ['after']), identity)).toBeUndefined();
  });

  it('a create is not retry-safe, an update of one item is, anything else is for a person', () => {
    expect(isCreate('post', '/organization/projects', 'create-project')).toBe(true);
    expect(retrySafety('post', '/organization/projects', 'create-project')).toBe(false);
    expect(retrySafety('post', '/organization/projects/{project_id}', 'update-project')).toBe(true);
    expect(retrySafety('post', '/organization/projects/{project_id}/archive', 'archive-project')).toBeUndefined();
    expect(retrySafety('get', '/organization/projects', 'list-projects')).toBeUndefined();
  });

  it('agree with every curated x-pagination (bucket lists aside) and every x-retry-safe they decide', () => {
    const curated = parse(readFileSync(CURATED_FILE, 'utf8')) as Spec;
    const resolve = (n: any) => {
      for (let i = 0; n && typeof n.$ref === 'string' && i < 8; i++) n = nodeAt(curated, n.$ref.slice(1));
      return n;
    };
    let paginated = 0;
    let decided = 0;
    for (const [path, item] of Object.entries(curated.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'get' && !op['x-pagination']?.limitByBucketWidth) {
          expect([op.operationId, derivePagination(op, resolve)]).toEqual([op.operationId, op['x-pagination']]);
          if (op['x-pagination']) paginated++;
        }
        const safe = retrySafety(method, path, op.operationId);
        if (safe !== undefined) {
          expect([op.operationId, safe]).toEqual([op.operationId, op['x-retry-safe']]);
          decided++;
        }
      }
    }
    expect(paginated).toBeGreaterThan(20);
    expect(decided).toBeGreaterThan(20);
  });

  it('declares 201 beside 200 on exactly the POSTs openapi.yaml does (creates, and POSTs on a listed collection)', () => {
    const curated = parse(readFileSync(CURATED_FILE, 'utf8')) as Spec;
    const up = upstreamSpec();
    const resolve = (n: any) => {
      for (let i = 0; n && typeof n.$ref === 'string' && i < 8; i++) n = nodeAt(up, n.$ref.slice(1));
      return n;
    };
    const mismatched: string[] = [];
    let created = 0;
    for (const [path, item] of Object.entries(curated.paths)) {
      const op = item.post;
      if (!op) continue;
      const get = up.paths[path]?.get;
      const listed = Boolean(get && (derivePagination(get, resolve) || /^list|list$/i.test(get.operationId)));
      const ruled = createdStatus({ ...up.paths[path].post, operationId: op.operationId }, 'post', path, listed);
      if (Boolean(ruled.responses['201']) !== Boolean(op.responses['201'])) mismatched.push(op.operationId);
      if (ruled.responses['201']?.['x-curation']?.[0] === op.responses['201']?.['x-curation']?.[0]) {
        expect(ruled.responses['201']).toEqual(op.responses['201']);
        created++;
      }
    }
    expect(mismatched).toEqual([]);
    expect(created).toBeGreaterThan(10);
  });

  it('a new operation carries todos for its friendly name and example, which generate requires', () => {
    const { todos, op: curated } = curateOperation(
      { operationId: 'getWidget', 'x-oaiMeta': {}, responses: {} },
      'get',
      '/organization/widgets/{widget_id}',
      identity,
    );
    expect(curated.operationId).toBe('retrieve-widget');
    expect(curated['x-oaiMeta']).toBeUndefined();
    expect(todos.join('\n')).toMatch(/x-friendly-name: .*npm run generate refuses/);
    expect(todos.join('\n')).toMatch(/x-example/);
  });
});

describe('x-sync-todo gate', () => {
  it('lists every todo with its pointer, and generate refuses naming each', () => {
    const spec = {
      openapi: '3.1.0',
      paths: { '/a': { get: { operationId: 'x', 'x-sync-todo': ['name it'], responses: {} } } },
      components: { schemas: { S: { 'x-sync-todo': 'check' } } },
    } as unknown as Spec;
    expect(listSyncTodos(spec)).toEqual([
      { pointer: '/paths/~1a/get', todo: 'name it' },
      { pointer: '/components/schemas/S', todo: 'check' },
    ]);
    expect(() => assertNoSyncTodos(spec)).toThrow(SyncTodoError);
    expect(() => assertNoSyncTodos(spec)).toThrow(
      /2 x-sync-todo.*\n {2}\/paths\/~1a\/get: name it\n {2}\/components\/schemas\/S: check/,
    );
  });

  it('the curated spec has none', () => {
    expect(() => assertNoSyncTodos(parse(readFileSync(CURATED_FILE, 'utf8')) as Spec)).not.toThrow();
  });
});

describe('spec:sync against a changed upstream', () => {
  const curatedText = readFileSync(CURATED_FILE, 'utf8');
  const base = upstreamSpec();
  const upstream = structuredClone(base) as Spec & Record<string, any>;
  upstream.components.schemas.Project.properties.name = { type: 'integer' };
  delete upstream.paths['/organization/invites/{invite_id}'].delete;
  const limit = (upstream.paths['/organization/projects'].get.parameters as any[]).find((p) => p.name === 'limit');
  limit.schema.maximum = 200;
  upstream.paths['/organization/widgets'] = {
    get: {
      operationId: 'listWidgets',
      parameters: [{ name: 'after', in: 'query', schema: { type: 'string', nullable: true } }],
      responses: {
        '200': {
          description: 'ok',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/WidgetList' } } },
        },
      },
    },
  };
  upstream.components.schemas.WidgetList = {
    type: 'object',
    properties: {
      data: { type: 'array', items: { $ref: '#/components/schemas/Widget' } },
      has_more: { type: 'boolean' },
      last_id: { type: 'string' },
    },
  };
  upstream.components.schemas.Widget = {
    type: 'object',
    properties: { state: { type: 'string', enum: ['on', 'off'] } },
  };
  // Changed where nobody curated: openapi.yaml has these as base has them.
  upstream.components.schemas.Invite.properties.email = { type: 'string', format: 'email', description: 'The invitee' };
  const archived = (upstream.paths['/organization/projects'].get.parameters as any[]).find(
    (p) => p.name === 'include_archived',
  );
  archived.description = 'Also list archived projects.';
  const result = syncSpec(curatedText, upstream, { base });
  const synced = parse(result.text) as Spec;
  const todosAt = (pointer: string) =>
    listSyncTodos(synced)
      .filter((t) => t.pointer === pointer)
      .map((t) => t.todo);

  it('imports the new operation and the components it reaches, response enums open', () => {
    expect(synced.paths['/organization/widgets'].get).toMatchObject({
      operationId: 'list-widgets',
      'x-pagination': { style: 'cursor' },
    });
    expect(synced.components.schemas.Widget.properties.state.anyOf[1]).toEqual({ type: 'string', 'x-open-enum': true });
    expect(result.changes.filter((c) => c.kind === 'component added').map((c) => c.pointer)).toEqual([
      '/components/schemas/Widget',
      '/components/schemas/WidgetList',
    ]);
  });

  it('flags a removed operation and a change at a curated node, each on its node', () => {
    expect(todosAt('/paths/~1organization~1invites~1{invite_id}/delete')).toEqual([
      expect.stringMatching(/^upstream no longer has this operation/),
    ]);
    const limitAt = `/paths/~1organization~1projects/get/parameters/${(synced.paths['/organization/projects'].get.parameters as any[]).findIndex((p) => p.name === 'limit')}/schema`;
    expect(todosAt(limitAt)).toEqual([
      expect.stringMatching(/^upstream changed a curated node: maximum: upstream 200, curated 100.*bounds 1\.\.100/),
    ]);
    expect(nodeAt(synced, limitAt).maximum).toBe(100); // the curation stands until a person decides
  });

  it('takes upstream’s version of a parameter or property nobody curated, and lists it', () => {
    expect(synced.components.schemas.Invite.properties.email).toEqual({
      type: 'string',
      format: 'email',
      description: 'The invitee',
    });
    const param = (synced.paths['/organization/projects'].get.parameters as any[]).find(
      (p) => p.name === 'include_archived',
    );
    expect(param.description).toBe('Also list archived projects.');
    expect(synced.components.schemas.Project.properties.name).toEqual({ type: 'integer' });
    expect(result.changes.filter((c) => c.kind.endsWith('changed')).map((c) => `${c.pointer}: ${c.detail}`)).toEqual([
      '/paths/~1organization~1projects/get/parameters/2: query include_archived: upstream changed it, nobody curated it',
      '/components/schemas/Invite/properties/email: upstream changed it, nobody curated it',
      '/components/schemas/Project/properties/name: upstream changed it, nobody curated it',
    ]);
  });

  it('without a base it cannot tell who changed a node: it flags the difference and keeps openapi.yaml’s version', () => {
    const blind = syncSpec(curatedText, upstream);
    const spec = parse(blind.text) as Spec;
    const { 'x-sync-todo': _todo, ...name } = spec.components.schemas.Project.properties.name;
    expect(name).toEqual(parse(curatedText).components.schemas.Project.properties.name);
    expect(
      listSyncTodos(spec)
        .filter((t) => t.pointer === '/components/schemas/Project/properties/name')
        .map((t) => t.todo),
    ).toEqual([expect.stringMatching(/^upstream differs: type: upstream integer, curated .*no rule decides/)]);
  });

  it('is idempotent against the changed upstream too', () => {
    const again = syncSpec(result.text, upstream, { base });
    expect(again.changes).toEqual([]);
    expect(again.text).toBe(result.text);
  });
});
