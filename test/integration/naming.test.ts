import { operations, type OperationName, type OperationSpec } from '../../generated/operations.gen.js';
import { OpenAIAdmin } from '../../src/client.js';
import { APIResource } from '../../src/resources/base.js';
import { FRIENDLY_ALIASES, FRIENDLY_NAMES } from '../../src/resources/naming.js';
import { resolveFriendly } from '../support/client.js';
import { useTestServer } from '../support/http-server.js';
import { argumentsOf, exampleCall, exampleCalls, pathOf } from '../support/example-calls.js';

/**
 * The naming table against the spec and the real resource tree: every operation has a friendly name, every
 * name is a method of a real client, and calling it sends exactly that operation's method and path.
 */

const OPS = operations as Record<OperationName, OperationSpec>;
const NAMES = FRIENDLY_NAMES as Record<string, string>;
const opNames = Object.keys(OPS) as OperationName[];

const specNames = exampleCalls().map((call) => call.name);

/** The method at a friendly path, bound to its resource, or undefined. */
function resolve(client: OpenAIAdmin, friendly: string): ((...args: unknown[]) => PromiseLike<unknown>) | undefined {
  try {
    return resolveFriendly(client, friendly);
  } catch {
    return undefined;
  }
}

/** Every method reachable on the tree: resource methods, plus `costs` on the client itself. */
function treeMethods(client: OpenAIAdmin): string[] {
  const found: string[] = ['costs'];
  const walk = (resource: APIResource, prefix: string) => {
    for (const method of Object.getOwnPropertyNames(Object.getPrototypeOf(resource))) {
      if (method !== 'constructor' && typeof (resource as any)[method] === 'function')
        found.push(`${prefix}.${method}`);
    }
    for (const [key, value] of Object.entries(resource))
      if (value instanceof APIResource) walk(value, `${prefix}.${key}`);
  };
  for (const [key, value] of Object.entries(client)) if (value instanceof APIResource) walk(value, key);
  return found.sort();
}

// --- 1. the table covers the spec ---------------------------------------------------------------------------

describe('FRIENDLY_NAMES', () => {
  test('every operation in the spec has a friendly name', () => {
    const missing = opNames.filter((name) => typeof NAMES[name] !== 'string' || NAMES[name] === '');
    expect(missing).toEqual([]);
    expect(opNames.sort()).toEqual(specNames.sort());
  });

  test('names only operations that exist, each name once', () => {
    expect(Object.keys(NAMES).filter((name) => !(name in OPS))).toEqual([]);
    const values = Object.values(NAMES);
    expect(values.filter((v, i) => values.indexOf(v) !== i)).toEqual([]);
  });

  test('the resource tree has exactly the named methods and the deprecated aliases, nothing unnamed', () => {
    const client = new OpenAIAdmin({ apiKey: 'sk-admin-test', baseURL: 'http://127.0.0.1:9/v1' });
    expect(treeMethods(client)).toEqual([...Object.values(NAMES), ...Object.keys(FRIENDLY_ALIASES)].sort());
  });

  test('membership verbs: add/remove for memberships, the former create/delete kept as aliases', () => {
    expect(NAMES.createProjectUser).toBe('projects.users.add');
    expect(NAMES.deleteProjectUser).toBe('projects.users.remove');
    expect(NAMES.addGroupUser).toBe('groups.users.add');
    expect(NAMES.addProjectGroup).toBe('projects.groups.add');
    expect(FRIENDLY_ALIASES).toEqual({
      'projects.users.create': 'projects.users.add',
      'projects.users.delete': 'projects.users.remove',
    });
  });
});

// --- 2. every name resolves on a real client ----------------------------------------------------------------

describe('friendly names resolve on a real client', () => {
  const client = new OpenAIAdmin({ apiKey: 'sk-admin-test', baseURL: 'http://127.0.0.1:9/v1' });
  test.each(opNames.map((name) => [NAMES[name], name]))('admin.%s (%s) is a function', (friendly) => {
    expect(typeof resolve(client, friendly)).toBe('function');
  });
});

// --- 3. every name sends its operation ----------------------------------------------------------------------

describe('each friendly method hits its operation on a real HTTP server', () => {
  // Every request gets an empty list; the server is reset before each test. Ids are plain, so the raw path
  // recorded is also the decoded one.
  const server = useTestServer();
  let client: OpenAIAdmin;
  beforeAll(() => {
    client = new OpenAIAdmin({ apiKey: 'sk-admin-test', baseURL: server.baseURL, maxRetries: 0, timeout: 5_000 });
  });
  beforeEach(() => server.setFallback({ body: { object: 'list', data: [], has_more: false } }));

  test.each(opNames.map((name) => [NAMES[name], name] as const))('admin.%s → %s', async (friendly, name) => {
    const row = OPS[name];
    const call = exampleCall(name);
    const fn = resolve(client, friendly);
    expect(fn).toBeDefined();
    const received = server.requests;
    await fn!(...argumentsOf(call));
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(`${request.method} ${request.path}`).toBe(`${row.method} /v1${pathOf(call)}`);
    // Scalar query values arrive as written (arrays are spelled per parameter; the Prism suite checks them).
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (!Array.isArray(value)) expect(request.query.get(key)).toBe(String(value));
    }
    if (row.body) expect(JSON.parse(request.body)).toEqual(call.body);
    else expect(request.body).toBe('');
  });

  const aliasCases = Object.entries(FRIENDLY_ALIASES).map(([alias, friendly]) => {
    const name = opNames.find((n) => NAMES[n] === friendly)!;
    return [alias, friendly, name] as const;
  });
  test.each(aliasCases)('the deprecated admin.%s sends what admin.%s sends', async (alias, friendly, name) => {
    const args = argumentsOf(exampleCall(name));
    await resolve(client, friendly)!(...args);
    await resolve(client, alias)!(...args);
    const [viaName, viaAlias] = server.requests;
    expect(`${viaAlias.method} ${viaAlias.path} ${viaAlias.body}`).toBe(
      `${viaName.method} ${viaName.path} ${viaName.body}`,
    );
  });
});
