/**
 * Runtime detection (issue 11 §6): which runtimes count as a browser, which transport a client without
 * options.fetch uses, and how environment variables are read. Each runtime is simulated by the globals it really
 * has (probed in workerd 2026-11-17, Deno 2.9, Bun 1.4); the packed package runs in the real runtimes in
 * test/slow/runtimes.
 */
import { OpenAIAdmin } from '../../src/client.js';
import { hasNodeBuiltins, isBrowserLike, readEnv } from '../../src/core/config/config.js';
import { useTestServer } from '../support/http-server.js';
import { globalFetchCalls } from '../support/client.js';

const KEY = 'sk-admin-runtime-detection-0000';
const PROJECT = { id: 'proj_1', object: 'organization.project', name: 'P', created_at: 1, status: 'active' };
const server = useTestServer();

/**
 * Runs `fn` with some globals replaced (undefined removes one) and restores them, also when it throws. Kept
 * synchronous so that no other code runs while the globals are changed.
 */
function withGlobals<T>(overrides: Record<string, unknown>, fn: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const saved = Object.keys(overrides).map((name) => [name, Object.getOwnPropertyDescriptor(g, name)] as const);
  for (const [name, value] of Object.entries(overrides))
    Object.defineProperty(g, name, { value, configurable: true, writable: true });
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('withGlobals: keep fn synchronous');
    return result;
  } finally {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(g, name, descriptor);
      else delete g[name];
    }
  }
}

class FakeScope {}
const cloudflare = { userAgent: 'Cloudflare-Workers' };
/** workerd without nodejs_compat: a worker scope, no process, no document. */
const WORKERD = {
  process: undefined,
  WorkerGlobalScope: FakeScope,
  ServiceWorkerGlobalScope: FakeScope,
  navigator: cloudflare,
};
/** workerd with nodejs_compat and a compatibility date before 2025-08-15: process without versions.node; node:http is undefined. */
const WORKERD_COMPAT_2025_01 = {
  ...WORKERD,
  process: { env: {}, versions: {}, getBuiltinModule: () => undefined },
};

describe('a browser is a page (or a worker a page started), not a server runtime', () => {
  test.each<[string, boolean, Record<string, unknown>]>([
    ['workerd without nodejs_compat (WorkerGlobalScope, no document)', false, WORKERD],
    ['workerd with nodejs_compat before 2025-08-15 (process without versions.node)', false, WORKERD_COMPAT_2025_01],
    [
      'a WorkerGlobalScope without document, importScripts or location, whatever the user agent',
      false,
      { WorkerGlobalScope: FakeScope },
    ],
    [
      'Node with a DOM shim (jsdom defines document)',
      false,
      { process: { versions: { node: '20.20.2' } }, document: {}, window: {} },
    ],
    ['Bun', false, { process: { versions: { node: '24.3.0', bun: '1.4.5' } }, Bun: {} }],
    ['Deno 1.x, which defined window', false, { Deno: { version: {} }, window: {} }],
    ['a page (window and document, no server runtime)', true, { window: {}, document: {} }],
    ['a page with only document', true, { document: {} }],
    [
      'a dedicated worker started by a page (importScripts, location)',
      true,
      { WorkerGlobalScope: FakeScope, importScripts: () => {}, location: {} },
    ],
  ])('%s → browser-like: %s', (_name, expected, globals) => {
    expect(isBrowserLike(globals)).toBe(expected);
  });

  test('in workerd without nodejs_compat an admin key is accepted (a worker is a server)', () => {
    const admin = withGlobals(
      WORKERD,
      () => new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, fetch: globalThis.fetch }),
    );
    expect(admin).toBeInstanceOf(OpenAIAdmin);
  });

  test('in workerd with nodejs_compat before 2025-08-15 an admin key is accepted', () => {
    const admin = withGlobals(
      WORKERD_COMPAT_2025_01,
      () => new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, fetch: globalThis.fetch }),
    );
    expect(admin).toBeInstanceOf(OpenAIAdmin);
  });

  test('in a page an admin key is still refused without dangerouslyAllowBrowser, and apiKey: null works', () => {
    const page = { process: undefined, window: {}, document: {} };
    expect(() =>
      withGlobals(page, () => new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, fetch: globalThis.fetch })),
    ).toThrow(/readable by anyone/);
    expect(
      withGlobals(page, () => new OpenAIAdmin({ apiKey: null, baseURL: server.baseURL, fetch: globalThis.fetch })),
    ).toBeInstanceOf(OpenAIAdmin);
  });

  test('in a worker a page started an admin key is still refused', () => {
    const worker = { process: undefined, WorkerGlobalScope: FakeScope, importScripts: () => {}, location: {} };
    expect(() =>
      withGlobals(worker, () => new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, fetch: globalThis.fetch })),
    ).toThrow(/readable by anyone/);
  });
});

describe('the Node transport is chosen only when its modules really load', () => {
  test('in Node the node:http(s), node:zlib and node:stream modules load', () => {
    expect(hasNodeBuiltins()).toBe(true);
  });

  test.each<[string, unknown]>([
    ['getBuiltinModule returns undefined (workerd nodejs_compat before 2025-08-15)', () => undefined],
    [
      'getBuiltinModule throws',
      () => {
        throw new Error('No such built-in module');
      },
    ],
    [
      'node:http has no Agent',
      (id: string) => (id === 'node:http' ? { request: () => {} } : process.getBuiltinModule(id)),
    ],
  ])('%s → not available', (_name, getBuiltinModule) => {
    expect(hasNodeBuiltins({ process: { getBuiltinModule }, Buffer })).toBe(false);
  });

  test('with process.getBuiltinModule returning undefined, calls go through the global fetch', async () => {
    server.enqueue({ body: PROJECT, headers: { 'x-request-id': 'req_fetch' } });
    const calls = await globalFetchCalls(
      () => undefined,
      async (Fresh) => {
        const { data, requestID } = await new Fresh({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 }).projects
          .retrieve('proj_1')
          .withResponse();
        expect({ id: data.id, requestID }).toEqual({ id: 'proj_1', requestID: 'req_fetch' });
      },
    );
    expect(calls).toEqual([`${server.baseURL}/organization/projects/proj_1`]);
  });
});

describe('environment variables are read only for options not given, and a denied read is survived', () => {
  /** process.env as Deno without --allow-env presents it: every read throws NotCapable. Counts the reads. */
  function deniedEnv() {
    const reads: string[] = [];
    const env = new Proxy(
      {},
      {
        get(_t, name) {
          reads.push(String(name));
          const error = new Error(`Requires env access to "${String(name)}", run again with the --allow-env flag`);
          error.name = 'NotCapable';
          throw error;
        },
      },
    );
    return { reads, env };
  }

  function withEnv<T>(env: object, fn: () => T): T {
    const descriptor = Object.getOwnPropertyDescriptor(process, 'env')!;
    Object.defineProperty(process, 'env', { value: env, configurable: true, writable: true });
    try {
      return fn();
    } finally {
      Object.defineProperty(process, 'env', descriptor);
    }
  }

  test('readEnv reports a denied read instead of throwing, and an empty value as unset', () => {
    const { env } = deniedEnv();
    expect(readEnv('OPENAI_ORG_ID', { process: { env } })).toEqual({ value: undefined, denied: true });
    expect(readEnv('OPENAI_ORG_ID', { process: { env: { OPENAI_ORG_ID: '' } } })).toEqual({
      value: undefined,
      denied: false,
    });
    expect(readEnv('OPENAI_ORG_ID', { process: { env: { OPENAI_ORG_ID: 'org-1' } } })).toEqual({
      value: 'org-1',
      denied: false,
    });
    expect(readEnv('OPENAI_ORG_ID', {})).toEqual({ value: undefined, denied: false });
  });

  test('with every option given (organization: null included) the environment is not read at all', () => {
    const { env, reads } = deniedEnv();
    const admin = withEnv(
      env,
      () =>
        new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, organization: null, project: null, logLevel: 'warn' }),
    );
    expect(admin).toBeInstanceOf(OpenAIAdmin);
    expect(reads.filter((name) => name.startsWith('OPENAI_'))).toEqual([]);
  });

  test('without logLevel, OPENAI_ADMIN_LOG is read, and a denied read of it is survived', () => {
    const { env, reads } = deniedEnv();
    const admin = withEnv(env, () => new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, organization: null }));
    expect(admin).toBeInstanceOf(OpenAIAdmin);
    expect(reads).toContain('OPENAI_ADMIN_LOG');
  });

  test('a denied read of an optional variable counts as unset: no organization header is sent', async () => {
    const { env } = deniedEnv();
    const admin = withEnv(env, () => new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 }));
    server.enqueue({ body: PROJECT });
    await admin.projects.retrieve('proj_1');
    expect(server.requests[0].headers['openai-organization']).toBeUndefined();
  });

  test('a denied read of the key, with no apiKey given, is a clear error naming the variable and the denial', () => {
    const { env } = deniedEnv();
    expect(() => withEnv(env, () => new OpenAIAdmin({ baseURL: server.baseURL }))).toThrow(
      /Missing admin key: pass apiKey or set OPENAI_ADMIN_KEY.*denied reading OPENAI_ADMIN_KEY/s,
    );
  });

  test('organization: null sends no organization header even when OPENAI_ORG_ID is set', async () => {
    const admin = withEnv(
      { ...process.env, OPENAI_ORG_ID: 'org-from-env' },
      () => new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, organization: null, maxRetries: 0 }),
    );
    server.enqueue({ body: PROJECT });
    await admin.projects.retrieve('proj_1');
    expect(server.requests[0].headers['openai-organization']).toBeUndefined();
  });

  test('organization not given still defaults to OPENAI_ORG_ID', async () => {
    const admin = withEnv(
      { ...process.env, OPENAI_ORG_ID: 'org-from-env' },
      () => new OpenAIAdmin({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 }),
    );
    server.enqueue({ body: PROJECT });
    await admin.projects.retrieve('proj_1');
    expect(server.requests[0].headers['openai-organization']).toBe('org-from-env');
  });
});
