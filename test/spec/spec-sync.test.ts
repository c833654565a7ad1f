/**
 * spec:sync the way a maintainer meets it: a copy of the curated spec that lacks a few operations, parameters,
 * properties and enum values (as if upstream had just added them) is synced against the vendored upstream; what comes
 * back must be what a person curated, except the fields only a person can decide, which carry an x-sync-todo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { syncSpec, type SyncChange } from '../../scripts/lib/sync/sync';
import { listSyncTodos } from '../../scripts/lib/sync/todos';
import { HTTP_METHODS, type Spec } from '../../scripts/lib/spec';
import { CURATED_FILE, ROOT, UPSTREAM_FILE, upstreamSpec } from '../support/paths';

type Node = Record<string, any>;
const PATHS = {
  keys: '/organization/admin_api_keys',
  projects: '/organization/projects',
  groups: '/organization/groups',
  archive: '/organization/projects/{project_id}/archive',
  projectKeys: '/organization/projects/{project_id}/api_keys',
  invites: '/organization/invites',
  costs: '/organization/costs',
};

const curatedText = readFileSync(CURATED_FILE, 'utf8');
const curated = parse(curatedText) as Spec;
const indexOfParam = (op: Node, name: string) => (op.parameters as Node[]).findIndex((p) => p.name === name);

/** The curated spec with the nodes a new upstream would add taken out, as a maintainer's file. */
function trimmedCopy(): string {
  const doc = parseDocument(curatedText);
  const del = (path: (string | number)[]) => {
    if (!doc.hasIn(path)) throw new Error(`fixture: no node at ${path.join('/')}`);
    doc.deleteIn(path);
  };
  // Operations: a cursor list, a create, a whole path item.
  del(['paths', PATHS.keys, 'get']);
  del(['paths', PATHS.groups, 'post']);
  del(['paths', PATHS.archive]);
  // Parameters (deleted from the end of each list first, so indexes stay valid).
  del([
    'paths',
    PATHS.projects,
    'get',
    'parameters',
    indexOfParam(curated.paths[PATHS.projects].get, 'include_archived'),
  ]);
  del(['paths', PATHS.projectKeys, 'get', 'parameters', indexOfParam(curated.paths[PATHS.projectKeys].get, 'after')]);
  del(['paths', PATHS.invites, 'get', 'parameters', indexOfParam(curated.paths[PATHS.invites].get, 'limit')]);
  del(['paths', PATHS.costs, 'get', 'parameters', indexOfParam(curated.paths[PATHS.costs].get, 'start_time')]);
  // Properties: a response-side enum (curated open) that is required, and a plain one.
  del(['components', 'schemas', 'Invite', 'properties', 'status']);
  del([
    'components',
    'schemas',
    'Invite',
    'required',
    (curated.components.schemas.Invite.required as string[]).indexOf('status'),
  ]);
  del(['components', 'schemas', 'Invite', 'properties', 'accepted_at']);
  // Enum values: in a component, in an opened enum's closed branch, in a query parameter.
  del([
    'components',
    'schemas',
    'AuditLogEventType',
    'enum',
    (curated.components.schemas.AuditLogEventType.enum as string[]).indexOf('project.created'),
  ]);
  del(['components', 'schemas', 'Invite', 'properties', 'role', 'anyOf', 0, 'enum', 1]);
  const ownerAccess = indexOfParam(curated.paths[PATHS.projectKeys].get, 'owner_project_access');
  del(['paths', PATHS.projectKeys, 'get', 'parameters', ownerAccess - 1, 'schema', 'enum', 1]); // `after` is gone: one index less
  return doc.toString({ indentSeq: false, lineWidth: 120, singleQuote: true });
}

describe('spec:sync restores what upstream has and openapi.yaml lacks, as curated', () => {
  const copy = trimmedCopy();
  const result = syncSpec(copy, upstreamSpec(), { base: upstreamSpec() });
  const synced = parse(result.text) as Spec;
  const named = (kind: SyncChange['kind'], pointerPart: string, detailPart = '') =>
    result.changes.some((c) => c.kind === kind && c.pointer.includes(pointerPart) && c.detail.includes(detailPart));

  it('the fixture really lacks the nodes', () => {
    const trimmed = parse(copy) as Spec;
    expect(trimmed.paths[PATHS.keys].get).toBeUndefined();
    expect(trimmed.paths[PATHS.archive]).toBeUndefined();
    expect(trimmed.components.schemas.Invite.properties.status).toBeUndefined();
  });

  it('restores parameters at their place with the standing curations (cursor, bounds, timestamps)', () => {
    for (const [path, name] of [
      [PATHS.projects, 'include_archived'],
      [PATHS.projectKeys, 'after'],
      [PATHS.invites, 'limit'],
      [PATHS.costs, 'start_time'],
    ]) {
      expect(synced.paths[path].get.parameters).toEqual(curated.paths[path].get.parameters);
      expect(named('parameter added', path.replace(/\//g, '~1'), `query ${name}`)).toBe(true);
    }
  });

  it('restores properties (the response enum opened, required again) and enum values in upstream order', () => {
    expect(synced.components.schemas.Invite).toEqual(curated.components.schemas.Invite);
    expect(synced.components.schemas.AuditLogEventType).toEqual(curated.components.schemas.AuditLogEventType);
    expect(synced.paths[PATHS.projectKeys].get.parameters).toEqual(curated.paths[PATHS.projectKeys].get.parameters);
    expect(named('property added', '/components/schemas/Invite/properties/status', 'open enum')).toBe(true);
    expect(named('property added', '/components/schemas/Invite/properties/accepted_at')).toBe(true);
    expect(named('enum value added', '/components/schemas/AuditLogEventType/enum', '"project.created"')).toBe(true);
    expect(named('enum value added', '/components/schemas/Invite/properties/role/anyOf/0/enum', '"reader"')).toBe(true);
    expect(named('enum value added', '~1api_keys/get/parameters', '"inactive"')).toBe(true);
  });

  /** The curated operation without what only a person writes (names, example) or decides (listed per operation). */
  const expectedOp = (op: Node, decided: string[] = []) => {
    const { 'x-friendly-name': _n, 'x-example': _e, 'x-friendly-aliases': _a, ...rest } = structuredClone(op);
    for (const key of decided) delete rest[key];
    return rest;
  };
  const withoutTodo = (op: Node) => {
    const { 'x-sync-todo': _t, ...rest } = op;
    return rest;
  };

  it('imports operations with the rules applied: verb-first operationId, cursor, bounds, x-pagination, x-retry-safe', () => {
    const list = synced.paths[PATHS.keys].get;
    expect(withoutTodo(list)).toEqual(expectedOp(curated.paths[PATHS.keys].get));
    expect(
      named(
        'operation added',
        '~1organization~1admin_api_keys/get',
        'as list-admin-api-keys (upstream admin-api-keys-list)',
      ),
    ).toBe(true);
  });

  it('imports a create with 201 beside 200 and x-retry-safe false; flags its name, example and natural key, and the retry safety of another POST', () => {
    const create = synced.paths[PATHS.groups].post;
    expect(withoutTodo(create)).toEqual(expectedOp(curated.paths[PATHS.groups].post, ['x-natural-key']));
    expect(create['x-sync-todo']).toEqual([
      expect.stringMatching(/^x-friendly-name: .*npm run generate refuses/),
      expect.stringMatching(/^x-example/),
      expect.stringMatching(/^x-natural-key: /),
    ]);

    const archive = synced.paths[PATHS.archive].post;
    expect(withoutTodo(archive)).toEqual(expectedOp(curated.paths[PATHS.archive].post, ['x-retry-safe']));
    expect(archive['x-sync-todo']).toEqual(expect.arrayContaining([expect.stringMatching(/^x-retry-safe: /)]));
    expect(named('operation added', '~1archive/post')).toBe(true);
  });

  it('keeps the order of paths and methods, and leaves no other todo', () => {
    expect(Object.keys(synced.paths)).toEqual(Object.keys(curated.paths));
    for (const path of Object.keys(curated.paths)) {
      expect(HTTP_METHODS.filter((m) => synced.paths[path][m])).toEqual(
        HTTP_METHODS.filter((m) => curated.paths[path][m]),
      );
    }
    const todoNodes = new Set(listSyncTodos(synced).map((t) => t.pointer));
    expect([...todoNodes].sort()).toEqual([
      '/paths/~1organization~1admin_api_keys/get',
      '/paths/~1organization~1groups/post',
      '/paths/~1organization~1projects~1{project_id}~1archive/post',
    ]);
  });

  it('changes nothing else: every line of the copy is still there, in order', () => {
    const out = result.text.split('\n');
    let i = 0;
    for (const line of copy.split('\n')) {
      while (i < out.length && out[i] !== line) i++;
      expect(i).toBeLessThan(out.length);
      i++;
    }
  });

  it('is idempotent: a second run changes nothing', () => {
    const again = syncSpec(result.text, upstreamSpec(), { base: upstreamSpec() });
    expect(again.changes).toEqual([]);
    expect(again.text).toBe(result.text);
  });
});

describe('spec:sync undoes the removal of an operation byte for byte, but for the names a person writes', () => {
  const PATH = '/organization/projects/{project_id}/service_accounts/{service_account_id}';
  /** curatedText without the entry `key` of the block map at `path` (its whole lines), as if it had never been there. */
  const cut = (text: string, path: string[], key: string) => {
    const map = parseDocument(text).getIn(path, true) as { items: { key: { value: string; range: number[] } }[] };
    const at = map.items.findIndex((p) => p.key.value === key);
    if (at < 0 || at + 1 >= map.items.length)
      throw new Error(`fixture: ${key} is not an inner entry of ${path.join('/')}`);
    const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
    return text.slice(0, lineStart(map.items[at].key.range[0])) + text.slice(lineStart(map.items[at + 1].key.range[0]));
  };
  const without = cut(
    cut(curatedText, ['paths', PATH], 'post'),
    ['components', 'schemas'],
    'UpdateProjectServiceAccountBody',
  );
  const result = syncSpec(without, upstreamSpec(), { base: upstreamSpec() });

  it('imports update-project-service-account (x-retry-safe and the path-id notes by rule) and its body schema', () => {
    expect(result.changes.map((c) => c.kind)).toEqual(['operation added', 'component added']);
    expect(listSyncTodos(parse(result.text) as Spec).map((t) => t.todo)).toEqual([
      expect.stringMatching(/^x-friendly-name: /),
      expect.stringMatching(/^x-example: /),
    ]);
  });

  it('writes the bytes the curated file has, each x-curation note on one line as there, once the todos are settled', () => {
    const names =
      /operationId: update-project-service-account\n( *x-friendly-name: .*\n *x-example: \|-\n(?: {8}.*\n)+)/.exec(
        curatedText,
      )![1];
    const settled = result.text.replace(/^( *)x-sync-todo:\n(?:\1(?:- | {2}).*\n)+/m, names);
    expect(settled).toBe(curatedText);
  });
});

describe('spec:sync on the curated spec itself', () => {
  it('finds nothing to do against the upstream it was curated from', () => {
    const result = syncSpec(curatedText, upstreamSpec(), { base: upstreamSpec() });
    expect(result.changes).toEqual([]);
    expect(result.text).toBe(curatedText);
  });
});

describe('the spec:sync command', () => {
  const run = (args: string[]) => {
    try {
      const stdout = execFileSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'scripts', 'spec-sync.ts'), ...args],
        { encoding: 'utf8', stdio: 'pipe' },
      );
      return { status: 0, stdout };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      return { status: e.status, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('writes the restored spec and lists each change; --check then finds nothing to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-sync-'));
    const file = join(dir, 'openapi.yaml');
    writeFileSync(file, trimmedCopy());
    const first = run([UPSTREAM_FILE, '--curated', file]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('+ operation added: /paths/~1organization~1admin_api_keys/get');
    expect(first.stdout).toContain('+ enum value added: /components/schemas/AuditLogEventType/enum');
    expect(first.stdout).toMatch(/Settle every x-sync-todo/);
    expect((parse(readFileSync(file, 'utf8')) as Spec).paths[PATHS.keys].get.operationId).toBe('list-admin-api-keys');
    const second = run([UPSTREAM_FILE, '--curated', file, '--check']);
    expect(second).toMatchObject({ status: 0, stdout: expect.stringContaining('nothing to do') });
  });

  it('exits 1 with --check when changes are pending (writing nothing), 2 on usage errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-sync-'));
    const file = join(dir, 'openapi.yaml');
    const copy = trimmedCopy();
    writeFileSync(file, copy);
    expect(run([UPSTREAM_FILE, '--curated', file, '--check']).status).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(copy);
    expect(run([]).status).toBe(2);
    expect(run([UPSTREAM_FILE, '--frobnicate']).status).toBe(2);
    expect(run([join(dir, 'no-such.yaml')]).status).toBe(2);
  });
});
